// The Plek Sync node class through the node harness, against the real sandbox over HTTP: parameters in, the
// three outputs (Summary, Changes, Issues) out, writes counted at the sandbox.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import { pairedItemProblems, runNode } from '../support/nodeHarness';
import { axiosRequest } from '../plek-node/helpers';
import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const TOKEN = 'sync-node-test-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });

function person(i: number, overrides: Partial<IDataObject> = {}): IDataObject {
	return {
		key: `emp-${i}`,
		userName: `person${i}@acme.example`,
		active: true,
		profile: { 'name.givenName': `Given${i}`, 'name.familyName': `Family${i}`, title: 'Nurse' },
		groups: [],
		...overrides,
	};
}

async function sync(input: IDataObject[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await runSync(sandbox, { parameters, input, continueOnFail });
}

const people = (n: number) => Array.from({ length: n }, (_, i) => person(i));

it('creates everyone on the first run, pairs every output item, and writes nothing on a second run', async () => {
	const input = people(12);
	const first = await sync(input);
	const [summary] = first.json(0);
	expect(summary).toMatchObject({ mode: 'apply', dryRun: false, failed: 0 });
	expect((summary.done as IDataObject).create).toBe(12);
	expect(first.json(1)).toHaveLength(12);
	expect(first.json(1)[3]).toMatchObject({ key: 'emp-3', status: 'done', actions: ['create'] });
	expect(first.outputs[1][3].pairedItem).toEqual([{ item: 3 }]);
	expect(pairedItemProblems(first, input.length)).toEqual([]);
	expect(sandbox.users().map((u) => u.externalId).sort()).toEqual(input.map((p) => p.key).sort());

	sandbox.resetCounters();
	const second = await sync(input);
	expect(sandbox.counters().writes).toBe(0);
	expect(second.json(1)).toEqual([]);
	expect(second.json(0)[0]).toMatchObject({ unchanged: 12 });
});

it('dry run outputs the planned changes and writes nothing', async () => {
	const run = await sync(people(5), { mode: 'dryRun' });
	expect(sandbox.counters().writes).toBe(0);
	expect(sandbox.users()).toHaveLength(0);
	expect(run.json(0)[0]).toMatchObject({ dryRun: true });
	expect(run.json(1).map((c) => c.status)).toEqual(Array(5).fill('planned'));
});

it('updates only the changed attribute and reports before/after', async () => {
	await sync(people(3));
	sandbox.resetCounters();
	const changed = people(3);
	(changed[1].profile as IDataObject).title = 'Head nurse';
	const run = await sync(changed);
	expect(sandbox.counters().writes).toBe(1);
	const [change] = run.json(1);
	expect(change).toMatchObject({ key: 'emp-1', actions: ['update'], status: 'done' });
	expect(change.attributes).toEqual([{ path: 'title', before: 'Nurse', after: 'Head nurse' }]);
	expect(run.outputs[1][0].pairedItem).toEqual([{ item: 1 }]);
});

it('explains the decision for one key and writes nothing', async () => {
	await sync(people(2));
	sandbox.resetCounters();
	const input = people(2);
	(input[0].profile as IDataObject)['name.familyName'] = 'Jansen';
	const run = await sync(input, { mode: 'explain', explainKey: 'emp-0' });
	expect(sandbox.counters().writes).toBe(0);
	const [summary] = run.json(0);
	expect(summary.explainKey).toBe('emp-0');
	const explanation = (summary.explanation as string[]).join('\n');
	expect(explanation).toMatch(/emp-0/);
	expect(explanation).toMatch(/Jansen/);
	expect(run.json(1).map((c) => c.key)).toEqual(['emp-0']);
});

it('over the deactivation guard writes nothing and fails naming the counts', async () => {
	const input = people(20);
	await sync(input);
	sandbox.resetCounters();
	const leavers = input.map((p, i) => (i < 5 ? { ...p, active: false } : p));
	await expect(sync(leavers, { guards: { maxDeactivations: 3 } })).rejects.toThrow(/5/);
	expect(sandbox.counters().writes).toBe(0);

	const tolerated = await sync(leavers, { guards: { maxDeactivations: 3 } }, true);
	expect(sandbox.counters().writes).toBe(0);
	expect(tolerated.json(0)[0].blocked).toMatch(/maxDeactivations|Max Deactivations|deactivat/i);

	const allowed = await sync(leavers, { guards: { maxDeactivations: 10, maxDeactivationPercent: 50 } });
	expect((allowed.json(0)[0].done as IDataObject).deactivate).toBe(5);
	expect(sandbox.users().filter((u) => u.active === false)).toHaveLength(5);
});

it('reports bad records and duplicate keys on Issues while the rest syncs', async () => {
	const input = [person(1), { userName: 'nokey@acme.example', active: true, profile: {} }, person(2), person(2, { userName: 'other@acme.example' })];
	const run = await sync(input);
	expect(sandbox.users().map((u) => u.externalId)).toEqual(['emp-1']);
	const issues = run.json(2);
	expect(issues.filter((i) => i.type === 'duplicateKey')).toHaveLength(2);
	expect(issues.some((i) => i.type === 'invalid')).toBe(true);
	for (const issue of issues) expect(issue.whatToDo).toEqual(expect.any(String));
	expect(pairedItemProblems(run, input.length)).toEqual([]);
});

it('reports a changed mapping key as a conflict and creates nothing', async () => {
	await sync([person(1)]);
	sandbox.resetCounters();
	const run = await sync([person(1, { key: 'emp-1-new' })], { guards: { minSourceRatio: 0 } });
	expect(sandbox.counters().writes).toBe(0);
	expect(sandbox.users()).toHaveLength(1);
	expect(run.json(2)).toEqual([expect.objectContaining({ type: 'conflict', key: 'emp-1-new' })]);
});

it('fails with a clear error and no secret when Plek rejects the credential', async () => {
	const error = await runNode(new PlekSync(), {
		input: people(1),
		credentials: { plekApi: { environmentUrl: sandbox.url, authentication: 'accessToken', accessToken: 'wrong-token-123' } },
		httpRequestWithAuthentication: async (request) => await axiosRequest(request, 'wrong-token-123'),
	}).catch((e: Error) => e);
	expect(error).toBeInstanceOf(Error);
	expect(String((error as Error).message)).toMatch(/401|credential|token|Unauthori/i);
	expect(JSON.stringify(error)).not.toContain('wrong-token-123');
	expect(String((error as Error).message)).not.toContain('wrong-token-123');
});
