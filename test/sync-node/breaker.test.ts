// The Sync node's failure breaker against the real sandbox over HTTP, which refuses four in five user writes
// (quirk refuseUserWrites): the node fails with what to check and names who was not attempted; with Continue on
// Fail the three outputs say the same. Option defaults come from core.
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { DEFAULT_EXECUTE_OPTIONS } from '../../core/sync/types';
import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import { runNode } from '../support/nodeHarness';
import { runSync, sandboxForFile } from '../support/syncNodeSandbox';
import { axiosRequest } from '../plek-node/helpers';

const TOKEN = 'sync-node-breaker-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });
beforeEach(() => {
	sandbox.setFaults({ quirks: { refuseUserWrites: 0.8 } });
});

const people = (n: number): IDataObject[] =>
	Array.from({ length: n }, (_, i) => ({ key: `emp-${i}`, userName: `person${i}@acme.example`, active: true, profile: { 'name.givenName': `Given${i}` }, groups: [] }));

async function sync(input: IDataObject[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await runSync(sandbox, { parameters: { options: { useBulk: 'never', concurrency: 1 }, ...parameters }, input, continueOnFail });
}

test('most writes refused: the node fails with what to check, and the error names who was not attempted', async () => {
	const error = await sync(people(60)).then(
		() => undefined,
		(e: unknown) => e as NodeOperationError,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error!.message).toMatch(/^Sync stopped writing: 16 of 20 writes failed \(80%, more than the 40% allowed once 20 writes are made\)\. 4 succeeded, 40 planned write\(s\) were not attempted\.$/);
	expect(error!.description).toMatch(/check the mapping against the Plek schema/);
	expect(error!.description).not.toMatch(/run again/i);
	expect(error!.description).toContain('Failures: 16 x HTTP 400 invalidValue.');
	expect(error!.description).toMatch(/Not attempted \(40 people or groups; nothing is lost.*\): person20@acme\.example, /);
	expect(error!.failure).toEqual({ cause: 'configuration-invalid' });
	const context = error!.context as { notAttempted: Array<{ key: string }> };
	expect(context.notAttempted.map((n) => n.key)).toEqual(people(60).slice(20).map((p) => p.key));
	expect(sandbox.counters().writes).toBe(20);
	expect(sandbox.users()).toHaveLength(4);
});

test('with Continue on Fail the Summary, Changes and Issues report done, failed and not attempted', async () => {
	const run = await sync(people(30), {}, true);
	const [summary] = run.json(0);
	expect(summary).toMatchObject({ failed: 16, done: { create: 4 }, stopped: { attempted: 20, failed: 16, notAttempted: 10, failureKind: 'refused' } });
	const issues = run.json(2);
	expect(issues[0]).toMatchObject({ type: 'stopped' });
	expect(issues.filter((i) => i.type === 'failed')).toHaveLength(16);
	expect(issues.filter((i) => i.type === 'notAttempted').map((i) => i.key)).toEqual(people(30).slice(20).map((p) => p.key));
	expect(run.outputs[2].find((i) => i.json.key === 'emp-25')?.pairedItem).toEqual([{ item: 25 }]);
	expect(run.json(1).filter((c) => c.status === 'notAttempted')).toHaveLength(10);
});

test('the percentage and minimum are Safety Guards options; 100% never stops', async () => {
	const all = await sync(people(30), { guards: { stopFailurePercent: 100 } });
	expect(all.json(0)[0]).toMatchObject({ failed: 24, done: { create: 6 } });
	sandbox.reset();
	await expect(sync(people(30), { guards: { stopMinWrites: 5 } })).rejects.toThrow(/4 of 5 writes failed/);
	expect(sandbox.users()).toHaveLength(1);
	// The editor's defaults are core's.
	const guards = new PlekSync().description.properties.find((p) => p.name === 'guards')?.options as Array<{ name: string; default: unknown }>;
	expect(guards.find((o) => o.name === 'stopFailurePercent')?.default).toBe(DEFAULT_EXECUTE_OPTIONS.stopFailurePercent);
	expect(guards.find((o) => o.name === 'stopMinWrites')?.default).toBe(DEFAULT_EXECUTE_OPTIONS.stopMinWrites);
});

test('a burst of failures late in a long run stops it within the sliding window of the last 100 writes', async () => {
	sandbox.setFaults({ quirks: { refuseUserWrites: 0 } });
	let creates = 0;
	const error = await runNode(new PlekSync(), {
		parameters: { options: { useBulk: 'never', concurrency: 1 } },
		input: people(400),
		credentials: { plekApi: { environmentUrl: sandbox.url, authentication: 'accessToken', accessToken: TOKEN, scimBasePath: '/scim/v2' } },
		httpRequestWithAuthentication: async (request) => {
			// After 150 accepted creates Plek starts refusing every user write.
			if (request.method === 'POST' && String(request.url).endsWith('/Users') && ++creates === 151) sandbox.setFaults({ quirks: { refuseUserWrites: 1 } });
			return await axiosRequest(request, TOKEN);
		},
	}).then(
		() => undefined,
		(e: unknown) => e as NodeOperationError,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	// The whole run's share (41 of 191, 21%) is far under 40%: only the window stops it.
	expect(error!.message).toBe(
		'Sync stopped writing: 41 of the last 100 writes failed (41%, more than the 40% allowed); 41 of 191 in the whole run. 150 succeeded, 209 planned write(s) were not attempted.',
	);
	expect(sandbox.users()).toHaveLength(150);
	expect((error!.context as { summary: { stopped: { window?: unknown } } }).summary.stopped.window).toEqual({ writes: 100, failed: 41 });
});
