/**
 * Issue 14 item 3 in real n8n, on the HR export (CSV) template: the sandbox refuses four in five user writes
 * (quirk refuseUserWrites), so the Sync stops writing after 20 answered writes, fails with what to check and names
 * who was not attempted (nothing lost); once Plek accepts writes again the next run writes exactly the rest, and a
 * run after that writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import { groupSeed, samplePeople } from '../../scripts/lib/samples';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';

const SYNC = 'Sync to Plek';
let env: E2eEnvironment;
let csvPath: string;
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-breaker-'));
let nextId = 1;

async function workflow(): Promise<string> {
	const id = `PlekE2eBreak${String(nextId++).padStart(5, '0')}`;
	const sync = (node: WorkflowNode) => {
		node.parameters.mode = 'apply';
		node.parameters.options = { ...(node.parameters.options ?? {}), useBulk: 'never' };
	};
	const patch = { ...localPatches(env, { csvPath }), [SYNC]: sync };
	return await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export'), { id, credentials: { ...CREDENTIALS }, patch }));
}

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	env = await startEnvironment({ n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	env.sandbox.load(groupSeed());
});

afterAll(async () => {
	await env?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

test('most writes refused: the Sync stops, fails with what to check and who was not attempted; the next run writes the rest; then nothing', async () => {
	const active = samplePeople().filter((p) => p.active).length;
	env.sandbox.setFaults({ quirks: { refuseUserWrites: 0.8 } });
	env.sandbox.resetCounters();
	const stopped = await env.n8n.execute(await workflow());
	expect(stopped.ok).toBe(false);
	expect(stopped.errorMessage).toMatch(/^Sync stopped writing: \d+ of \d+ writes failed \(\d+%, more than the 40% allowed once 20 writes are made\)/);
	const [, failed, attempted] = /(\d+) of (\d+) writes failed/.exec(stopped.errorMessage ?? '')!.map(Number);
	// Stops on the 20th answered write; the (default 4) writes in flight then finish.
	expect(attempted).toBeGreaterThanOrEqual(20);
	expect(attempted).toBeLessThanOrEqual(23);
	expect(env.sandbox.counters().writes).toBe(attempted);
	const created = env.sandbox.users().length;
	expect(created).toBe(attempted - failed);
	const error = stopped.run?.data.resultData.error;
	expect(error.description).toMatch(/check the mapping against the Plek schema/);
	expect(error.description).not.toMatch(/run again/i);
	expect(error.description).toMatch(new RegExp(`Not attempted \\(${active} people or groups; nothing is lost`));
	expect(error.context.notAttempted).toHaveLength(active);
	expect(error.context.summary.stopped).toMatchObject({ attempted, failed, failureKind: 'refused' });

	env.sandbox.setFaults({ quirks: {} });
	env.sandbox.resetCounters();
	const rest = await env.n8n.execute(await workflow());
	expectOk(rest);
	const [summary] = rest.output(SYNC)[0];
	expect(summary).toMatchObject({ failed: 0, alreadyExisted: 0 });
	expect(summary.done.create).toBe(active - created);
	expect(summary.stopped).toBeUndefined();
	expect(env.sandbox.users().filter((u) => u.active !== false)).toHaveLength(active);

	env.sandbox.resetCounters();
	expectOk(await env.n8n.execute(await workflow()));
	expect(env.sandbox.counters().writes).toBe(0);
});
