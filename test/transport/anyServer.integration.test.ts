/**
 * Issue 23: any SCIM server, read to the end. The sandbox plays the two servers nobody here wrote: at most 50
 * users per page with totalResults the page length (and userName the only unique attribute), and one capped at
 * the page size without discovery. 274 people: the first run creates all, an unchanged rerun writes nothing, a
 * renamed person is updated in place, two missing people are deactivated, and a hand-made account that only a
 * lookup finds (the 409 path) is adopted exactly when Adopt Existing Accounts allows it. No code path makes a
 * second account for a key. Then each other quirk of the first server, one at a time: the sync converges.
 */
import { syncOnce } from '../../core/sync/executor';
import type { PlekUserRecord } from '../../core/types';
import { startSandbox } from '../../sandbox/server';
import type { QuirkKnobs, RunningSandbox } from '../../sandbox/server';
import { createStandalonePlekClient } from '../support/standaloneHttp';

const PEOPLE = 274;
const GROUPS = ['All staff', 'Care', 'Office', 'Kitchen', 'Night shift', 'Drivers', 'Board'];

function client(sandbox: RunningSandbox) {
	return createStandalonePlekClient(
		{ environmentUrl: sandbox.url, clientId: 'sandbox', clientSecret: 'sandbox-secret' },
		{ concurrency: 4, baseDelayMs: 5, maxDelayMs: 50 },
	).client;
}

function person(i: number, userName = `p${i}@acme.test`): PlekUserRecord {
	return {
		key: `k\\${i}"x`, // a key with a backslash and a quote: filters must escape it, the server must find it
		userName,
		active: true,
		profile: { 'name.givenName': `Given${i}`, 'name.familyName': `Family${i}`, title: i % 3 === 0 ? 'Nurse' : 'Carer' },
		groups: ['All staff', GROUPS[1 + (i % (GROUPS.length - 1))]],
	};
}

const OPTIONS = { deactivateMissing: true, createMissingGroups: true, maxDeactivations: -1, maxDeactivationPercent: -1, minSourceRatio: 0 };

/** Accounts per externalId that more than one account carries. */
function duplicateKeys(sandbox: RunningSandbox): string[] {
	const count = new Map<string, number>();
	for (const u of sandbox.users()) if (typeof u.externalId === 'string') count.set(u.externalId, (count.get(u.externalId) ?? 0) + 1);
	return [...count].filter(([, n]) => n > 1).map(([key]) => key);
}

const SERVERS: Array<[string, Partial<QuirkKnobs>]> = [
	['at most 50 per page, totalResults the page length, userName the only unique attribute', { pageCap: 50, totalResultsAs: 'pageLength', externalIdNotUnique: true }],
	['capped at the page size, no discovery', { pageCap: 50, totalResultsAs: 'pageSize', noDiscovery: 404, externalIdNotUnique: true }],
];

describe.each(SERVERS)('a server %s: 274 people', (_name, quirks) => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 23 });
		sandbox.setFaults({ quirks });
	});
	afterAll(async () => {
		await sandbox?.close();
	});

	const everyone = Array.from({ length: PEOPLE }, (_, i) => person(i));

	it('first run creates all, the unchanged rerun writes nothing', async () => {
		const first = await syncOnce(everyone, client(sandbox), OPTIONS);
		expect(first.issues).toEqual([]);
		expect(first.summary.done).toMatchObject({ create: PEOPLE, groupCreate: GROUPS.length, groupAdd: 2 * PEOPLE });
		sandbox.resetCounters();
		const again = await syncOnce(everyone, client(sandbox), OPTIONS);
		expect(again.changes).toEqual([]);
		expect(again.issues).toEqual([]);
		expect(sandbox.counters().writes).toBe(0);
		expect(sandbox.users()).toHaveLength(PEOPLE);
		expect(duplicateKeys(sandbox)).toEqual([]);
	});

	it('a renamed person is updated in place; two missing people are deactivated; then nothing', async () => {
		const renamed = everyone.map((r, i) => (i === 260 ? person(260, 'renamed.260@acme.test') : r)).filter((_, i) => i !== 270 && i !== 271);
		const run = await syncOnce(renamed, client(sandbox), OPTIONS);
		expect(run.issues).toEqual([]);
		expect(run.summary.done).toMatchObject({ create: 0, update: 1, deactivate: 2 });
		const holders = sandbox.users().filter((u) => u.externalId === person(260).key);
		expect(holders).toHaveLength(1);
		expect(holders[0].userName).toBe('renamed.260@acme.test');
		expect(sandbox.users().filter((u) => u.active === false).map((u) => u.externalId).sort()).toEqual([person(270).key, person(271).key].sort());
		sandbox.resetCounters();
		const again = await syncOnce(renamed, client(sandbox), OPTIONS);
		expect(again.changes).toEqual([]);
		expect(sandbox.counters().writes).toBe(0);
		expect(sandbox.users()).toHaveLength(PEOPLE);
		expect(duplicateKeys(sandbox)).toEqual([]);
	});
});

describe('the 409 path: a hand-made account only a lookup finds', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 24 });
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(() => {
		sandbox.setFaults({ quirks: { pageCap: 50, totalResultsAs: 'pageLength', externalIdNotUnique: true, hideUnmanagedFromLists: true } });
		sandbox.load({
			users: [
				...Array.from({ length: 60 }, (_, i) => ({ externalId: person(i).key, userName: `p${i}@acme.test`, active: true, name: { givenName: `Given${i}`, familyName: `Family${i}` }, title: i % 3 === 0 ? 'Nurse' : 'Carer' })),
				{ userName: 'hand.made@acme.test', active: true, name: { givenName: 'Hand', familyName: 'Made' } },
			],
			groups: GROUPS.map((displayName) => ({ displayName, members: [] })),
		});
	});

	const records = () => [...Array.from({ length: 60 }, (_, i) => ({ ...person(i), groups: [] })), { ...person(900, 'hand.made@acme.test'), groups: [] }];

	it('Adopt Existing Accounts off: a conflict naming the account, nothing created, the account untouched', async () => {
		const result = await syncOnce(records(), client(sandbox), { ...OPTIONS, adoptUnmanaged: 'off' });
		expect(result.summary.done).toMatchObject({ create: 0, adopt: 0 });
		expect(result.summary.rechecked).toBe(1);
		expect(result.issues).toEqual([expect.objectContaining({ key: person(900).key, reason: expect.stringMatching(/already used by an unmanaged Plek account/) })]);
		const hand = sandbox.users().filter((u) => u.userName === 'hand.made@acme.test');
		expect(hand).toHaveLength(1);
		expect(hand[0].externalId).toBeUndefined();
		expect(sandbox.users()).toHaveLength(61);
	});

	it('Adopt Existing Accounts by userName: adopted as on the planned path, then nothing to do', async () => {
		const adopt = { ...OPTIONS, adoptUnmanaged: 'userName' as const };
		const result = await syncOnce(records(), client(sandbox), adopt);
		expect(result.issues).toEqual([]);
		expect(result.summary.done).toMatchObject({ create: 0, adopt: 1 });
		expect(result.changes).toEqual([expect.objectContaining({ key: person(900).key, actions: expect.arrayContaining(['adopt']), status: 'done' })]);
		const hand = sandbox.users().filter((u) => u.userName === 'hand.made@acme.test');
		expect(hand).toHaveLength(1);
		expect(hand[0]).toMatchObject({ externalId: person(900).key, name: { givenName: 'Given900' } });
		expect(sandbox.users()).toHaveLength(61);
		sandbox.resetCounters();
		const again = await syncOnce(records(), client(sandbox), adopt);
		expect(again.changes).toEqual([]);
		expect(sandbox.counters().writes).toBe(0);
	});

	it('a re-check that cannot read Plek keeps the result of the run and names the key (the writes are done)', async () => {
		const plek = client(sandbox);
		const listUsers = plek.listUsers.bind(plek);
		let listings = 0;
		plek.listUsers = async () => {
			if (++listings > 1) throw new Error('Plek had a server error on GET /scim/v2/Users (503)');
			return await listUsers();
		};
		const result = await syncOnce(records(), plek, { ...OPTIONS, adoptUnmanaged: 'userName' });
		expect(listings).toBe(2);
		expect(result.issues).toEqual(
			expect.arrayContaining([expect.objectContaining({ key: person(900).key, action: 'recheck', reason: expect.stringMatching(/re-reading Plek to decide it again failed: Plek had a server error/) })]),
		);
		expect(sandbox.users().filter((u) => u.userName === 'hand.made@acme.test')).toEqual([expect.not.objectContaining({ externalId: expect.anything() })]);
	});

	it('after the 409, every later create first looks its key up: an account the listing hid is not made twice', async () => {
		// The listing the plan was made from misses k0..k9 (a stale plan); the server does not enforce externalId.
		const plek = client(sandbox);
		const firstCreate = { kind: 'create' as const, draft: { externalId: person(900).key, userName: 'hand.made@acme.test', active: true } };
		const hidden = Array.from({ length: 10 }, (_, i) => ({ kind: 'create' as const, draft: { externalId: person(i).key, userName: `moved${i}@acme.test`, active: true } }));
		const [conflict] = await plek.writeUsers([firstCreate], { bulk: false });
		expect(conflict).toMatchObject({ outcome: 'failed', status: 409 });
		const outcomes = await plek.writeUsers(hidden, { bulk: false, concurrency: 4 });
		expect(outcomes.map((o) => o.outcome)).toEqual(Array(10).fill('alreadyExisted'));
		expect(duplicateKeys(sandbox)).toEqual([]);
		const conflicts = plek.takeCreateConflicts().map((c) => `${c.by} ${c.key}`);
		expect(conflicts.sort()).toEqual([`userName ${person(900).key}`, ...Array.from({ length: 10 }, (_, i) => `externalId ${person(i).key}`)].sort());
		expect(plek.takeCreateConflicts()).toEqual([]);
	});
});

describe('each other quirk of the first server: the sync converges (an unchanged rerun writes nothing)', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 25, bulk: true });
	});
	afterAll(async () => {
		await sandbox?.close();
	});

	const base = Array.from({ length: 40 }, (_, i) => person(i));
	const moved = base.map((r, i) => (i < 5 ? { ...r, groups: ['All staff', 'Board'], profile: { ...r.profile, title: 'Manager' } } : r));
	const options = { ...OPTIONS, removeFromRuleGroups: true };

	async function converge(quirks: Partial<QuirkKnobs>) {
		sandbox.setFaults({ quirks: {} });
		sandbox.load({ users: [], groups: [] });
		sandbox.setFaults({ quirks });
		const first = await syncOnce(base, client(sandbox), options);
		expect(first.issues).toEqual([]);
		const second = await syncOnce(moved, client(sandbox), options);
		expect(second.issues).toEqual([]);
		sandbox.resetCounters();
		const third = await syncOnce(moved, client(sandbox), options);
		expect(third.changes).toEqual([]);
		expect(sandbox.counters().writes).toBe(0);
		expect(sandbox.users()).toHaveLength(40);
		expect(duplicateKeys(sandbox)).toEqual([]);
		// Every group holds exactly who the rules put there, once.
		for (const group of sandbox.groups()) {
			const members = (group.members ?? []).map((m: { value: string }) => m.value);
			const expected = moved.filter((r) => r.groups?.includes(group.displayName)).length;
			expect([group.displayName, members.length, new Set(members).size]).toEqual([group.displayName, expected, expected]);
		}
		return { first, second };
	}

	it('adding a member already present adds them twice: present members are never re-added', async () => {
		await converge({ duplicateMemberAdds: true });
	});

	it('`remove` of `members` with a value removes every member: member removals use members[value eq "..."] only', async () => {
		const { second } = await converge({ removeMembersWithValueRemovesAll: true });
		expect(second.summary.done.groupRemove).toBe(5);
	});

	it('PATCH answers 204 with no body: the user is read back', async () => {
		const { second } = await converge({ patchNoContent: true });
		expect(second.summary.done.update).toBe(5);
		expect(sandbox.users().filter((u) => u.title === 'Manager')).toHaveLength(5);
	});

	it('/Bulk advertised unsupported and answering 500: never sent', async () => {
		await converge({ bulkBroken: true });
		const bulk = Object.values(sandbox.counters().byRoute['POST /scim/v2/Bulk'] ?? {}).reduce((a, b) => a + b, 0);
		expect(bulk).toBe(0);
	});

	it('dotted names without a path and paths at an extension root refused: never sent', async () => {
		await converge({ strictPatchPaths: true });
	});

	it('e-mail filters that fail or never match: never used (e-mails are matched from the listing)', async () => {
		await converge({ emailFilterQuirks: true });
	});

	it('PUT merges: never sent (changes are PATCHes); /ServiceProviderConfig needs no token; ETags enforced', async () => {
		await converge({ putMerges: true, discoveryWithoutAuth: true });
		const routes = Object.keys(sandbox.counters().byRoute);
		expect(routes.filter((route) => route.startsWith('PUT '))).toEqual([]);
	});

	it('filter values: an escaped quote answers 500, backslashes are not unescaped; keys with both still converge (the sync lists, it does not filter)', async () => {
		await converge({ escapedQuoteFilter500: true, backslashNotUnescaped: true });
	});

	it('... and a lookup such a server cannot answer fails closed, naming what the server did', async () => {
		sandbox.setFaults({ quirks: { escapedQuoteFilter500: true } });
		const error = await client(sandbox).findUserByExternalId(person(1).key).catch((e) => e);
		expect(String(error.message)).toMatch(/Plek had a server error on GET \/scim\/v2\/Users \(500\)/);
		expect(String(error.message)).toMatch(/Unterminated string in filter/);
	});
});

describe('the capped server at 15% faults and dropped connections, then clean runs', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 26 });
	});
	afterAll(async () => {
		await sandbox?.close();
	});

	it('the next clean run writes only what is left, the one after nothing; never a second account for a key', async () => {
		const quirks: Partial<QuirkKnobs> = { pageCap: 50, totalResultsAs: 'pageSize', noDiscovery: 404, externalIdNotUnique: true };
		const everyone = Array.from({ length: PEOPLE }, (_, i) => person(i));
		sandbox.setFaults({ quirks, faultRate: 0.1, dropRate: 0.05 });
		await syncOnce(everyone, client(sandbox), OPTIONS).catch(() => undefined);
		const made = sandbox.users().length;
		expect(duplicateKeys(sandbox)).toEqual([]);
		sandbox.setFaults({ quirks, faultRate: 0, dropRate: 0 });
		const clean = await syncOnce(everyone, client(sandbox), OPTIONS);
		expect(clean.issues).toEqual([]);
		expect(clean.summary.done.create).toBe(PEOPLE - made);
		sandbox.resetCounters();
		const again = await syncOnce(everyone, client(sandbox), OPTIONS);
		expect(again.changes).toEqual([]);
		expect(sandbox.counters().writes).toBe(0);
		expect(sandbox.users()).toHaveLength(PEOPLE);
		expect(duplicateKeys(sandbox)).toEqual([]);
	});
});
