// The Changes view: one item per user (and per created group), in plan order, from the steps.
import { changesFromSteps } from '../../../core/sync/planner';
import type { PlannedStep } from '../../../core/sync/types';

const steps: PlannedStep[] = [
	{ kind: 'create', key: 'n1', user: { userName: 'n1@acme.nl' }, groups: ['A'], changes: [{ path: 'userName', before: undefined, after: 'n1@acme.nl' }] },
	{ kind: 'groupAdd', groupName: 'A', key: 'n1', userRef: { key: 'n1' } },
	{ kind: 'update', key: 'u1', userId: 'id-u1', userName: 'u1@acme.nl', operations: [], changes: [{ path: 'title', before: 'a', after: 'b' }] },
	{ kind: 'reactivate', key: 'u1', userId: 'id-u1', userName: 'u1@acme.nl', reason: 'active in source', operations: [] },
	{ kind: 'groupRemove', groupName: 'B', groupId: 'g-B', key: 'u1', userRef: { userId: 'id-u1' } },
	{ kind: 'deactivate', key: 'l1', userId: 'id-l1', userName: 'l1@acme.nl', reason: 'missing from source', operations: [] },
	{ kind: 'adopt', key: 'a1', userId: 'id-a1', userName: 'a1@acme.nl', matchedBy: 'email', operations: [], changes: [{ path: 'externalId', before: undefined, after: 'a1' }] },
	{ kind: 'groupAdd', groupName: 'A', groupId: 'g-A', key: 'a1', userRef: { userId: 'id-a1' } },
	{ kind: 'groupCreate', displayName: 'A' },
];

describe('changesFromSteps', () => {
	test('one item per key with its actions, attributes, groups and reason; groups created as their own items', () => {
		expect(changesFromSteps(steps)).toEqual([
			{ kind: 'user', key: 'n1', userName: 'n1@acme.nl', actions: ['create', 'groupAdd'], status: 'planned', attributes: [{ path: 'userName', before: undefined, after: 'n1@acme.nl' }], groups: { added: ['A'], removed: [] } },
			{
				kind: 'user', key: 'u1', userId: 'id-u1', userName: 'u1@acme.nl', actions: ['update', 'reactivate', 'groupRemove'], status: 'planned', reason: 'active in source',
				attributes: [{ path: 'title', before: 'a', after: 'b' }, { path: 'active', before: false, after: true }], groups: { added: [], removed: ['B'] },
			},
			{ kind: 'user', key: 'l1', userId: 'id-l1', userName: 'l1@acme.nl', actions: ['deactivate'], status: 'planned', reason: 'missing from source', attributes: [{ path: 'active', before: true, after: false }], groups: { added: [], removed: [] } },
			{ kind: 'user', key: 'a1', userId: 'id-a1', userName: 'a1@acme.nl', actions: ['adopt', 'groupAdd'], status: 'planned', attributes: [{ path: 'externalId', before: undefined, after: 'a1' }], groups: { added: ['A'], removed: [] } },
			{ kind: 'group', groupName: 'A', actions: ['groupCreate'], status: 'planned', attributes: [], groups: { added: [], removed: [] } },
		]);
	});

	test('an action appears once per item; the identity callback names the person', () => {
		const twice: PlannedStep[] = [
			{ kind: 'groupAdd', groupName: 'A', groupId: 'g-A', key: 'k', userRef: { userId: 'id-k' } },
			{ kind: 'groupAdd', groupName: 'B', groupId: 'g-B', key: 'k', userRef: { userId: 'id-k' } },
		];
		const [item] = changesFromSteps(twice, (key) => (key === 'k' ? { userName: 'k@acme.nl', displayName: 'K K' } : undefined));
		expect(item).toMatchObject({ actions: ['groupAdd'], userId: 'id-k', userName: 'k@acme.nl', displayName: 'K K', groups: { added: ['A', 'B'], removed: [] } });
	});

	test('the create\'s own userName wins over the identity; a Plek userName does not overwrite the record\'s', () => {
		const [created] = changesFromSteps([steps[0]], () => ({ userName: 'other@acme.nl' }));
		expect(created.userName).toBe('n1@acme.nl');
		const [updated] = changesFromSteps([steps[2]], () => ({ userName: 'record@acme.nl' }));
		expect(updated.userName).toBe('record@acme.nl');
		const [noName] = changesFromSteps([{ ...steps[0], user: { userName: 7 as unknown as string } } as PlannedStep]);
		expect(noName.userName).toBeUndefined();
	});
});
