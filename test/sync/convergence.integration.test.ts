// End to end through the real transport over HTTP: syncOnce -> PlekScimClient -> the sandbox (scimmy), with 5xx,
// dropped connections (half of the dropped writes applied first) and a rate limit. Plek must end up holding exactly
// the desired state, with no duplicate externalId or userName; a few source changes must cause exactly their
// writes; an unchanged run must write nothing.
import { readScimPath } from '../../core/scimPath';
import { syncOnce } from '../../core/sync/executor';
import type { SyncOptions } from '../../core/sync/types';
import type { PlekUserRecord } from '../../core/types';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/server';
import { createStandalonePlekClient } from '../support/standaloneHttp';
import { ENTERPRISE as ENT, PLEK_EXTENSION as PLEK } from '../support/scim';
// 2,000 users through SCIM Bulk (the path used when Plek advertises it, as the sandbox does) and a smaller
// population through per-user requests (the sandbox's per-request cost keeps that one under a minute).
// CONVERGENCE_USERS=n scales the bulk run, CONVERGENCE_SEED=n changes the fault sequence, CONVERGENCE_DEBUG=1
// prints the first run's summary.
const N = Number(process.env.CONVERGENCE_USERS ?? 2000);
const N_SINGLE = Math.min(N, 400);
const SEED = Number(process.env.CONVERGENCE_SEED ?? 42);
const DEPARTMENTS = ['Care', 'Cure', 'Finance', 'IT', 'HR', 'Facilities', 'Kitchen', 'Research'];

function person(i: number): PlekUserRecord {
	const key = `guid-${String(i).padStart(5, '0')}`;
	const dept = DEPARTMENTS[i % DEPARTMENTS.length];
	return {
		key,
		userName: `user${i}@acme.nl`,
		active: true,
		profile: {
			'name.givenName': `Given${i}`,
			'name.familyName': `Family ${i}`,
			'emails[type eq "work"].value': `user${i}@acme.nl`,
			title: i % 3 === 0 ? 'Nurse' : 'Clerk',
			[`${ENT}:department`]: dept,
			[`${PLEK}:location`]: i % 2 === 0 ? 'Utrecht' : 'Zwolle',
		},
		groups: ['All staff', `Dept ${dept}`],
	};
}

function client(sandbox: RunningSandbox) {
	return createStandalonePlekClient(
		{ environmentUrl: sandbox.url, clientId: 'sandbox', clientSecret: 'sandbox-secret' },
		// Enough attempts that 7% faults cannot exhaust them; the rate cap sits just under the sandbox's limit
		// (bursts still meet 429 + Retry-After).
		// Group PATCHes of 500 members: the sandbox's cost per group PATCH grows with the group's size.
		{ concurrency: 8, requestsPerSecond: 450, maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 500, membersPerPatch: 500 },
	).client;
}

function assertExactState(sandbox: RunningSandbox, desired: PlekUserRecord[]) {
	const users = sandbox.users();
	const byKey = new Map<string, Record<string, unknown>>();
	const userNames = new Set<string>();
	for (const user of users) {
		expect(typeof user.externalId).toBe('string');
		expect(byKey.has(user.externalId)).toBe(false); // no duplicate externalId
		byKey.set(user.externalId, user);
		expect(userNames.has(String(user.userName).toLowerCase())).toBe(false); // no duplicate userName
		userNames.add(String(user.userName).toLowerCase());
	}
	const expectedMembers = new Map<string, Set<string>>();
	for (const rec of desired) {
		const user = byKey.get(rec.key);
		if (!rec.active && !user) continue;
		expect(user).toBeDefined();
		expect(user?.userName).toBe(rec.userName);
		expect(user?.active).toBe(rec.active);
		if (!rec.active) continue; // leavers are only deactivated, not updated
		for (const [path, value] of Object.entries(rec.profile)) expect([rec.key, path, readScimPath(user, path)]).toEqual([rec.key, path, value]);
		for (const g of rec.groups ?? []) {
			const set = expectedMembers.get(g) ?? new Set<string>();
			set.add(user?.id as string);
			expectedMembers.set(g, set);
		}
	}
	expect(byKey.size).toBe(desired.filter((r) => r.active || byKey.has(r.key)).length);
	const groups = sandbox.groups();
	expect(new Set(groups.map((g) => g.displayName)).size).toBe(groups.length); // no duplicate groups
	for (const [name, members] of expectedMembers) {
		const group = groups.find((g) => g.displayName === name);
		expect(group).toBeDefined();
		const actual = new Set<string>((group?.members ?? []).map((m: { value: string }) => m.value));
		for (const id of members) expect(actual.has(id)).toBe(true);
	}
}

describe('convergence against the sandbox with faults', () => {
	let sandbox: RunningSandbox;
	afterEach(async () => {
		await sandbox?.close();
	});

	test.each([
		[N, 'SCIM Bulk', true],
		[N_SINGLE, 'per-user requests', false],
	])('%i users via %s: exact state, exact writes for changes, zero writes when unchanged', async (N, _label, bulk) => {
		sandbox = await startSandbox({ seed: SEED, bulk, maxOperations: 200, requestsPerSecond: 500 });
		// Plek before: 300 managed users out of date, 10 of them leavers; one group exists with 5 members.
		const desired = Array.from({ length: N }, (_, i) => person(i));
		for (let i = 0; i < 10; i++) desired[i * 3].active = false; // all of them managed already
		sandbox.load({
			users: desired.slice(0, Math.round(N * 0.15)).map((r, i) => ({
				schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
				externalId: r.key,
				userName: r.userName,
				active: true,
				name: { givenName: i % 2 ? 'Stale' : `Given${i}`, familyName: `Family ${i}` },
				emails: [{ type: 'work', value: r.userName }],
			})),
			groups: [{ displayName: 'All staff', members: [] }],
		});
		const options: SyncOptions = { createMissingGroups: true, maxDeactivationPercent: 50 };
		sandbox.setFaults({ faultRate: 0.05, dropRate: 0.02, seed: SEED });

		const first = await syncOnce(desired, client(sandbox), { ...options, concurrency: 8, membersPerRequest: 500 });
		if (process.env.CONVERGENCE_DEBUG) console.log(JSON.stringify(first.summary), JSON.stringify(sandbox.counters().byStatus));
		expect(first.issues.filter((i) => i.type === 'failed')).toEqual([]);
		expect(first.summary.failed).toBe(0);
		expect(first.summary.done).toEqual(first.summary.planned);
		expect(first.summary.planned).toMatchObject({ create: N - Math.round(N * 0.15), deactivate: 10, groupCreate: 8 });
		if (N >= 1000) expect(sandbox.counters().dropped + (sandbox.counters().byStatus['503'] ?? 0)).toBeGreaterThan(0);
		assertExactState(sandbox, desired);

		// A few source changes: exactly their writes (faults off so every write counts once).
		sandbox.setFaults({ faultRate: 0, dropRate: 0 });
		const [a, b, c2, d, e] = [40, 41, 42, 43, 44].map((i) => desired[i]); // managed, active, not leavers
		a.profile.title = 'Head nurse';
		b.profile[`${ENT}:department`] = 'IT';
		c2.profile[`${PLEK}:location`] = 'Amsterdam';
		d.active = false;
		e.groups = ['All staff', `Dept ${DEPARTMENTS[44 % DEPARTMENTS.length]}`, 'Dept IT'];
		desired.push({ ...person(5000), groups: ['All staff', 'Dept IT'] });
		sandbox.resetCounters();
		const second = await syncOnce(desired, client(sandbox), options);
		expect(second.summary.done).toEqual({ create: 1, update: 3, adopt: 0, deactivate: 1, reactivate: 0, groupCreate: 0, groupAdd: 3, groupRemove: 0, manager: 0 });
		const c = sandbox.counters();
		const writes = (route: string) => Object.values(c.byRoute[route] ?? {}).reduce((a, b) => a + b, 0);
		// 3 updates + 1 deactivation + 1 create; group adds: "Dept IT" (two members, one PATCH) and "All staff".
		expect(c.writes).toBe(4 + 1 + 2);
		if (bulk) {
			expect(writes('POST /scim/v2/Bulk')).toBe(2); // one for the patches, one for the create
		} else {
			expect(writes('PATCH /scim/v2/Users/:id')).toBe(4);
			expect(writes('POST /scim/v2/Users')).toBe(1);
		}
		expect(writes('PATCH /scim/v2/Groups/:id')).toBe(2);
		expect(second.changes.map((ch) => ch.key).sort()).toEqual(['guid-00040', 'guid-00041', 'guid-00042', 'guid-00043', 'guid-00044', 'guid-05000']);
		expect(second.changes.find((ch) => ch.key === 'guid-00040')?.attributes).toEqual([{ path: 'title', before: 'Clerk', after: 'Head nurse' }]);
		assertExactState(sandbox, desired);

		// Unchanged: zero writes.
		sandbox.resetCounters();
		const third = await syncOnce(desired, client(sandbox), options);
		expect(sandbox.counters().writes).toBe(0);
		expect(third.changes).toEqual([]);
		expect(third.summary.planned).toEqual({ create: 0, update: 0, adopt: 0, deactivate: 0, reactivate: 0, groupCreate: 0, groupAdd: 0, groupRemove: 0, manager: 0 });
	}, 240_000);
});
