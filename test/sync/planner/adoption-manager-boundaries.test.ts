// Issue 22, items 4 and 11: adoption never renames and never hands over an account in a group the Sync does not
// own; a manager who leaves (or is inactive in Plek) or a manager cycle is an Issue, never written.
import { MANAGER_PATH } from '../../../core/sync/planner/managers';
import type { PlanIssue } from '../../../core/sync/types';
import { createdGroup, group, plan, plekUser, record, WORK_EMAIL } from './helpers';

const conflicts = (p: ReturnType<typeof plan>) => p.issues.filter((i: PlanIssue) => i.type === 'conflict');
const managerIssues = (p: ReturnType<typeof plan>) => p.issues.filter((i: PlanIssue) => i.type === 'unknownManager');
const managerWrites = (p: ReturnType<typeof plan>) =>
	p.steps.filter((s) => s.kind === 'manager' || ((s.kind === 'update' || s.kind === 'adopt') && s.operations.some((o) => o.path === MANAGER_PATH)));

describe('adoption', () => {
	test('a record eve@ carrying an unmanaged admin\'s e-mail does not adopt (and rename) that account', () => {
		const admin = plekUser(undefined, { userName: 'admin@acme.nl', emails: [{ type: 'work', value: 'admin@acme.nl' }] });
		const p = plan([record('eve', { userName: 'eve@acme.nl', profile: { [WORK_EMAIL]: 'admin@acme.nl' } })], [admin], [], { adoptUnmanaged: 'email' });
		expect(p.steps).toEqual([]);
		expect(conflicts(p)).toEqual([expect.objectContaining({ key: 'eve', action: 'adopt', userId: admin.id, reason: expect.stringContaining('adoption never renames an account') })]);
	});

	test('an account in a hand-made group the Sync does not own is not adopted; in an owned or literally named group it is', () => {
		const loose = plekUser(undefined, { userName: 'sam@acme.nl' });
		const rec = record('sam', { userName: 'sam@acme.nl' });
		const handMade = plan([rec], [loose], [group('Administrators', [loose])], { adoptUnmanaged: 'userName' });
		expect(handMade.steps).toEqual([]);
		expect(conflicts(handMade)[0].reason).toContain('is a member of "Administrators", a group the Sync does not own');
		expect(plan([rec], [loose], [createdGroup('Team', [loose])], { adoptUnmanaged: 'userName' }).steps.map((s) => s.kind)).toEqual(['adopt']);
		expect(plan([rec], [loose], [group('Team', [loose])], { adoptUnmanaged: 'userName', managedGroups: ['Team'] }).steps.map((s) => s.kind)).toEqual(['adopt']);
		const literal = plan([{ ...rec, groups: ['Team'] }], [loose], [group('Team', [loose])], { adoptUnmanaged: 'userName' });
		expect(literal.steps.map((s) => s.kind)).toEqual(['adopt']);
		const byField = plan([{ ...rec, groups: ['Team'], fieldGroups: ['Team'] }], [loose], [group('Team', [loose])], { adoptUnmanaged: 'userName' });
		expect(byField.steps).toEqual([]);
	});

	test('only the account\'s own groups count: a hand-made group it is not in does not stop the adoption', () => {
		const loose = plekUser(undefined, { userName: 'sam@acme.nl' });
		const other = plekUser(undefined, { userName: 'root@acme.nl' });
		const p = plan([record('sam', { userName: 'sam@acme.nl' })], [loose, other], [group('Administrators', [other])], { adoptUnmanaged: 'userName' });
		expect(p.steps.map((s) => s.kind)).toEqual(['adopt']);
	});

	test('a group named both literally and by a source value is the source value\'s: the account is not adopted', () => {
		const loose = plekUser(undefined, { userName: 'sam@acme.nl' });
		const rec = record('sam', { userName: 'sam@acme.nl', groups: ['Team', 'Other'], fieldGroups: ['team'] });
		const p = plan([rec], [loose], [group('Team', [loose]), group('Other')], { adoptUnmanaged: 'userName' });
		expect(p.steps).toEqual([]);
		expect(conflicts(p)[0].reason).toContain('is a member of "Team", a group the Sync does not own');
	});

	test('a protected account is never adopted', () => {
		const hand = plekUser(undefined, { userName: 'root@acme.nl' });
		const p = plan([record('r', { userName: 'root@acme.nl' })], [hand], [], { adoptUnmanaged: 'userName', protectedAccounts: ['root@acme.nl'] });
		expect(p.steps).toEqual([]);
	});
});

describe('managers', () => {
	const boss = plekUser('boss');
	const staff = plekUser('s1');

	test('a manager who leaves in the same run is an Issue, not written', () => {
		const p = plan([record('boss', { active: false }), record('s1', { manager: 'boss' })], [boss, staff], [], { maxDeactivations: -1, maxDeactivationPercent: -1, minSourceRatio: 0 });
		expect(managerWrites(p)).toEqual([]);
		expect(managerIssues(p)).toEqual([expect.objectContaining({ key: 's1', reason: expect.stringContaining('manager "boss" is inactive in the source') })]);
	});

	test('a manager inactive in Plek (and not in the source) is an Issue, not written', () => {
		const gone = plekUser('gone', { active: false });
		const p = plan([record('s1', { manager: 'gone' })], [gone, staff]);
		expect(managerWrites(p)).toEqual([]);
		expect(managerIssues(p)[0].reason).toContain('manager "gone" is inactive in Plek');
	});

	test('a manager missing from the source while Deactivate Missing is on is not written', () => {
		const p = plan([record('s1', { manager: 'boss' })], [boss, staff], [], { deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1, minSourceRatio: 0 });
		expect(managerWrites(p)).toEqual([]);
		expect(managerIssues(p)[0].reason).toContain('missing from the source');
	});

	test('a manager cycle (A manages B manages A) is an Issue for each, nothing written; a chain that ends is written', () => {
		const a = plekUser('a');
		const b = plekUser('b');
		const cycle = plan([record('a', { manager: 'b' }), record('b', { manager: 'a' })], [a, b]);
		expect(managerWrites(cycle)).toEqual([]);
		expect(managerIssues(cycle).map((i) => i.key).sort()).toEqual(['a', 'b']);
		expect(managerIssues(cycle)[0].reason).toMatch(/managers form a cycle: "a" is managed by "b" is managed by "a"/);
		const chain = plan([record('a', { manager: 'b' }), record('b')], [a, b]);
		expect(managerWrites(chain)).toHaveLength(1);
	});

	test('an active manager in the source and Plek is still written', () => {
		const p = plan([record('boss'), record('s1', { manager: 'boss' })], [boss, staff]);
		expect(managerWrites(p)).toHaveLength(1);
		expect(managerIssues(p)).toEqual([]);
	});
});
