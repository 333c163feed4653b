/**
 * Issue 14 in real n8n, on the HR export (CSV) template: a protected account survives a blocked, approved run of
 * deactivations; approving exactly the previewed plan (a changed source after approval blocks again); an empty
 * export and an LDAP search matching nobody fail loudly ("the source returned no people"). A re-run after each writes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import { groupSeed } from '../../scripts/lib/samples';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';

const SYNC = 'Sync to Plek';
let env: E2eEnvironment;
let csvPath: string;
let sample: string[];
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-life-'));
let nextId = 1;

/** The CSV template with the Sync's options patched; a fresh workflow id per variant. */
async function workflow(sync: (node: WorkflowNode) => void): Promise<string> {
	const id = `PlekE2eLife${String(nextId++).padStart(5, '0')}`;
	const patch = { ...localPatches(env, { csvPath }), [SYNC]: sync };
	return await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export'), { id, credentials: { ...CREDENTIALS }, patch }));
}

/** The sample export without the last `drop` active people (they are "missing from the source"). */
function writeCsv(drop: number): string[] {
	const [header, ...rows] = sample;
	const active = rows.filter((r) => r.split(';')[7] === 'ja' && (r.split(';')[8] ?? '') === '');
	const dropped = active.slice(active.length - drop);
	writeFileSync(csvPath, [header, ...rows.filter((r) => !dropped.includes(r))].join('\n') + '\n');
	return dropped.map((r) => r.split(';')[0]);
}

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	sample = readFileSync(csvPath, 'utf8').trim().split('\n');
	env = await startEnvironment({ ldap: true, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	env.sandbox.load(groupSeed());
});

afterAll(async () => {
	await env?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

test('protected account + approve exactly what was previewed; a changed source after approval blocks; re-run writes nothing', async () => {
	writeCsv(0);
	expectOk(await env.n8n.execute(await workflow(() => undefined)));

	const dropped = writeCsv(30);
	const protectedKey = dropped[0];
	const options = (node: WorkflowNode, approvePlan?: string) => {
		node.parameters.deactivateMissing = true;
		node.parameters.options = { ...(node.parameters.options ?? {}), protectedAccounts: protectedKey };
		if (approvePlan) node.parameters.guards = { ...(node.parameters.guards ?? {}), approvePlan };
	};
	env.sandbox.resetCounters();
	const blocked = await env.n8n.execute(await workflow((n) => options(n)));
	expect(blocked.ok).toBe(false);
	expect(blocked.errorMessage).toMatch(/29 deactivation\(s\) planned/);
	const fingerprint = /set Approve Plan to (deactivate29-\d{8}T\d{4}Z-[0-9a-f]{20})/.exec(blocked.errorMessage ?? '')?.[1];
	expect(fingerprint).toBeDefined();
	expect(env.sandbox.counters().writes).toBe(0);

	// The source changed after the approval: blocked again, nothing written.
	writeCsv(31);
	const stale = await env.n8n.execute(await workflow((n) => options(n, fingerprint)));
	expect(stale.ok).toBe(false);
	expect(stale.errorMessage).toContain('approved: 29 deactivate; now: 30 deactivate');
	expect(env.sandbox.counters().writes).toBe(0);

	writeCsv(30);
	const approvedId = await workflow((n) => options(n, fingerprint));
	const applied = await env.n8n.execute(approvedId);
	expectOk(applied);
	const [summary] = applied.output(SYNC)[0];
	expect(summary).toMatchObject({ approved: true, fingerprint, failed: 0 });
	expect(summary.done.deactivate).toBe(29);
	expect(summary.protected.count).toBe(1);
	const byKey = new Map(env.sandbox.users().map((u) => [u.externalId, u]));
	expect(byKey.get(protectedKey)?.active).toBe(true);
	expect(dropped.slice(1).every((k) => byKey.get(k)?.active === false)).toBe(true);

	env.sandbox.resetCounters();
	const again = await env.n8n.execute(await workflow((n) => options(n)));
	expectOk(again);
	expect(env.sandbox.counters().writes).toBe(0);
	expect(again.output(SYNC)[0][0].fingerprint).toMatch(/^nothing-/);
});

test('an empty export (header only) fails loudly: "The source returned no people"; nothing written', async () => {
	writeFileSync(csvPath, `${sample[0]}\n`);
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(await workflow(() => undefined));
	expect(result.ok).toBe(false);
	expect(result.errorMessage).toContain('The source returned no people');
	expect(env.sandbox.counters().writes).toBe(0);
});

test('an LDAP search matching nobody fails loudly (the AD template: its LDAP node outputs the empty item)', async () => {
	const id = 'PlekE2eLifeLdap1';
	const patch = { 'n8n-nodes-base.ldap': (node: WorkflowNode) => void (node.parameters.customFilter = '(&(objectClass=user)(sAMAccountName=nobody-at-all))') };
	await env.n8n.importWorkflow(toHeadless(loadTemplate('active-directory-ldap'), { id, credentials: { ...CREDENTIALS }, patch }));
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(id);
	expect(result.ok).toBe(false);
	expect(result.errorMessage).toContain('The source returned no people');
	expect(env.sandbox.counters().writes).toBe(0);
});
