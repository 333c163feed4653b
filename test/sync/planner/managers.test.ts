// Managers (planner/managers.ts): the record's manager key -> enterprise manager.value = the manager's Plek id.
import { MANAGER_PATH } from '../../../core/sync/planner/managers';
import type { SyncPlan } from '../../../core/sync/types';
import { ENT, plan, plekUser, record } from './helpers';

const stepsOf = (p: SyncPlan, kind: string) => p.steps.filter((s) => s.kind === kind);
const issuesOf = (p: SyncPlan) => p.issues.filter((i) => i.type === 'unknownManager');
const withManager = (id: string) => ({ [ENT]: { manager: { value: id } } });

describe('manager in Plek', () => {
	test('subordinate and manager both in Plek: one replace of the whole manager value in the user\'s PATCH', () => {
		const boss = plekUser('boss');
		const p = plan([record('boss'), record('k1', { manager: 'boss' })], [boss, plekUser('k1')]);
		expect(p.steps).toEqual([
			expect.objectContaining({
				kind: 'update',
				key: 'k1',
				operations: [{ op: 'replace', path: MANAGER_PATH, value: { value: boss.id } }],
				changes: [{ path: 'manager', before: undefined, after: 'boss' }],
			}),
		]);
		expect(p.counts).toMatchObject({ update: 1, unchanged: 1 });
	});

	test('already the manager in Plek: nothing to write', () => {
		const boss = plekUser('boss');
		const p = plan([record('k1', { manager: 'boss' })], [boss, plekUser('k1', withManager(boss.id))]);
		expect(p.steps).toEqual([]);
		expect(p.counts.unchanged).toBe(1);
	});

	test('a change of manager joins the other attribute changes of the user (one PATCH), before: the old manager\'s key', () => {
		const [old, next] = [plekUser('old'), plekUser('next')];
		const p = plan([record('k1', { manager: 'next', profile: { title: 'Head' } })], [old, next, plekUser('k1', withManager(old.id))]);
		expect(p.userChanges).toHaveLength(1);
		expect(p.userChanges[0].operations).toEqual([
			{ op: 'replace', path: 'title', value: 'Head' },
			{ op: 'replace', path: MANAGER_PATH, value: { value: next.id } },
		]);
		expect(p.changes[0].attributes).toContainEqual({ path: 'manager', before: 'old', after: 'next' });
	});

	test('a manager only in Plek (not in this input) still resolves by externalId', () => {
		const boss = plekUser('boss');
		const p = plan([record('k1', { manager: 'boss' })], [boss, plekUser('k1')]);
		expect(stepsOf(p, 'update')).toHaveLength(1);
	});

	test('a new subordinate whose manager is in Plek: the manager is in the POST body', () => {
		const boss = plekUser('boss');
		const p = plan([record('new1', { manager: 'boss' })], [boss]);
		const create = p.steps.find((s) => s.kind === 'create') as { user: Record<string, unknown>; changes: unknown[] };
		expect(create.user[ENT]).toEqual({ manager: { value: boss.id } });
		expect(create.user.schemas).toContain(ENT);
		expect(create.changes).toContainEqual({ path: 'manager', before: undefined, after: 'boss' });
		expect(stepsOf(p, 'manager')).toEqual([]);
	});

	test('an adopted manager resolves to the adopted account', () => {
		const unmanaged = plekUser(undefined, { userName: 'boss@acme.nl' });
		const p = plan([record('boss'), record('k1', { manager: 'boss' })], [unmanaged, plekUser('k1')], [], { adoptUnmanaged: 'userName' });
		expect((stepsOf(p, 'update')[0] as { operations: unknown[] }).operations).toEqual([{ op: 'replace', path: MANAGER_PATH, value: { value: unmanaged.id } }]);
	});
});

describe('manager created in the same run', () => {
	test('a chain of three new people: the top is created as is, the others get a manager step after the creates', () => {
		const p = plan([record('c', { manager: 'b' }), record('b', { manager: 'a' }), record('a')]);
		expect(p.counts).toMatchObject({ create: 3 });
		expect(stepsOf(p, 'manager')).toEqual([
			{ kind: 'manager', key: 'c', userRef: { key: 'c' }, managerKey: 'b', managerRef: { key: 'b' }, before: undefined },
			{ kind: 'manager', key: 'b', userRef: { key: 'b' }, managerKey: 'a', managerRef: { key: 'a' }, before: undefined },
		]);
		expect(p.userChanges.map((c) => c.key)).toEqual(['c', 'b', 'a']); // the manager steps are no user change of their own
		expect(p.changes.find((c) => c.key === 'c')).toMatchObject({ actions: ['create', 'manager'], attributes: expect.arrayContaining([{ path: 'manager', before: undefined, after: 'b' }]) });
		expect(p.fingerprint).toMatch(/^create3\.manager2-/);
	});

	test('an existing subordinate whose new manager is created now: a manager step on its id', () => {
		const [old, k1] = [plekUser('old'), plekUser('k1')];
		k1[ENT] = { manager: { value: old.id } };
		const p = plan([record('k1', { manager: 'fresh' }), record('fresh')], [old, k1]);
		expect(stepsOf(p, 'manager')).toEqual([{ kind: 'manager', key: 'k1', userRef: { userId: k1.id }, managerKey: 'fresh', managerRef: { key: 'fresh' }, before: 'old' }]);
		expect(p.counts).toMatchObject({ create: 1, manager: 1, update: 0 });
	});

	test('a cycle (A manages B manages A) is an Issue for each, no manager step (issue 22), no loop', () => {
		const p = plan([record('a', { manager: 'b' }), record('b', { manager: 'a' })]);
		expect(stepsOf(p, 'manager')).toEqual([]);
		expect(issuesOf(p).map((i) => i.key)).toEqual(['a', 'b']);
	});
});

describe('manager that cannot be resolved: reported, the person still syncs', () => {
	test('neither in Plek nor in the source', () => {
		const p = plan([record('k1', { manager: 'ghost' })]);
		expect(p.counts.create).toBe(1);
		expect(issuesOf(p)).toEqual([
			expect.objectContaining({ key: 'k1', action: 'manager', reason: 'manager "ghost" is neither in Plek nor in the source; no manager written.', whatToDo: expect.stringMatching(/mapping key/) }),
		]);
		expect(p.counts).toMatchObject({ conflicts: 0, invalid: 0 });
	});

	test('in the source but not created (a leaver, or creation off): the reason names the rule', () => {
		const leaver = plan([record('boss', { active: false }), record('k1', { manager: 'boss' })], [plekUser('k1')]);
		expect(issuesOf(leaver)[0].reason).toMatch(/"boss" is in the source but has no Plek account and is not created in this run \(leaverNotCreated\)/);
		expect(leaver.steps).toEqual([]);
		const off = plan([record('boss'), record('k1', { manager: 'boss' })], [plekUser('k1')], [], { create: false });
		expect(issuesOf(off)[0].reason).toMatch(/createSwitchedOff/);
	});

	test('a person as their own manager, and a manager key two Plek users share', () => {
		expect(issuesOf(plan([record('k1', { manager: 'k1' })]))[0].reason).toMatch(/is the person themselves/);
		const twice = plan([record('k1', { manager: 'dup' })], [plekUser('dup'), plekUser('dup')]);
		expect(issuesOf(twice)[0].reason).toMatch(/several Plek users have externalId "dup"/);
	});

	test('Plek\'s manager is kept when the new one cannot be resolved', () => {
		const old = plekUser('old');
		const p = plan([record('k1', { manager: 'ghost' })], [old, plekUser('k1', withManager(old.id))]);
		expect(p.steps).toEqual([]);
		expect(issuesOf(p)).toHaveLength(1);
	});
});

describe('what takes no manager', () => {
	test('no manager / an empty manager writes nothing (Plek\'s is kept); leavers and updates switched off neither', () => {
		const old = plekUser('old');
		const users = () => [old, plekUser('boss'), plekUser('k1', withManager(old.id))];
		expect(plan([record('k1')], users()).steps).toEqual([]);
		expect(plan([record('k1', { manager: '' } as never)], users()).steps).toEqual([]);
		expect(plan([record('k1', { manager: 'boss', active: false })], users()).steps.map((s) => s.kind)).toEqual(['deactivate']);
		expect(plan([record('k1', { manager: 'boss' })], users(), [], { update: false }).steps).toEqual([]);
	});

	test('a protected account gets no manager written', () => {
		const p = plan([record('k1', { manager: 'boss' })], [plekUser('boss'), plekUser('k1')], [], { protectedAccounts: ['k1'] });
		expect(p.steps).toEqual([]);
	});

	test('Explain shows the manager decision', () => {
		const p = plan([record('c', { manager: 'b' }), record('b')], [], [], { explainKey: 'c' });
		expect(p.explanation).toContain('Manager "b" is created in this run too: set after the creates.');
	});
});

describe('the record contract', () => {
	test('manager must be a text (the manager\'s mapping key)', () => {
		const p = plan([{ ...record('k1'), manager: 42 }]);
		expect(p.issues[0]).toMatchObject({ type: 'invalid', reason: expect.stringMatching(/"manager" must be the manager's mapping key/) });
	});
});
