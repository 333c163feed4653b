// History, the Summary's story, Apply One Person and Limit To First N People through the Sync node class against
// the real sandbox over HTTP: what lands on the History output, what the Summary says about skipped people, and
// that a scoped run writes exactly the chosen people and what they need.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SYNC_OUTPUTS } from '../../nodes/PlekSync/outputs';
import { historyRows } from '../../core/sync/history';
import { pairedItemProblems } from '../support/nodeHarness';
import { runSync, sandboxForFile } from '../support/syncNodeSandbox';
import { ENTERPRISE as ENT } from '../support/scim';

const TOKEN = 'sync-node-history-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });

const person = (key: string, extra: IDataObject = {}): IDataObject => ({
	key,
	userName: `${key}@acme.example`,
	active: true,
	profile: { 'name.givenName': key, title: 'Nurse' },
	groups: [],
	...extra,
});

async function sync(input: IDataObject[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await runSync(sandbox, { parameters, input, continueOnFail });
}

const HISTORY_FIELDS = [
	'runId', 'time', 'mode', 'kind', 'key', 'userName', 'displayName', 'groupName', 'action', 'actions', 'rule', 'reason', 'outcome',
	'before', 'after', 'groupsAdded', 'groupsRemoved', 'error', 'httpStatus',
];
const keys = () => sandbox.users().map((u) => u.externalId as string).sort();
const withHistory = (extra: INodeParameters = {}): INodeParameters => ({ historyOutput: true, ...extra });

describe('History output', () => {
	it('is a fourth output only when switched on; the outputs expression says the same', async () => {
		const off = await sync([person('a')], { mode: 'dryRun' });
		expect(off.outputs).toHaveLength(3);
		const on = await sync([person('a')], withHistory({ mode: 'dryRun' }));
		expect(on.outputs).toHaveLength(4);
		// What n8n evaluates for the canvas: three named outputs, a fourth named History when the switch is on.
		const outputs = (history: boolean) =>
			new Function('$parameter', `return ${SYNC_OUTPUTS.slice(3, -2)}`)({ historyOutput: history }) as Array<{ displayName: string }>;
		expect(outputs(false).map((o) => o.displayName)).toEqual(['Summary', 'Changes', 'Issues']);
		expect(outputs(true).map((o) => o.displayName)).toEqual(['Summary', 'Changes', 'Issues', 'History']);
	});

	it('has one row per person written, skipped or refused, with the same fields every time; unchanged people only when asked', async () => {
		const input = [
			person('anna', { groups: ['Care'] }),
			person('bert'),
			person('leaver', { active: false }),
			person('prehire', { startDate: '2099-01-04' }),
			{ key: '', userName: 'nokey@acme.example', active: true, profile: {} },
		];
		sandbox.load({ groups: [{ displayName: 'Care' }] } as never);
		const dry = await sync(input, withHistory({ mode: 'dryRun' }));
		const rows = dry.json(3);
		for (const row of rows) expect(Object.keys(row).sort()).toEqual([...HISTORY_FIELDS].sort());
		expect(rows.map((r) => [r.key, r.action, r.outcome])).toEqual([
			['anna', 'create', 'planned'],
			['bert', 'create', 'planned'],
			['', 'invalid', 'invalid'],
			['leaver', 'skipped', 'skipped'],
			['prehire', 'skipped', 'skipped'],
		]);
		expect(rows[2].reason).toMatch(/key/);
		const anna = rows[0];
		expect(anna).toMatchObject({ runId: 'harness-execution', mode: 'dryRun', kind: 'user', userName: 'anna@acme.example', rule: 'create', groupsAdded: 'Care', httpStatus: null });
		expect(anna.actions).toBe('create, groupAdd');
		expect(JSON.parse(anna.after as string)).toMatchObject({ userName: 'anna@acme.example', title: 'Nurse', active: true });
		expect(JSON.parse(anna.before as string)).toEqual({});
		expect(Date.parse(anna.time as string)).not.toBeNaN();
		expect(rows[3].reason).toMatch(/leavers are never created/);
		expect(rows[4].reason).toMatch(/not yet due.*starts 2099-01-04/);
		expect(pairedItemProblems(dry, input.length)).toEqual([]);

		await sync(input);
		const changed = input.map((p) => (p.key === 'bert' ? { ...p, profile: { 'name.givenName': 'bert', title: 'Head nurse' } } : p));
		const second = await sync(changed, withHistory());
		const update = second.json(3).find((r) => r.key === 'bert');
		expect(update).toMatchObject({ action: 'update', outcome: 'done', rule: 'matched', before: '{"title":"Nurse"}', after: '{"title":"Head nurse"}' });
		expect(second.json(3).map((r) => r.key)).toEqual(['bert', '', 'leaver', 'prehire']);

		const all = await sync(changed, withHistory({ options: { historyUnchanged: true } }));
		expect(all.json(3).filter((r) => r.outcome === 'unchanged').map((r) => r.key).sort()).toEqual(['anna', 'bert']);
	});

	it('says blocked for every planned write of a blocked run, and failed with the HTTP status of a refused write', async () => {
		await sync(['a', 'b', 'c', 'd'].map((k) => person(k)));
		const blocked = await sync([person('a')], withHistory({ deactivateMissing: true, guards: { whenBlocked: 'output' } }));
		const rows = blocked.json(3);
		expect(rows.map((r) => [r.key, r.action, r.outcome])).toEqual([
			['b', 'deactivate', 'blocked'],
			['c', 'deactivate', 'blocked'],
			['d', 'deactivate', 'blocked'],
		]);
		expect(rows[0].reason).toMatch(/missing from the input: deactivate/);

	});

	it('gives a failed write its error and HTTP status (the view of the outcomes)', () => {
		const change = { kind: 'user' as const, key: 'e', userName: 'e@acme.example', actions: ['create' as const], status: 'failed' as const, attributes: [], groups: { added: [], removed: [] }, error: 'Plek refused it' };
		const issue = { type: 'failed' as const, key: 'e', action: 'create', status: 400, reason: 'create failed (HTTP 400): Plek refused it', whatToDo: 'check' };
		const [row] = historyRows({ decisions: [] }, { changes: [change], issues: [issue] }, { runId: '7', time: '2026-12-07T10:00:00.000Z', mode: 'apply' });
		expect(row).toMatchObject({ runId: '7', key: 'e', action: 'create', outcome: 'failed', error: 'Plek refused it', httpStatus: 400 });
	});

	it('One Item Per Action: one Changes and one History item per action and outcome, with counts and the first people', async () => {
		const input = Array.from({ length: 30 }, (_, i) => person(`p${i}`));
		input.push(person('gone', { active: false }));
		const run = await sync(input, withHistory({ mode: 'dryRun', options: { outputDetail: 'perAction', summaryPeople: 3 } }));
		expect(run.json(1)).toEqual([{ action: 'create', outcome: 'planned', count: 30, people: ['p0@acme.example (p0)', 'p1@acme.example (p1)', 'p2@acme.example (p2)'], more: 27 }]);
		expect(run.json(3)).toEqual([
			expect.objectContaining({ runId: 'harness-execution', action: 'create', outcome: 'planned', count: 30, more: 27 }),
			expect.objectContaining({ action: 'skipped', outcome: 'skipped', count: 1, people: ['gone@acme.example (gone)'], more: 0 }),
		]);
	});
});

describe('the Summary tells the whole story', () => {
	it('breaks skipped down by reason with the first people, and names manager writes in the one-line decision', async () => {
		const input = [
			person('nurse', { manager: 'head' }),
			person('head'),
			person('left1', { active: false }),
			person('left2', { active: false }),
			person('soon', { startDate: '2099-03-01' }),
		];
		const run = await sync(input);
		const [summary] = run.json(0);
		expect(summary.decision).toBe('Synced: 2 create, 1 manager set; skipped 3 (2 leavers not created, 1 pre-hires not yet due)');
		expect(summary.skippedBy).toEqual([
			{ reason: 'leavers not created', count: 2, first: ['left1@acme.example (left1)', 'left2@acme.example (left2)'] },
			{ reason: 'pre-hires not yet due', count: 1, first: ['soon@acme.example (soon)'] },
		]);
		expect(summary.skipped).toBe(3);
		const dry = await sync(input, { mode: 'dryRun' });
		expect(dry.json(0)[0].decision).toBe('Dry run: nothing would change; skipped 3 (2 leavers not created, 1 pre-hires not yet due)');
	});
});

describe('Apply One Person', () => {
	const staff = () => [
		person('nurse', { manager: 'head', groups: ['Ward 3'], profile: { 'name.givenName': 'nurse', 'emails[type eq "work"].value': 'n.nightingale@acme.example' } }),
		person('head'),
		person('other', { groups: ['Ward 3'] }),
		person('third', { manager: 'head' }),
	];

	it('found by e-mail: creates that person, the manager they need and the group they join, nothing else; each write with its outcome', async () => {
		const run = await sync(staff(), { mode: 'applyOne', explainKey: 'N.Nightingale@acme.example', options: { createMissingGroups: true } });
		expect(keys()).toEqual(['head', 'nurse']);
		expect(sandbox.groups().map((g) => g.displayName)).toEqual(['Ward 3']);
		const ward = sandbox.groups()[0] as { members?: Array<{ value: string }> };
		const nurseId = sandbox.users().find((u) => u.externalId === 'nurse')?.id;
		expect(ward.members?.map((m) => m.value)).toEqual([nurseId]);
		const nurse = sandbox.users().find((u) => u.externalId === 'nurse') as IDataObject;
		const headId = sandbox.users().find((u) => u.externalId === 'head')?.id;
		expect((nurse[ENT] as { manager?: { value?: string } }).manager?.value).toBe(headId);

		const [summary] = run.json(0);
		expect(summary).toMatchObject({ mode: 'applyOne', person: 'nurse', foundBy: 'email', dependencies: ['head'], failed: 0 });
		expect(summary.decision).toBe('Apply One Person nurse: 2 create, 1 group create, 1 group add, 1 manager set');
		expect((summary.steps as IDataObject[]).map((s) => [s.step, s.about, s.outcome])).toEqual([
			['create user', 'nurse', 'created'],
			['create user', 'head', 'created'],
			['patch user', 'nurse', 'updated'],
			['create group', 'Ward 3', 'created'],
			['add to group', 'nurse', 'updated'],
		]);
		expect((summary.explanation as string[]).join('\n')).toMatch(/e-mail of mapping key "nurse"/);

		// Applying the rest later converges: the next full run creates only the others.
		const rest = await sync(staff(), { options: { createMissingGroups: true } });
		expect(rest.json(0)[0]).toMatchObject({ done: { create: 2, groupAdd: 1, groupCreate: 0 } });
		sandbox.resetCounters();
		await sync(staff(), { options: { createMissingGroups: true } });
		expect(sandbox.counters().writes).toBe(0);
	});

	it('respects protection and the guards: a protected person gets nothing, a blocked plan writes nothing unless approved', async () => {
		await sync(['a', 'b', 'c', 'd'].map((k) => person(k)));
		sandbox.resetCounters();
		const changed = [person('a', { profile: { 'name.givenName': 'a', title: 'Boss' } })];
		const prot = await sync(changed, { mode: 'applyOne', explainKey: 'a', options: { protectedAccounts: 'a@acme.example' }, guards: { minSourceRatio: 0 } });
		expect(sandbox.counters().writes).toBe(0);
		expect(prot.json(0)[0].decision).toBe('Apply One Person: nothing to write for a');

		const guarded = { mode: 'applyOne', explainKey: 'a', deactivateMissing: true };
		await expect(sync(changed, guarded)).rejects.toThrow(/deactivat/i);
		expect(sandbox.counters().writes).toBe(0);
		const blocked = await sync(changed, { ...guarded, guards: { whenBlocked: 'output' } });
		const fingerprint = blocked.json(0)[0].fingerprint as string;
		const approved = await sync(changed, { ...guarded, guards: { approvePlan: fingerprint } });
		expect(approved.json(0)[0]).toMatchObject({ approved: true, done: { update: 1, deactivate: 0 } });
		expect(sandbox.counters().writes).toBe(1);
		expect(sandbox.users().filter((u) => u.active === false)).toEqual([]);
	});

	it('names what is wrong when nobody or several people match', async () => {
		await expect(sync(staff(), { mode: 'applyOne', explainKey: 'nobody@acme.example' })).rejects.toThrow(/Apply One Person: .*no input record or managed Plek user/);
		expect(sandbox.counters().writes).toBe(0);
	});
});

describe('Limit To First N People', () => {
	it('applies the first N people of the plan and says so; the next full run does the rest', async () => {
		const input = Array.from({ length: 10 }, (_, i) => person(`p${i}`));
		const run = await sync(input, { options: { limitPeople: 3 } });
		expect(keys()).toEqual(['p0', 'p1', 'p2']);
		expect(run.json(0)[0]).toMatchObject({ limitedTo: 3, done: { create: 3 } });
		expect(run.json(0)[0].decision).toBe('Synced: 3 create; limited to the first 3 people (10 would change in all)');
		expect(run.json(1).map((c) => c.key)).toEqual(['p0', 'p1', 'p2']);
		const rest = await sync(input);
		expect(rest.json(0)[0]).toMatchObject({ done: { create: 7 }, unchanged: 3 });
	});
});
