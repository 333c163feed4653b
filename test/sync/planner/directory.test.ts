// Indexing Plek: managed users by externalId (duplicates apart), the managed-active count, userName and e-mail
// lookups (case-insensitive, built on first use), groups by name with their members.
import { indexDirectory, userEmails } from '../../../core/sync/planner/directory';
import { group, plekUser } from './helpers';

describe('indexDirectory', () => {
	test('managed users by externalId; duplicates set apart; only managed active users counted', () => {
		const a = plekUser('a');
		const dir = indexDirectory({
			users: [a, plekUser('b', { active: false }), plekUser('d'), plekUser('d'), plekUser(undefined), plekUser('', {}), { id: 7 } as never, null as never],
			groups: [],
		});
		expect([...dir.byExternalId.keys()]).toEqual(['a', 'b', 'd']);
		expect(dir.managedUser('a')).toBe(a);
		expect(dir.listed[dir.byExternalId.get('a') as number]).toBe(a);
		expect([...dir.inInput]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // nothing counted before the input is checked
		expect([...dir.duplicateExternalIds]).toEqual(['d']);
		expect(dir.managedActive).toBe(3); // a, and both d's; not b (inactive), not the unmanaged ones
	});

	test('a repeated externalId: the first user with it holds the entry, at the position of its first appearance', () => {
		const first = plekUser('d');
		const firstE = plekUser('e');
		const dir = indexDirectory({ users: [first, firstE, plekUser('d'), plekUser('f'), plekUser('d'), plekUser('e')], groups: [] });
		expect([...dir.byExternalId.keys()]).toEqual(['d', 'e', 'f']);
		expect(dir.managedUser('d')).toBe(first);
		expect(dir.byExternalId.get('d')).toBe(0);
		expect(dir.managedUser('e')).toBe(firstE);
		expect(dir.managedUser('f')).toBe(dir.listed[3]);
		expect(dir.managedUser('x')).toBeUndefined();
		expect([...dir.duplicateExternalIds].sort()).toEqual(['d', 'e']);
		expect(dir.managedActive).toBe(6);
	});

	test('userName and e-mail lookups ignore case; several holders of one e-mail are all found once', () => {
		const u1 = plekUser('x', { userName: 'Jan@Acme.nl', emails: [{ type: 'work', value: 'Team@acme.nl' }, { type: 'home', value: 'team@ACME.nl' }] });
		const u2 = plekUser('y', { Emails: [{ Value: 'team@acme.nl' }, 'junk', { value: '' }, { value: 5 }] });
		const dir = indexDirectory({ users: [u1, u2], groups: [] });
		expect(dir.userByName('jan@acme.NL')).toBe(u1);
		expect(dir.userByName('nobody')).toBeUndefined();
		expect(dir.usersByEmail('TEAM@acme.nl')).toEqual([u1, u2]);
		expect(dir.usersByEmail('none@acme.nl')).toEqual([]);
	});

	test('entries without an id are not users: no lookup finds them (and none trips over a null entry)', () => {
		const real = plekUser('r', { userName: 'real@acme.nl', emails: [{ value: 'shared@acme.nl' }] });
		const idless = { userName: 'ghost@acme.nl', externalId: 'g', emails: [{ value: 'shared@acme.nl' }] } as never;
		const dir = indexDirectory({ users: [null as never, idless, { id: 7, userName: 'seven@acme.nl' } as never, real], groups: [] });
		expect(dir.userByName('ghost@acme.nl')).toBeUndefined();
		expect(dir.userByName('seven@acme.nl')).toBeUndefined();
		expect(dir.userByName('real@acme.nl')).toBe(real);
		expect(dir.usersByEmail('shared@acme.nl')).toEqual([real]);
		expect([...dir.byExternalId.keys()]).toEqual(['r']);
	});

	test('groups by lower-case name, "ambiguous" for a repeated name; members by group id; bad entries skipped', () => {
		const u = plekUser('a');
		const dir = indexDirectory({
			users: [u],
			groups: [group('Care', [u]), group('Dup', [], 'g1'), group('DUP', [], 'g2'), { id: 'g3' } as never, { id: 'g4', displayName: 'Odd', members: [null, { value: 5 }, { value: 'm1' }] } as never],
		});
		expect(dir.groupsByName.get('care')).toMatchObject({ id: 'g-Care' });
		expect(dir.groupsByName.get('dup')).toBe('ambiguous');
		expect(dir.membersByGroup.get('g-Care')).toEqual(new Set([u.id]));
		expect(dir.membersByGroup.get('g4')).toEqual(new Set(['m1']));
		expect(dir.groupsByName.has('g3')).toBe(false);
	});
});

describe('userEmails', () => {
	test('every non-empty e-mail value, attribute names compared case-insensitively', () => {
		expect(userEmails(plekUser('a', { emails: [{ value: 'a@x.nl' }, { VALUE: 'b@x.nl' }, { value: '' }] }))).toEqual(['a@x.nl', 'b@x.nl']);
		expect(userEmails(plekUser('a', { emails: 'a@x.nl' }))).toEqual([]);
	});
});
