import { planSync, resolveSyncOptions } from '../../core/sync/planner';
import type { PlannedStep, SyncOptions } from '../../core/sync/types';
import type { PlekUserRecord, ScimGroup, ScimUser } from '../../core/types';
import { createdGroup, ENT, group, plekUser, record, WORK_EMAIL } from './builders';
import { PLEK_EXTENSION } from '../support/scim';

function plan(records: PlekUserRecord[], users: ScimUser[] = [], groups: ScimGroup[] = [], options: SyncOptions = {}) {
	return planSync(records, { users, groups }, options);
}
const kinds = (steps: PlannedStep[]) => steps.map((s) => s.kind);

describe('options', () => {
	test('defaults a careful admin would pick', () => {
		expect(resolveSyncOptions()).toEqual({
			create: true,
			update: true,
			deactivate: true,
			reactivate: true,
			groups: true,
			deactivateMissing: false,
			adoptUnmanaged: 'off',
			clearEmptyValues: false,
			removeFromRuleGroups: false,
			createMissingGroups: false,
			managedGroups: [],
			maxDeactivations: 25,
			maxDeactivationPercent: 10,
			minSourceRatio: 0.5,
			explainKey: undefined,
		});
	});
});

describe('create', () => {
	test('key not in Plek and active -> create with externalId = key and every profile path', () => {
		const p = plan([
			record('k1', {
				profile: {
					'name.givenName': 'Jan',
					[WORK_EMAIL]: 'jan@acme.nl',
					[`${ENT}:department`]: 'Care',
					title: '',
					nickName: null,
					[`${PLEK_EXTENSION}:location`]: 'HQ',
				},
				createOnly: ['title', `${ENT}:department`],
				groups: [],
			}),
		]);
		expect(p.steps).toEqual([
			{
				kind: 'create',
				key: 'k1',
				groups: [],
				user: {
					schemas: [
						'urn:ietf:params:scim:schemas:core:2.0:User',
						ENT,
						PLEK_EXTENSION,
					],
					externalId: 'k1',
					userName: 'k1@acme.nl',
					active: true,
					name: { givenName: 'Jan' },
					emails: [{ type: 'work', value: 'jan@acme.nl' }],
					[ENT]: { department: 'Care' },
					[PLEK_EXTENSION]: { location: 'HQ' },
				},
				changes: expect.arrayContaining([{ path: `${ENT}:department`, before: undefined, after: 'Care' }]),
			},
		]);
		expect(p.counts.create).toBe(1);
		expect(p.issues).toEqual([]);
		expect(p.changes).toEqual([
			expect.objectContaining({ kind: 'user', key: 'k1', actions: ['create'], status: 'planned', userName: 'k1@acme.nl' }),
		]);
	});

	test('create switched off -> skipped', () => {
		const p = plan([record('k1')], [], [], { create: false });
		expect(p.steps).toEqual([]);
		expect(p.counts.skipped).toBe(1);
	});

	test('no userName for a create -> issue, nothing planned', () => {
		const p = plan([record('k1', { userName: undefined })]);
		expect(p.steps).toEqual([]);
		expect(p.counts.invalid).toBe(1);
		expect(p.issues[0]).toMatchObject({ type: 'invalid', key: 'k1', action: 'create', reason: expect.stringMatching(/no userName/) });
	});

	test('source inactive and not in Plek -> skipped, leavers are never created', () => {
		const p = plan([record('k1', { active: false })]);
		expect(p.steps).toEqual([]);
		expect(p.counts).toMatchObject({ create: 0, skipped: 1 });
	});
});

describe('adoption of unmanaged accounts', () => {
	test('by userName: PATCH externalId + changed attributes instead of a duplicate', () => {
		const unmanaged = plekUser(undefined, { userName: 'k1@acme.nl', name: { givenName: 'Old' }, emails: [] });
		const p = plan([record('k1')], [unmanaged], [], { adoptUnmanaged: 'userName' });
		expect(p.steps).toEqual([
			{
				kind: 'adopt',
				key: 'k1',
				userId: unmanaged.id,
				userName: 'k1@acme.nl',
				version: 'W/"1"',
				matchedBy: 'userName',
				operations: [
					{ op: 'replace', path: 'externalId', value: 'k1' },
					{ op: 'replace', path: 'name.givenName', value: 'Given k1' },
					{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'k1@acme.nl' }] },
				],
				changes: [
					{ path: 'externalId', before: undefined, after: 'k1' },
					{ path: 'name.givenName', before: 'Old', after: 'Given k1' },
					{ path: WORK_EMAIL, before: undefined, after: 'k1@acme.nl' },
				],
			},
		]);
		expect(p.counts).toMatchObject({ adopt: 1, create: 0 });
	});

	test('by e-mail (case-insensitive), also reactivating an inactive account; never renaming it (issue 22)', () => {
		const unmanaged = plekUser(undefined, {
			userName: 'jan.old',
			active: false,
			name: { givenName: 'Given k1' },
			emails: [{ type: 'work', value: 'K1@ACME.nl' }],
		});
		// Issue 22: adoption never renames; a record whose userName differs is a conflict, not an adopt-and-rename.
		const renaming = plan([record('k1')], [unmanaged], [], { adoptUnmanaged: 'email' });
		expect(renaming.steps).toEqual([]);
		expect(renaming.issues[0]).toMatchObject({ type: 'conflict', action: 'adopt', reason: expect.stringContaining('adoption never renames') });
		const p = plan([record('k1', { userName: undefined })], [unmanaged], [], { adoptUnmanaged: 'email' });
		expect(kinds(p.steps)).toEqual(['adopt', 'reactivate']);
		expect(p.steps[0]).toMatchObject({
			matchedBy: 'email',
			operations: [{ op: 'replace', path: 'externalId', value: 'k1' }],
		});
	});

	test.each([
		['off', 'userName', 'conflict'],
		['email', 'userName', 'conflict'],
		['userName', 'email', 'create'],
		['off', 'email', 'create'],
		['userNameOrEmail', 'email', 'conflict'], // issue 22: the account's userName "other" differs; adoption never renames
		['userNameOrEmail', 'userName', 'adopt'],
	] as const)('mode %s, account matching by %s -> %s', (mode, field, outcome) => {
		const unmanaged =
			field === 'userName'
				? plekUser(undefined, { userName: 'k1@acme.nl', emails: [] })
				: plekUser(undefined, { userName: 'other', emails: [{ type: 'work', value: 'k1@acme.nl' }] });
		const p = plan([record('k1')], [unmanaged], [], { adoptUnmanaged: mode });
		if (outcome === 'conflict') {
			expect(p.steps).toEqual([]);
			expect(p.issues[0]).toMatchObject({ type: 'conflict', reason: expect.stringMatching(/unmanaged Plek account/) });
		} else {
			expect(kinds(p.steps)).toEqual([outcome]);
		}
	});

	test('an account claimed by two records, or two accounts matching one e-mail -> conflict, nothing written', () => {
		const unmanaged = plekUser(undefined, { userName: 'x', emails: [{ type: 'work', value: 'shared@acme.nl' }] });
		const both = [
			record('a', { profile: { [WORK_EMAIL]: 'shared@acme.nl' } }),
			record('b', { profile: { [WORK_EMAIL]: 'shared@acme.nl' } }),
		];
		const p1 = plan(both, [unmanaged], [], { adoptUnmanaged: 'email' });
		expect(p1.steps).toEqual([]);
		expect(p1.counts.conflicts).toBe(2);
		const twin = plekUser(undefined, { userName: 'y', emails: [{ type: 'work', value: 'shared@acme.nl' }] });
		const p2 = plan([both[0]], [unmanaged, twin], [], { adoptUnmanaged: 'email' });
		expect(p2.steps).toEqual([]);
		expect(p2.issues[0].reason).toMatch(/matches 2 unmanaged/);
	});
});

describe('update', () => {
	test('PATCH replace only for changed attributes; createOnly skipped; unchanged values not written', () => {
		const user = plekUser('k1', { title: 'Nurse', [ENT]: { department: 'Care', employeeNumber: 42 } });
		const p = plan(
			[
				record('k1', {
					profile: {
						'name.givenName': 'Given k1',
						[WORK_EMAIL]: 'K1@Acme.NL', // e-mail compares case-insensitively
						title: 'Head nurse',
						[`${ENT}:department`]: 'Cure',
						[`${ENT}:employeeNumber`]: '42', // number vs text: equal
						nickName: 'Jantje',
						'phoneNumbers[type eq "mobile"].value': '+31 6 1234',
					},
					createOnly: ['nickName'],
				}),
			],
			[user],
		);
		expect(p.steps).toEqual([
			{
				kind: 'update',
				key: 'k1',
				userId: user.id,
				userName: user.userName,
				version: 'W/"1"',
				operations: [
					{ op: 'replace', path: 'title', value: 'Head nurse' },
					{ op: 'replace', path: `${ENT}:department`, value: 'Cure' },
					{ op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+31 6 1234' }] },
				],
				changes: [
					{ path: 'title', before: 'Nurse', after: 'Head nurse' },
					{ path: `${ENT}:department`, before: 'Care', after: 'Cure' },
					{ path: 'phoneNumbers[type eq "mobile"].value', before: undefined, after: '+31 6 1234' },
				],
			},
		]);
		expect(p.counts).toMatchObject({ update: 1, unchanged: 0 });
	});

	test('identical profile -> no step, counted unchanged, no change item', () => {
		const p = plan([record('k1')], [plekUser('k1')]);
		expect(p.steps).toEqual([]);
		expect(p.counts.unchanged).toBe(1);
		expect(p.changes).toEqual([]);
	});

	test('update switched off -> nothing written', () => {
		const p = plan([record('k1', { profile: { title: 'New' } })], [plekUser('k1')], [], { update: false });
		expect(p.steps).toEqual([]);
	});

	test('userName change is written; a userName held by someone else is a conflict', () => {
		const u1 = plekUser('k1');
		const u2 = plekUser('k2');
		const p = plan([record('k1', { userName: 'new@acme.nl' }), record('k2', { userName: 'k1@acme.nl' })], [u1, u2]);
		expect(p.steps).toEqual([
			expect.objectContaining({ kind: 'update', key: 'k1', operations: [{ op: 'replace', path: 'userName', value: 'new@acme.nl' }] }),
		]);
		expect(p.issues).toEqual([
			expect.objectContaining({ type: 'conflict', key: 'k2', reason: expect.stringMatching(/userName "k1@acme.nl" already used by key "k1"/) }),
		]);
	});

	test.each([
		[false, []],
		[true, [{ op: 'remove', path: 'title' }]],
	])('empty source value vs a Plek value, clearEmptyValues=%s', (clearEmptyValues, operations) => {
		const user = plekUser('k1', { title: 'Nurse', nickName: '' });
		const p = plan([record('k1', { profile: { title: '', nickName: null, 'name.givenName': 'Given k1' } })], [user], [], {
			clearEmptyValues,
		});
		if (operations.length === 0) expect(p.steps).toEqual([]);
		else expect(p.steps).toEqual([expect.objectContaining({ kind: 'update', operations, changes: [{ path: 'title', before: 'Nurse', after: null }] })]);
	});
});

describe('deactivate / reactivate', () => {
	test('source inactive, Plek active -> deactivate', () => {
		const user = plekUser('k1');
		const others = Array.from({ length: 10 }, (_, i) => plekUser(`x${i}`));
		const p = plan(
			[record('k1', { active: false, profile: { title: 'changed but ignored' } }), ...others.map((u) => record(u.externalId as string))],
			[user, ...others],
		);
		expect(p.steps).toEqual([
			{ kind: 'deactivate', key: 'k1', userId: user.id, userName: user.userName, version: 'W/"1"', reason: 'inactive in source', operations: [{ op: 'replace', path: 'active', value: false }] },
		]);
		expect(p.blocked).toBeUndefined();
		expect(p.changes[0]).toMatchObject({ actions: ['deactivate'], attributes: [{ path: 'active', before: true, after: false }], reason: 'inactive in source' });
	});

	test('source inactive, Plek already inactive -> unchanged; deactivate off -> skipped', () => {
		expect(plan([record('k1', { active: false })], [plekUser('k1', { active: false })]).counts).toMatchObject({ unchanged: 1, deactivate: 0 });
		const p = plan([record('k1', { active: false })], [plekUser('k1')], [], { deactivate: false });
		expect(p.steps).toEqual([]);
		expect(p.counts.skipped).toBe(1);
	});

	test('Plek inactive, source active -> reactivate (and update in the same run)', () => {
		const user = plekUser('k1', { active: false });
		const p = plan([record('k1', { profile: { title: 'Nurse' } })], [user]);
		expect(kinds(p.steps)).toEqual(['update', 'reactivate']);
		expect(p.steps[1]).toMatchObject({ operations: [{ op: 'replace', path: 'active', value: true }] });
		expect(kinds(plan([record('k1')], [user], [], { reactivate: false }).steps)).toEqual([]);
	});
});

describe('managed users missing from the source', () => {
	const many = (n: number) => Array.from({ length: n }, (_, i) => plekUser(`m${i}`));

	test('default: nothing', () => {
		const users = many(20);
		const p = plan(users.slice(1).map((u) => record(u.externalId as string)), users);
		expect(p.steps).toEqual([]);
	});

	test('deactivateMissing: deactivate, but never an unmanaged or already inactive user', () => {
		const users = many(20);
		const unmanaged = plekUser(undefined);
		const inactive = plekUser('gone', { active: false });
		const p = plan(users.slice(1).map((u) => record(u.externalId as string)), [...users, unmanaged, inactive], [], { deactivateMissing: true });
		expect(p.steps).toEqual([expect.objectContaining({ kind: 'deactivate', key: 'm0', userId: users[0].id, reason: 'missing from source' })]);
	});

	test('a key present in the input only as an invalid or duplicate record is not "missing"', () => {
		const users = many(20);
		const records = users.slice(2).map((u) => record(u.externalId as string));
		records.push(record('m0', { active: 'yes' as unknown as boolean }), record('m1'), record('m1'));
		const p = plan(records, users, [], { deactivateMissing: true });
		expect(p.steps).toEqual([]);
		expect(p.counts.invalid).toBe(3);
	});
});

describe('groups', () => {
	test('add only: missing membership added, existing kept, other groups untouched', () => {
		const user = plekUser('k1');
		const p = plan([record('k1', { groups: ['Care', 'All staff'] })], [user], [group('Care'), group('All staff', [user]), group('Old', [user])]);
		expect(p.steps).toEqual([{ kind: 'groupAdd', groupName: 'Care', groupId: 'g-Care', key: 'k1', userRef: { userId: user.id } }]);
		expect(p.changes).toEqual([expect.objectContaining({ key: 'k1', groups: { added: ['Care'], removed: [] } })]);
	});

	test('group names match case-insensitively; duplicates in a record collapse', () => {
		const user = plekUser('k1');
		const p = plan([record('k1', { groups: ['care', 'CARE'] })], [user], [group('Care', [user])]);
		expect(p.steps).toEqual([]);
	});

	test('a created user is added by key', () => {
		const p = plan([record('k1', { groups: ['Care'] })], [], [group('Care')]);
		expect(p.steps).toEqual([
			expect.objectContaining({ kind: 'create', groups: ['Care'] }),
			{ kind: 'groupAdd', groupName: 'Care', groupId: 'g-Care', key: 'k1', userRef: { key: 'k1' } },
		]);
	});

	test('missing group -> one issue per group with the user count', () => {
		const p = plan([record('k1', { groups: ['Nope'] }), record('k2', { groups: ['Nope'] })], [plekUser('k1'), plekUser('k2')]);
		expect(p.steps).toEqual([]);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'missingGroup', groupName: 'Nope', count: 2, reason: 'group Nope does not exist in Plek; 2 user(s) were not added to it.' })]);
	});

	test('createMissingGroups -> one groupCreate and adds by group name', () => {
		const user = plekUser('k1');
		const p = plan([record('k1', { groups: ['New'] }), record('k2', { groups: ['new'] })], [user], [], { createMissingGroups: true });
		expect(p.steps).toEqual([
			{ kind: 'groupAdd', groupName: 'New', key: 'k1', userRef: { userId: user.id } },
			expect.objectContaining({ kind: 'create', key: 'k2' }),
			{ kind: 'groupAdd', groupName: 'New', key: 'k2', userRef: { key: 'k2' } },
			{ kind: 'groupCreate', displayName: 'New' },
		]);
		expect(p.counts).toMatchObject({ groupCreate: 1, groupAdd: 2 });
	});

	test('groups switched off -> no membership steps', () => {
		expect(plan([record('k1', { groups: ['Care'] })], [plekUser('k1')], [group('Care')], { groups: false }).steps).toEqual([]);
	});

	test('removeFromRuleGroups removes only from rule-managed groups, only managed members in the input', () => {
		const k1 = plekUser('k1');
		const k2 = plekUser('k2');
		const gone = plekUser('gone');
		const unmanaged = plekUser(undefined);
		const groups = [
			createdGroup('Care', [k1, k2, gone, unmanaged]), // owned: the Sync created it (issue 22: being named by k2 no longer makes it managed)
			group('Listed', [k1]), // managed through options.managedGroups
			group('Manual', [k1]), // no rule manages it
		];
		const records = [record('k1', { groups: [] }), record('k2', { groups: ['Care'] })];
		expect(plan(records, [k1, k2, gone, unmanaged], groups).steps).toEqual([]);
		const p = plan(records, [k1, k2, gone, unmanaged], groups, { removeFromRuleGroups: true, managedGroups: ['listed'] });
		expect(p.steps).toEqual([
			{ kind: 'groupRemove', groupName: 'Listed', groupId: 'g-Listed', key: 'k1', userRef: { userId: k1.id } },
			{ kind: 'groupRemove', groupName: 'Care', groupId: 'g-Care', key: 'k1', userRef: { userId: k1.id } },
		]);
		expect(p.changes).toEqual([expect.objectContaining({ key: 'k1', groups: { added: [], removed: ['Listed', 'Care'] } })]);
	});
});

describe('unmanaged Plek users are never touched', () => {
	test('not deactivated, not updated, not removed from groups, even with every option on', () => {
		const unmanaged = plekUser(undefined, { userName: 'boss@acme.nl' });
		const users = [unmanaged, ...Array.from({ length: 5 }, (_, i) => plekUser(`k${i}`))];
		const p = plan(users.slice(1).map((u) => record(u.externalId as string, { groups: [] })), users, [group('Care', [unmanaged])], {
			deactivateMissing: true,
			removeFromRuleGroups: true,
			managedGroups: ['Care'],
			clearEmptyValues: true,
			adoptUnmanaged: 'userNameOrEmail',
		});
		expect(p.steps).toEqual([]);
	});
});

describe('conflicts', () => {
	test('new key whose userName belongs to a managed user whose key vanished -> "mapping key changed", nothing created, old user not deactivated', () => {
		const old = plekUser('old-key', { userName: 'jan@acme.nl' });
		const others = Array.from({ length: 30 }, (_, i) => plekUser(`o${i}`));
		const records = [record('new-key', { userName: 'jan@acme.nl' }), ...others.map((u) => record(u.externalId as string))];
		const p = plan(records, [old, ...others], [], { deactivateMissing: true });
		expect(p.steps).toEqual([]);
		expect(p.issues).toEqual([
			expect.objectContaining({ type: 'conflict', key: 'new-key', action: 'create', userId: old.id, reason: expect.stringMatching(/^mapping key changed/) }),
		]);
		expect(p.counts.conflicts).toBe(1);
	});

	test('same by e-mail', () => {
		const old = plekUser('old-key', { userName: 'jan.old', emails: [{ type: 'work', value: 'jan@acme.nl' }] });
		const p = plan([record('new-key', { userName: 'jan.new', profile: { [WORK_EMAIL]: 'JAN@acme.nl' } })], [old]);
		expect(p.steps).toEqual([]);
		expect(p.issues[0].reason).toMatch(/^mapping key changed: e-mail/);
	});

	test('new key whose userName belongs to a managed user whose key is in the input -> "userName already used by <key>"', () => {
		const other = plekUser('k1', { userName: 'jan@acme.nl' });
		// k1 is still in the input (here: renamed), so the new key k2 is a different person wanting the same name.
		// Conservative: k2 is not created in this run (the next run creates it once the rename went through).
		const p = plan([record('k1', { userName: 'jan2@acme.nl' }), record('k2', { userName: 'JAN@acme.nl' })], [other]);
		expect(p.issues).toEqual([
			expect.objectContaining({ type: 'conflict', key: 'k2', action: 'create', reason: expect.stringMatching(/userName "JAN@acme.nl" already used by "k1"/) }),
		]);
		expect(kinds(p.steps)).toEqual(['update']);
	});

	test('two input records with the same key -> both rejected, neither planned', () => {
		const p = plan([record('k1', { profile: { title: 'A' } }), record('k2'), record('k1', { profile: { title: 'B' } })], [plekUser('k1')]);
		expect(kinds(p.steps)).toEqual(['create']);
		expect(p.steps[0]).toMatchObject({ key: 'k2' });
		expect(p.issues.filter((i) => i.type === 'duplicateKey').map((i) => i.key)).toEqual(['k1', 'k1']);
		expect(p.counts.invalid).toBe(2);
	});

	test('two active records with the same userName -> both rejected', () => {
		const p = plan([record('k1', { userName: 'same' }), record('k2', { userName: 'SAME' })]);
		expect(p.steps).toEqual([]);
		expect(p.counts.conflicts).toBe(2);
	});

	test('several Plek users with the same externalId -> conflict, none touched', () => {
		const p = plan([record('k1', { profile: { title: 'x' } })], [plekUser('k1'), plekUser('k1')], [], { deactivateMissing: true });
		expect(p.steps).toEqual([]);
		expect(p.issues[0].reason).toMatch(/several Plek users have externalId "k1"/);
	});
});

describe('invalid records', () => {
	test.each([
		[{ userName: 'x', active: true, profile: {} }, /mapping key/],
		[{ key: '', active: true }, /mapping key/],
		[{ key: 'a\u0000b', active: true }, /control characters/],
		[{ key: 'k', active: 'true' }, /"active" must be true or false/],
		[{ key: 'k', active: true, userName: 7 }, /"userName" must be a non-empty string/],
		[{ key: 'k', active: true, profile: { 'emails[type ne "x"].value': 'a' } }, /only the "eq" operator/],
		[{ key: 'k', active: true, profile: { photos: 'x' } }, /refused: Plek does not sync profile pictures/],
		[{ key: 'k', active: true, profile: { externalId: 'x' } }, /not allowed/],
		[{ key: 'k', active: true, profile: { userName: 'x' } }, /use the record's "userName"/],
		[{ key: 'k', active: true, profile: { title: { a: 1 } } }, /must be text, a number/],
		[{ key: 'k', active: true, profile: { title: 'a', Title: 'b' } }, /address the same attribute/],
		[{ key: 'k', active: true, profile: {}, groups: 'Care' }, /"groups" must be a list/],
		[{ key: 'k', active: true, profile: {}, createOnly: ['bad path!'] }, /createOnly/],
		['not an object', /not an object/],
	])('%j', (raw, message) => {
		const p = planSync([raw as unknown as PlekUserRecord], { users: [], groups: [] });
		expect(p.steps).toEqual([]);
		expect(p.counts.invalid).toBe(1);
		expect(p.issues[0]).toMatchObject({ type: 'invalid', action: 'input', reason: expect.stringMatching(message) });
	});

	test('__proto__ profile keys are rejected, not applied', () => {
		const raw = JSON.parse('{"key":"k","userName":"u","active":true,"profile":{"__proto__":"x"}}');
		const p = planSync([raw], { users: [], groups: [] });
		expect(p.counts.invalid).toBe(1);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});
});

describe('guards', () => {
	const managed = (n: number) => Array.from({ length: n }, (_, i) => plekUser(`m${i}`));

	test('over the maximum count -> blocked with the counts and the option to raise', () => {
		const users = managed(1000);
		const records = users.map((u, i) => record(u.externalId as string, { active: i >= 30 }));
		const p = plan(records, users);
		expect(p.counts.deactivate).toBe(30);
		expect(p.blocked?.counts).toMatchObject({ deactivations: 30, inactiveInSource: 30, missingFromSource: 0, managedActive: 1000 });
		expect(p.blocked?.reason).toMatch(/30 deactivation\(s\) planned/);
		expect(p.blocked?.reason).toMatch(/exceed the limit of 25/);
		expect(p.blocked?.reason).toMatch(/raise "Max Deactivations" to 30/);
		expect(plan(records, users, [], { maxDeactivations: 30 }).blocked).toBeUndefined();
		expect(plan(records, users, [], { maxDeactivations: -1 }).blocked).toBeUndefined();
	});

	test('over the percentage -> blocked', () => {
		const users = managed(100);
		const records = users.slice(0, 89).map((u) => record(u.externalId as string));
		const p = plan(records, users, [], { deactivateMissing: true });
		expect(p.blocked?.counts).toMatchObject({ deactivations: 11, missingFromSource: 11, managedActive: 100 });
		expect(p.blocked?.reason).toMatch(/11 of 100 managed active users is 11.0%, over the limit of 10%/);
		expect(p.blocked?.reason).toMatch(/"Max Deactivation Percent" to 11/);
		expect(plan(records, users, [], { deactivateMissing: true, maxDeactivationPercent: 11 }).blocked).toBeUndefined();
	});

	test('an empty input never deactivates anyone', () => {
		const users = managed(10);
		expect(plan([], users).steps).toEqual([]);
		expect(plan([], users).blocked).toBeUndefined();
		const p = plan([], users, [], { deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1 });
		expect(p.blocked?.reason).toMatch(/the input is empty/);
	});

	test('a shrunken input (below minSourceRatio) with deactivations is blocked', () => {
		const users = managed(100);
		const records = users.slice(0, 40).map((u) => record(u.externalId as string));
		const p = plan(records, users, [], { deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1 });
		expect(p.blocked?.reason).toMatch(/only 40 valid record\(s\) for 100 managed active Plek users/);
		expect(p.blocked?.reason).toMatch(/"Min Source Ratio"/);
		expect(plan(records, users, [], { deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1, minSourceRatio: 0 }).blocked).toBeUndefined();
	});

	test('no deactivations -> never blocked, whatever the input size', () => {
		const users = managed(100);
		expect(plan([record('new')], users).blocked).toBeUndefined();
	});
});

describe('explain', () => {
	test('the decision trace for one key', () => {
		const user = plekUser('k1', { title: 'Nurse' });
		const p = plan([record('k1', { profile: { title: 'Head nurse', 'name.givenName': 'Given k1' }, groups: ['Care', 'Nope'] }), record('k2')], [user], [group('Care')], {
			explainKey: 'k1',
		});
		const text = p.explanation?.join('\n') ?? '';
		expect(text).toMatch(/Input record #1: key "k1"/);
		expect(text).toMatch(/found by externalId -> Plek user id/);
		expect(text).toMatch(/Attribute title differs: "Nurse" -> "Head nurse"/);
		expect(text).toMatch(/Attributes: 1 differ, 1 equal/);
		expect(text).toMatch(/Update: PATCH \/Users\/.* \[\{"op":"replace","path":"title","value":"Head nurse"\}\]/);
		expect(text).toMatch(/Group "Care": rule matches, not a member yet -> add/);
		expect(text).toMatch(/Group "Nope": does not exist in Plek/);
		expect(text).not.toMatch(/k2/);
		expect(plan([record('k1')], [user]).explanation).toBeUndefined();
	});

	test('adoption, create, leaver and missing keys explain themselves', () => {
		const unmanaged = plekUser(undefined, { userName: 'a@acme.nl' });
		const m = plekUser('missing');
		const e = (key: string) =>
			plan([record('a'), record('b'), record('c', { active: false })], [unmanaged, m], [], { adoptUnmanaged: 'userName', explainKey: key }).explanation?.join('\n');
		expect(e('a')).toMatch(/Adopted by userName/);
		expect(e('b')).toMatch(/Create: POST \/Users/);
		expect(e('c')).toMatch(/leavers are never created/);
		expect(e('missing')).toMatch(/not in the input[\s\S]*left alone \(deactivateMissing is off\)/);
		expect(e('nobody')).toMatch(/Plek has no user with this externalId either/);
	});
});

describe('scale', () => {
	function population(n: number) {
		const users: ScimUser[] = [];
		const records: PlekUserRecord[] = [];
		const members: ScimUser[] = [];
		for (let i = 0; i < n; i++) {
			const key = `key-${i}`;
			const user: ScimUser = {
				id: `id-${i}`,
				externalId: key,
				userName: `${key}@acme.nl`,
				active: true,
				name: { givenName: `G${i}` },
				emails: [{ type: 'work', value: `${key}@acme.nl` }],
			};
			if (i % 10 !== 0) users.push(user); // 10% new
			if (i % 2 === 0) members.push(user);
			records.push(record(key, { profile: { 'name.givenName': i % 7 === 0 ? `Changed${i}` : `G${i}`, [WORK_EMAIL]: `${key}@acme.nl` }, groups: ['All staff'] }));
		}
		return { users, records, groups: [group('All staff', members)] };
	}

	test('map lookups grow linearly with the number of users (no O(n^2))', () => {
		const lookups = (n: number) => {
			const { users, records, groups } = population(n);
			const get = jest.spyOn(Map.prototype, 'get');
			const has = jest.spyOn(Set.prototype, 'has');
			const p = planSync(records, { users, groups }, { removeFromRuleGroups: true });
			const total = get.mock.calls.length + has.mock.calls.length;
			get.mockRestore();
			has.mockRestore();
			return { total, p };
		};
		const small = lookups(2000);
		const large = lookups(20000);
		expect(large.p.counts.create).toBe(2000);
		expect(large.total / small.total).toBeLessThan(11);
	});

	test('50,000 users plan in one pass', () => {
		const { users, records, groups } = population(50000);
		const p = planSync(records, { users, groups }, {});
		// 10% new; every 7th given name changed; odd users are not in "All staff" yet.
		expect(p.counts).toMatchObject({ create: 5000, update: 6428, groupAdd: 30000, unchanged: 17143, conflicts: 0, invalid: 0 });
	});
});
