// Group rules named by a field (issue 14, item 7) in the planner: which groups are rule-managed (named by a record of
// this run, listed in managedGroups, or matching a `Prefix*` pattern), movers leaving the old department's group,
// a new department's group created only when opted in; apply, plan again, nothing to write.
import { syncOnce } from '../../../core/sync/executor';
import { groupPattern } from '../../../core/sync/planner/groups';
import type { GroupMemberStep, SyncOptions } from '../../../core/sync/types';
import { FakeDirectory } from '../fakeDirectory';
import { group, plan, plekUser, record } from './helpers';

const members = (p: ReturnType<typeof plan>, kind: GroupMemberStep['kind']) =>
	p.steps.filter((s): s is GroupMemberStep => s.kind === kind).map((s) => `${s.key}:${s.groupName}`);
const removals = (p: ReturnType<typeof plan>) => members(p, 'groupRemove');
const adds = (p: ReturnType<typeof plan>) => members(p, 'groupAdd');
const REMOVE: SyncOptions = { removeFromRuleGroups: true };

describe('a mover between departments under one field-based rule', () => {
	const a = plekUser('a');
	const b = plekUser('b');
	const groups = () => [group('Dept Care', [a, b]), group('Dept Kitchen'), group('Hand-made', [a])];

	test('the old department still named by someone else: the mover leaves it only when the Sync owns it ("Dept *"), and joins the new one', () => {
		// Issue 22: being named in a record (b's) no longer makes "Dept Care" managed; Managed Groups hands it over.
		const records = [record('a', { groups: ['Dept Kitchen'] }), record('b', { groups: ['Dept Care'] })];
		expect(removals(plan(records, [a, b], groups(), REMOVE))).toEqual([]);
		const p = plan(records, [a, b], groups(), { ...REMOVE, managedGroups: ['Dept *'] });
		expect(adds(p)).toEqual(['a:Dept Kitchen']);
		expect(removals(p)).toEqual(['a:Dept Care']);
	});

	test('the last person leaving a department: without a pattern the group is no longer rule-managed, with "Dept *" it is', () => {
		const records = [record('a', { groups: ['Dept Kitchen'] }), record('b', { groups: ['Dept Kitchen'] })];
		expect(removals(plan(records, [a, b], groups(), REMOVE))).toEqual([]);
		const p = plan(records, [a, b], groups(), { ...REMOVE, managedGroups: ['Dept *'] });
		expect(removals(p).sort()).toEqual(['a:Dept Care', 'b:Dept Care']);
		// A group outside the pattern is never touched.
		expect(removals(p).some((r) => r.includes('Hand-made'))).toBe(false);
	});

	test('patterns compare case-insensitively; a bare * matches nothing', () => {
		const records = [record('a', { groups: [] }), record('b', { groups: [] })];
		expect(removals(plan(records, [a, b], groups(), { ...REMOVE, managedGroups: ['dept *'] })).sort()).toEqual(['a:Dept Care', 'b:Dept Care']);
		expect(removals(plan(records, [a, b], groups(), { ...REMOVE, managedGroups: ['*'] }))).toEqual([]);
		expect([groupPattern('Dept *'), groupPattern('*'), groupPattern('Care')]).toEqual(['dept ', undefined, undefined]);
	});

	test('without Remove From Rule Groups the mover keeps the old group (add only)', () => {
		const p = plan([record('a', { groups: ['Dept Kitchen'] }), record('b', { groups: ['Dept Care'] })], [a, b], groups(), { managedGroups: ['Dept *'] });
		expect(removals(p)).toEqual([]);
		expect(adds(p)).toEqual(['a:Dept Kitchen']);
	});

	test('a new department: one missingGroup issue, or created with createMissingGroups', () => {
		const records = [record('a', { groups: ['Dept Research'] }), record('b', { groups: ['Dept Care'] })];
		const reported = plan(records, [a, b], groups(), REMOVE);
		expect(reported.issues).toEqual([expect.objectContaining({ type: 'missingGroup', groupName: 'Dept Research', count: 1 })]);
		expect(reported.steps.some((s) => s.kind === 'groupCreate')).toBe(false);
		const created = plan(records, [a, b], groups(), { ...REMOVE, createMissingGroups: true, managedGroups: ['Dept *'] });
		expect(created.steps.filter((s) => s.kind === 'groupCreate')).toEqual([{ kind: 'groupCreate', displayName: 'Dept Research' }]);
		expect(removals(created)).toEqual(['a:Dept Care']);
	});

	test('Explain says why the group is removed', () => {
		const p = plan([record('a', { groups: ['Dept Kitchen'] }), record('b', { groups: ['Dept Care'] })], [a, b], groups(), { ...REMOVE, managedGroups: ['Dept *'], explainKey: 'a' });
		expect(p.explanation?.join('\n')).toContain('Group "Dept Care": rule-managed, no rule puts this user there any more -> remove (removeFromRuleGroups).');
	});
});

test('convergence: a mover, the last of a department, and a new department; apply, plan again, nothing to write', async () => {
	const a = plekUser('a');
	const b = plekUser('b');
	const directory = new FakeDirectory([a, b], [group('Dept Care', [a]), group('Dept Kitchen', [b])]);
	const options: SyncOptions = { ...REMOVE, createMissingGroups: true, managedGroups: ['Dept *'] };
	const records = [record('a', { userName: a.userName, profile: {}, groups: ['Dept Kitchen'] }), record('b', { userName: b.userName, profile: {}, groups: ['Dept Research'] })];
	const first = await syncOnce(records, directory, options);
	expect(first.summary.done).toMatchObject({ groupAdd: 2, groupRemove: 2, groupCreate: 1 });
	const membersOf = (name: string) => [...directory.groups.values()].find((g) => g.displayName === name)?.members?.map((m) => m.value) ?? [];
	expect(membersOf('Dept Care')).toEqual([]);
	expect(membersOf('Dept Kitchen')).toEqual([a.id]);
	expect(membersOf('Dept Research')).toEqual([b.id]);
	directory.writes = [];
	const again = await syncOnce(records, directory, options);
	expect(directory.writes).toEqual([]);
	expect(again.changes).toEqual([]);
});
