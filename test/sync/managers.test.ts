// Managers applied by the executor (fake SCIM directory): people created in the same run resolve, a cycle is two
// writes, and a second plan after applying is empty (convergence).
import { executePlan, syncOnce } from '../../core/sync/executor';
import { currentManagerId } from '../../core/sync/planner/managers';
import { planSync } from '../../core/sync/planner';
import type { SyncOptions } from '../../core/sync/types';
import type { PlekUserRecord, ScimUserDraft } from '../../core/types';
import { plekUser, record } from './builders';
import { FakeDirectory, FakeScimError } from './fakeDirectory';

async function plan(dir: FakeDirectory, records: PlekUserRecord[], options: SyncOptions = {}) {
	return planSync(records, { users: await dir.listUsers(), groups: await dir.listGroups() }, options);
}

/** The manager's mapping key of `key` in the fake Plek. */
function managerOf(dir: FakeDirectory, key: string): string | undefined {
	const id = currentManagerId(dir.byExternalId(key)!);
	return id === undefined ? undefined : dir.users.get(id)?.externalId;
}

describe.each([false, true])('bulk %s', (bulk) => {
	test('a chain of three created in one run: each gets the manager created with it; a second plan is empty', async () => {
		const dir = new FakeDirectory();
		dir.bulkSupported = bulk;
		const records = [record('nurse', { manager: 'head' }), record('head', { manager: 'director' }), record('director')];
		const result = await executePlan(await plan(dir, records), dir);
		expect(result.issues).toEqual([]);
		expect(result.summary.done).toMatchObject({ create: 3, manager: 2 });
		expect(result.summary.done).toEqual(result.summary.planned);
		expect(managerOf(dir, 'nurse')).toBe('head');
		expect(managerOf(dir, 'head')).toBe('director');
		expect(managerOf(dir, 'director')).toBeUndefined();
		expect(result.changes.map((c) => [c.key, c.status])).toEqual([['nurse', 'done'], ['head', 'done'], ['director', 'done']]);
		expect((await plan(dir, records)).steps).toEqual([]);
	});
});

test('a cycle (A manages B manages A) is an Issue, no manager written (issue 22), and converges', async () => {
	const dir = new FakeDirectory();
	const records = [record('a', { manager: 'b' }), record('b', { manager: 'a' })];
	await executePlan(await plan(dir, records), dir);
	expect(dir.writes.map((w) => w.kind)).toEqual(['createUser', 'createUser']);
	expect([managerOf(dir, 'a'), managerOf(dir, 'b')]).toEqual([undefined, undefined]);
	const again = await plan(dir, records);
	expect(again.steps).toEqual([]);
	expect(again.issues.map((i) => [i.key, i.type])).toEqual([['a', 'unknownManager'], ['b', 'unknownManager']]);
});

test('a change of manager is an ordinary update; existing people and a new manager mix; then nothing', async () => {
	const boss = plekUser('boss');
	const dir = new FakeDirectory([boss, plekUser('k1'), plekUser('k2')]);
	const first = [record('boss'), record('k1', { manager: 'boss' }), record('k2', { manager: 'boss' })];
	await syncOnce(first, dir);
	expect([managerOf(dir, 'k1'), managerOf(dir, 'k2')]).toEqual(['boss', 'boss']);
	// k2 moves to a new manager created in this run; k1 to an existing colleague.
	const second = [record('boss'), record('k1', { manager: 'k2' }), record('k2', { manager: 'newboss' }), record('newboss', { manager: 'boss' })];
	const p = await plan(dir, second);
	expect(p.counts).toMatchObject({ create: 1, update: 1, manager: 1 });
	const result = await executePlan(p, dir);
	expect(result.summary.failed).toBe(0);
	expect([managerOf(dir, 'k1'), managerOf(dir, 'k2'), managerOf(dir, 'newboss')]).toEqual(['k2', 'newboss', 'boss']);
	expect(result.changes.find((c) => c.key === 'k2')?.attributes).toEqual([{ path: 'manager', before: 'boss', after: 'newboss' }]);
	expect((await plan(dir, second)).steps).toEqual([]);
});

test('the manager\'s create fails: the subordinate is created, its manager step fails saying why; the next run finishes it', async () => {
	const dir = new FakeDirectory();
	dir.fault = (kind, target) => (kind === 'createUser' && (target as ScimUserDraft).externalId === 'head' ? new FakeScimError(400, 'refused') : undefined);
	const records = [record('nurse', { manager: 'head' }), record('head')];
	const result = await executePlan(await plan(dir, records), dir);
	expect(dir.byExternalId('nurse')).toBeDefined();
	expect(result.issues.map((i) => [i.key, i.action, i.reason])).toEqual([
		['head', 'create', 'create failed (HTTP 400): refused'],
		['nurse', 'manager', 'manager failed: manager "head" was not created, so the manager cannot be set'],
	]);
	expect(result.changes.find((c) => c.key === 'nurse')?.status).toBe('partial');
	dir.fault = () => undefined;
	await syncOnce(records, dir);
	expect(managerOf(dir, 'nurse')).toBe('head');
	expect((await plan(dir, records)).steps).toEqual([]);
});

test('an unknown manager is reported; the person still syncs and a re-run writes nothing', async () => {
	const dir = new FakeDirectory();
	const records = [record('k1', { manager: 'ghost' })];
	const result = await syncOnce(records, dir);
	expect(result.summary.done.create).toBe(1);
	expect(result.issues).toEqual([expect.objectContaining({ type: 'unknownManager', key: 'k1', userName: 'k1@acme.nl' })]);
	const before = dir.writeCount();
	await syncOnce(records, dir);
	expect(dir.writeCount()).toBe(before);
});
