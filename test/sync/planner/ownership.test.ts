// Issue 22, items 1-3: the Sync adds to and removes from a group only where the admin handed it over (named
// literally in a rule, created by the Sync, or in Managed Groups); a source value naming any other existing group, the
// protected group or a look-alike is an Issue naming the person and the group, never a membership.
import { syncOnce } from '../../../core/sync/executor';
import { groupNameProblem, groupSkeleton, normaliseGroupName } from '../../../core/sync/planner/groupNames';
import { CREATED_GROUP_MARK } from '../../../core/sync/planner/ownership';
import type { GroupMemberStep, PlanIssue, SyncOptions } from '../../../core/sync/types';
import { FakeDirectory } from '../fakeDirectory';
import { createdGroup, group, plan, plekUser, record } from './helpers';

const memberSteps = (p: ReturnType<typeof plan>, kind: GroupMemberStep['kind']) =>
	p.steps.filter((s): s is GroupMemberStep => s.kind === kind).map((s) => `${s.key}:${s.groupName}`);
const refused = (p: ReturnType<typeof plan>) => p.issues.filter((i: PlanIssue) => i.type === 'refusedGroup');

/** A record whose department rule (a rule named by a field) gave these group names. */
const byDepartment = (key: string, ...groups: string[]) => record(key, { groups, fieldGroups: groups });

describe('a source value never reaches a group the admin did not hand over', () => {
	const admin = plekUser(undefined, { userName: 'root@acme.nl' });
	const eve = plekUser('eve');
	const groups = () => [group('Administrators', [admin]), group('Care')];

	test('department "administrators" adds nobody to the hand-made Administrators group and reports an Issue naming the person and the group', () => {
		const p = plan([byDepartment('eve', 'administrators')], [admin, eve], groups());
		expect(memberSteps(p, 'groupAdd')).toEqual([]);
		expect(refused(p)).toEqual([
			expect.objectContaining({ key: 'eve', userName: 'eve@acme.nl', groupName: 'administrators', action: 'groupAdd', reason: expect.stringContaining('"Administrators", which the Sync does not own') }),
		]);
	});

	test('the same name from a literal rule (not in fieldGroups) is added: the admin named it', () => {
		const p = plan([record('eve', { groups: ['Care'] })], [admin, eve], groups());
		expect(memberSteps(p, 'groupAdd')).toEqual(['eve:Care']);
		expect(refused(p)).toEqual([]);
	});

	test('a field-named group the Sync owns (Managed Groups pattern, or created by it) is added', () => {
		const owned = plan([byDepartment('eve', 'Afdeling Zorg')], [eve], [group('Afdeling Zorg')], { managedGroups: ['Afdeling *'] });
		expect(memberSteps(owned, 'groupAdd')).toEqual(['eve:Afdeling Zorg']);
		const created = plan([byDepartment('eve', 'Zorg')], [eve], [createdGroup('Zorg')]);
		expect(memberSteps(created, 'groupAdd')).toEqual(['eve:Zorg']);
		const outside = plan([byDepartment('eve', 'Zorg')], [eve], [group('Zorg')], { managedGroups: ['Afdeling *'] });
		expect(memberSteps(outside, 'groupAdd')).toEqual([]);
		expect(refused(outside)).toHaveLength(1);
	});

	test('a department equal to the Protected Group adds nobody (the person never becomes protected); a literal rule naming it blocks the run', () => {
		const protectedGroup = group('Break glass', [admin]);
		const field = plan([byDepartment('eve', 'break glass')], [admin, eve], [protectedGroup], { protectedGroup: 'Break glass' });
		expect(memberSteps(field, 'groupAdd')).toEqual([]);
		expect(refused(field)).toEqual([expect.objectContaining({ key: 'eve', reason: expect.stringContaining('protected group') })]);
		expect(field.blocked).toBeUndefined();
		const literal = plan([record('eve', { groups: ['Break glass'] })], [admin, eve], [protectedGroup], { protectedGroup: 'Break glass' });
		expect(memberSteps(literal, 'groupAdd')).toEqual([]);
		expect(literal.blocked?.reason).toMatch(/configuration error.*protected group "Break glass"/);
		const listed = plan([record('eve')], [admin, eve], [protectedGroup], { protectedGroup: 'Break glass', managedGroups: ['break glass'] });
		expect(listed.blocked?.reason).toMatch(/protected group "Break glass" is listed in Managed Groups/);
	});
});

describe('being named in a record never makes a group rule-managed', () => {
	const handAdded = plekUser('boss');
	const leaver = plekUser('leaver');
	const member = plekUser('member');

	test('a leaver naming Administrators removes nobody, even with Remove From Rule Groups', () => {
		const admins = group('Administrators', [handAdded, member]);
		const records = [record('boss', { groups: [] }), record('member', { groups: [] }), record('leaver', { active: false, groups: ['Administrators'] })];
		const p = plan(records, [handAdded, leaver, member], [admins], { removeFromRuleGroups: true });
		expect(memberSteps(p, 'groupRemove')).toEqual([]);
	});

	test('an active record naming a hand-made team group (literally or by field) removes no hand-added member', () => {
		const team = group('Team A', [handAdded, member]);
		for (const named of [record('member', { groups: ['Team A'] }), byDepartment('member', 'Team A')]) {
			const p = plan([record('boss', { groups: [] }), named], [handAdded, member], [team], { removeFromRuleGroups: true });
			expect(memberSteps(p, 'groupRemove')).toEqual([]);
		}
	});

	test('a group the Sync created is owned: a member the rules no longer name leaves it', () => {
		const p = plan([record('boss', { groups: [] })], [handAdded], [createdGroup('Team A', [handAdded])], { removeFromRuleGroups: true });
		expect(memberSteps(p, 'groupRemove')).toEqual(['boss:Team A']);
	});

	test('a Managed Groups pattern never owns the protected group', () => {
		const p = plan([record('boss', { groups: [] })], [handAdded], [group('Admins', [handAdded])], { removeFromRuleGroups: true, managedGroups: ['Ad*'], protectedGroup: 'Admins' });
		expect(memberSteps(p, 'groupRemove')).toEqual([]);
		expect(p.blocked).toBeUndefined();
	});

	test('a Managed Groups pattern never owns the protected group: a source value naming it adds nobody', () => {
		// Not masked by protection: the person is not a member yet, so only ownership can refuse this add.
		const newcomer = plekUser('newcomer');
		const p = plan(
			[record('newcomer', { groups: ['Admins'], fieldGroups: ['Admins'] })],
			[handAdded, newcomer],
			[group('Admins', [handAdded])],
			{ managedGroups: ['Ad*'], protectedGroup: 'Admins' },
		);
		expect(memberSteps(p, 'groupAdd')).toEqual([]);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'refusedGroup', key: 'newcomer', reason: expect.stringContaining('protected group') })]);
	});
});

describe('group names: one normalisation, look-alikes refused', () => {
	test('NFC, trim and lower-case are the one normalisation', () => {
		expect(normaliseGroupName('  Cafe\u0301 ')).toBe(normaliseGroupName('café'));
		expect(normaliseGroupName('CARE')).toBe('care');
	});

	test.each([
		['Kelvin sign', '\u212Aitchen', /compatibility character U\+212A/],
		['Cyrillic a in a Latin name', '\u0430dministrators', /mixes letters of several scripts \(Cyrillic, Latin\)/],
		['zero-width space', 'Admin\u200Bistrators', /invisible.*U\+200B/],
		['no-break space inside', 'Team\u00A0A', /non-standard space.*U\+00A0/],
		['right-to-left override', 'Care\u202E', /bidi.*U\+202E/],
		['variation selector', 'Care\uFE0F', /invisible.*U\+FE0F/],
	])('%s is refused', (_what, name, why) => {
		expect(groupNameProblem(name)).toMatch(why);
	});

	test('ordinary names pass: accents, digits, Japanese with Latin, one script', () => {
		for (const name of ['Zorg & Welzijn', 'Café 2', 'Équipe Nord', 'Team 東京 さくら', 'Отдел кадров', 'Ομάδα']) expect(groupNameProblem(name)).toBeUndefined();
	});

	test('a look-alike of an existing group is refused, never a twin: all-Cyrillic "Асе" beside "Ace", "0ps" beside "Ops"', () => {
		expect(groupSkeleton(normaliseGroupName('Асе'))).toBe(groupSkeleton(normaliseGroupName('Ace')));
		const u = plekUser('k1');
		const p = plan([record('k1', { groups: ['Асе', '0ps'] })], [u], [group('Ace'), group('Ops')], { createMissingGroups: true });
		expect(p.steps.filter((s) => s.kind === 'groupCreate')).toEqual([]);
		expect(memberSteps(p, 'groupAdd')).toEqual([]);
		expect(refused(p).map((i) => i.groupName)).toEqual(['Асе', '0ps']);
		expect(refused(p)[0].reason).toContain('looks like the existing group "Ace"');
	});

	test('trailing spaces and case match the existing group (no twin is created)', () => {
		const u = plekUser('k1');
		const p = plan([record('k1', { groups: ['care  '] })], [u], [group('Care')], { createMissingGroups: true });
		expect(p.steps).toEqual([expect.objectContaining({ kind: 'groupAdd', groupName: 'Care', groupId: 'g-Care' })]);
	});

	test('two new names of one run that look alike: the first is created, the second refused', () => {
		const p = plan([record('a', { groups: ['Kitchen'] }), record('b', { groups: ['Kitchen'.replace('c', '\u0441')] })], [], [], { createMissingGroups: true });
		expect(p.steps.filter((s) => s.kind === 'groupCreate')).toEqual([{ kind: 'groupCreate', displayName: 'Kitchen' }]);
		expect(refused(p)).toHaveLength(1);
	});
});

test('convergence: a group the Sync creates is marked, owned on the next run, and a second run writes nothing', async () => {
	const a = plekUser('a');
	const directory = new FakeDirectory([a], []);
	const options: SyncOptions = { createMissingGroups: true, removeFromRuleGroups: true };
	await syncOnce([byDepartment('a', 'Research')], directory, options);
	const created = [...directory.groups.values()].find((g) => g.displayName === 'Research');
	expect(created?.externalId).toBe(`${CREATED_GROUP_MARK}research`);
	directory.writes = [];
	const again = await syncOnce([byDepartment('a', 'Research')], directory, options);
	expect(directory.writes).toEqual([]);
	expect(again.issues).toEqual([]);
	// The mover leaves the Sync's own group (owned: created by it) without any Managed Groups entry.
	const moved = await syncOnce([byDepartment('a', 'Kitchen')], directory, options);
	expect(moved.summary.done).toMatchObject({ groupCreate: 1, groupAdd: 1, groupRemove: 1 });
});

test('the record contract: fieldGroups must name groups of the record', () => {
	const p = plan([record('k1', { groups: ['Care'], fieldGroups: ['Kitchen'] })], [], []);
	expect(p.issues).toEqual([expect.objectContaining({ type: 'invalid', reason: expect.stringContaining('"fieldGroups" names "Kitchen", which is not in "groups"') })]);
});
