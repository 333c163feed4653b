// Group rules: adds, missing and ambiguous groups, groups created in this run, removals.
import { createdGroup, group, plan, plekUser, record } from './helpers';

describe('group adds', () => {
	test('an existing group gets the user by id; a member is not added again', () => {
		const u = plekUser('k1');
		const p = plan([record('k1', { groups: ['A', 'B'] })], [u], [group('A', [u]), group('B')]);
		expect(p.steps).toEqual([{ kind: 'groupAdd', groupName: 'B', groupId: 'g-B', key: 'k1', userRef: { userId: u.id } }]);
	});

	test('a leaver gets no group changes', () => {
		const u = plekUser('k1');
		const p = plan([record('k1', { active: false, groups: ['A'] })], [u], [group('A')]);
		expect(p.steps.map((s) => s.kind)).toEqual(['deactivate']);
	});

	test('several Plek groups with one name: no adds, one conflict per name, the user still counted unchanged', () => {
		const u = plekUser('k1');
		const p = plan([record('k1', { groups: ['Dup'] }), record('k2', { groups: ['Dup'] })], [u], [group('Dup', [], 'g1'), group('dup', [], 'g2')]);
		expect(p.steps.map((s) => s.kind)).toEqual(['create']);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'conflict', groupName: 'Dup', action: 'groupAdd' })]);
		expect(p.counts).toMatchObject({ conflicts: 1, unchanged: 1 });
	});

	test('a missing group counts each user once; spelled differently, still one issue with the first spelling', () => {
		const p = plan([record('k1', { groups: ['Nope'] }), record('k2', { groups: ['NOPE'] }), record('k3', { groups: ['nope'] })]);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'missingGroup', groupName: 'Nope', count: 3 })]);
	});

	test('createMissingGroups: one create per name (first spelling), adds by name, new users by key', () => {
		const u = plekUser('k1');
		const p = plan([record('k1', { groups: ['New'] }), record('k2', { groups: ['NEW'] })], [u], [], { createMissingGroups: true });
		expect(p.steps.filter((s) => s.kind !== 'create')).toEqual([
			{ kind: 'groupAdd', groupName: 'New', key: 'k1', userRef: { userId: u.id } },
			{ kind: 'groupAdd', groupName: 'New', key: 'k2', userRef: { key: 'k2' } },
			{ kind: 'groupCreate', displayName: 'New' },
		]);
		expect(p.steps.find((s) => s.kind === 'create')).toMatchObject({ key: 'k2', groups: ['New'] });
	});
});

describe('group removals (removeFromRuleGroups)', () => {
	const u1 = plekUser('k1');
	const u2 = plekUser('k2');
	const stranger = plekUser('k3');
	// Care: created by the Sync (marked), so owned; Listed: owned through Managed Groups; Other: nobody's (issue 22).
	const groups = () => [createdGroup('Care', [u1, u2, stranger]), group('Listed', [u1]), group('Other', [u1])];

	test('off by default: nothing removed', () => {
		expect(plan([record('k1'), record('k2', { groups: ['Care'] })], [u1, u2], groups()).steps).toEqual([]);
	});

	test('removed from rule-managed groups only; members not in the input and leavers are kept', () => {
		const p = plan([record('k1'), record('k2', { groups: ['Care'], active: true }), record('k3', { active: false })], [u1, u2, stranger], groups(), { removeFromRuleGroups: true, managedGroups: ['Listed'] });
		expect(p.steps.filter((s) => s.kind === 'groupRemove')).toEqual([
			{ kind: 'groupRemove', groupName: 'Listed', groupId: 'g-Listed', key: 'k1', userRef: { userId: u1.id } },
			{ kind: 'groupRemove', groupName: 'Care', groupId: 'g-Care', key: 'k1', userRef: { userId: u1.id } },
		]);
	});

	test('groups switched off: no removals either', () => {
		const p = plan([record('k1'), record('k2', { groups: ['Care'] })], [u1, u2], groups(), { removeFromRuleGroups: true, groups: false });
		expect(p.steps).toEqual([]);
	});

	test('an adopted account counts as matched; an ambiguous group is left alone', () => {
		const loose = plekUser(undefined, { userName: 'k9@acme.nl' });
		const p = plan([record('k9'), record('k2', { groups: ['Care', 'Dup'] })], [loose, u2], [createdGroup('Care', [loose, u2]), createdGroup('Dup', [loose], 'd1'), createdGroup('Dup', [loose], 'd2')], { removeFromRuleGroups: true, adoptUnmanaged: 'userName' });
		expect(p.steps.filter((s) => s.kind === 'groupRemove').map((s) => ['key' in s ? s.key : undefined, 'groupName' in s ? s.groupName : ''])).toEqual([['k9', 'Care']]);
	});
});
