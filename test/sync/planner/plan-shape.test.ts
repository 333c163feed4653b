// The plan is what is applied: one UserChange per user (its create, or ONE PATCH merging adopt / update /
// (de|re)activate with the planned version) and the membership changes per group and kind.
import { executePlan } from '../../../core/sync/executor';
import type { UserWrite } from '../../../core/types';
import { FakeDirectory } from '../fakeDirectory';
import { group, plan, plekUser, record } from './helpers';

describe('user changes', () => {
	test('an update and a reactivation of one user are one PATCH, update first, with the version', () => {
		const u = plekUser('k1', { active: false, title: 'Old', meta: { version: 'W/"3"' } });
		const p = plan([record('k1', { profile: { title: 'New' } })], [u]);
		expect(p.userChanges).toEqual([
			{
				key: 'k1',
				target: { userId: u.id },
				version: 'W/"3"',
				operations: [
					{ op: 'replace', path: 'title', value: 'New' },
					{ op: 'replace', path: 'active', value: true },
				],
				steps: [expect.objectContaining({ kind: 'update' }), expect.objectContaining({ kind: 'reactivate' })],
				reasons: ['matched', 'active in source'],
			},
		]);
	});

	test('an adoption PATCH sets externalId first; a create carries its POST body; a leaver its deactivation', () => {
		const loose = plekUser(undefined, { userName: 'a@acme.nl' });
		const leaver = plekUser('l1');
		const p = plan([record('a', { profile: {} }), record('new'), record('l1', { active: false })], [loose, leaver], [], { adoptUnmanaged: 'userName' });
		expect(p.userChanges.map((c) => [c.key, 'create' in c.target ? 'create' : c.target.userId, c.reasons])).toEqual([
			['new', 'create', ['create']],
			['l1', leaver.id, ['deactivateLeaver', 'inactive in source']],
			['a', loose.id, ['adopted']],
		]);
		expect(p.userChanges[2].operations[0]).toEqual({ op: 'replace', path: 'externalId', value: 'a' });
		expect(p.userChanges[0].target).toEqual({ create: expect.objectContaining({ externalId: 'new', userName: 'new@acme.nl', active: true }) });
	});

	test('an unchanged user has no user change', () => {
		expect(plan([record('k1')], [plekUser('k1')]).userChanges).toEqual([]);
	});
});

describe('membership changes', () => {
	test('one change per group and kind, members in plan order; a new group by name', () => {
		const a = plekUser('a');
		const b = plekUser('b');
		const p = plan([record('a', { groups: ['Care', 'New'] }), record('b', { groups: ['Care'] }), record('c', { groups: ['Care'] })], [a, b], [group('Care'), group('Old', [a])], {
			createMissingGroups: true,
			removeFromRuleGroups: true,
			managedGroups: ['Old'],
		});
		expect(p.membershipChanges.map((c) => [c.kind, c.groupName, c.groupId, c.members.map((m) => m.key)])).toEqual([
			['groupAdd', 'Care', 'g-Care', ['a', 'b', 'c']],
			['groupAdd', 'New', undefined, ['a']],
			['groupRemove', 'Old', 'g-Old', ['a']],
		]);
	});
});

describe('the executor applies the plan as it is', () => {
	test('the PATCH operations handed to the transport are the plan\'s own, in its order; no regrouping', async () => {
		const users = [plekUser('k1', { title: 'x' }), plekUser('k2', { active: false })];
		const dir = new FakeDirectory(users, []);
		const seen: UserWrite[][] = [];
		const writeUsers = dir.writeUsers.bind(dir);
		dir.writeUsers = (writes, options) => {
			seen.push([...writes]);
			return writeUsers(writes, options);
		};
		const p = plan([record('k1', { profile: { title: 'y' } }), record('k2'), record('k3')], users);
		const result = await executePlan(p, dir);
		expect(seen).toHaveLength(1);
		const patches = seen[0].filter((w) => w.kind === 'patch');
		expect(patches.map((w) => (w.kind === 'patch' ? w.operations : undefined))).toEqual(p.userChanges.filter((c) => 'userId' in c.target).map((c) => c.operations));
		expect(patches[0].kind === 'patch' && patches[0].operations).toBe(p.userChanges[0].operations);
		expect(seen[0].map((w) => w.kind)).toEqual(['patch', 'patch', 'create']);
		expect(result.summary.done).toMatchObject({ update: 1, reactivate: 1, create: 1 });
	});
});
