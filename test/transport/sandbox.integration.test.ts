/**
 * The transport against the Plek sandbox over real HTTP (sandbox/server.ts, started in-process), with faults on:
 * 5xx, dropped connections (half of the dropped writes applied first), a rate limit with 429 + Retry-After, and
 * expiring tokens. The transport must converge to exactly the intended state with no duplicate accounts.
 */
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/server';
import { PlekAuthError } from '../../transport/auth';
import { PlekScimClient } from '../../transport/client';
import { filterEq } from '../../transport/filter';
import { createStandalonePlekHttp } from '../support/standaloneHttp';

const USERS = 200;

function draft(i: number) {
	return {
		schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
		externalId: `emp-${i}${i % 17 === 0 ? '"q\\b' : ''}`,
		userName: `user${i}@acme.test`,
		active: true,
		name: { givenName: `Given${i}`, familyName: `Family${i}` },
	};
}

function clientFor(sandbox: RunningSandbox, options: Partial<ConstructorParameters<typeof PlekScimClient>[1]> = {}) {
	const http = createStandalonePlekHttp({ environmentUrl: sandbox.url, clientId: 'sandbox', clientSecret: 'sandbox-secret', timeoutMs: 5000 });
	const client = new PlekScimClient(http, {
		scimBaseUrl: http.scimBaseUrl,
		concurrency: 8,
		maxAttempts: 12,
		baseDelayMs: 5,
		maxDelayMs: 100,
		maxRetryAfterMs: 1500,
		...options,
	});
	return { client, http };
}

describe('transport against the sandbox with faults', () => {
	let sandbox: RunningSandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 7, faultRate: 0.1, dropRate: 0.08, requestsPerSecond: 150, maxResults: 50 });
	});
	afterAll(async () => {
		await sandbox?.close();
	});

	it(`creates ${USERS} users concurrently through 5xx, drops and 429s: exactly ${USERS} exist, no duplicates`, async () => {
		const { client } = clientFor(sandbox);
		const created = await Promise.all(Array.from({ length: USERS }, (_, i) => client.createUser(draft(i))));
		expect(new Set(created.map((u) => u.id)).size).toBe(USERS);

		const stored = sandbox.users() as any[];
		expect(stored).toHaveLength(USERS);
		expect(new Set(stored.map((u) => u.externalId)).size).toBe(USERS);
		expect(new Set(stored.map((u) => String(u.userName).toLowerCase())).size).toBe(USERS);
		for (let i = 0; i < USERS; i++) expect(stored.some((u) => u.externalId === draft(i).externalId)).toBe(true);

		const counters = sandbox.counters();
		// The faults really happened, so the retry / lookup paths were exercised.
		expect(counters.dropped).toBeGreaterThan(0);
		expect(Object.keys(counters.byStatus).some((s) => s.startsWith('5'))).toBe(true);
		expect(client.requestCount()).toBeGreaterThan(USERS);

		// Paged listing (server pages of 50, fetched concurrently) returns every user exactly once, faults still on.
		const listed = await client.listUsers();
		expect(listed).toHaveLength(USERS);
		expect(new Set(listed.map((u) => u.id)).size).toBe(USERS);

		// Lookups with an escaped key find the right user.
		const odd = draft(17).externalId;
		expect((await client.findUserByExternalId(odd))?.externalId).toBe(odd);
		expect(await client.searchUsers(filterEq('externalId', 'emp-17'), 5)).toEqual([]);

		// Creating the same people again resolves every 409 by lookup: still exactly USERS users.
		const again = await Promise.all(Array.from({ length: 20 }, (_, i) => client.createUser(draft(i))));
		expect(again.map((u) => u.externalId)).toEqual(Array.from({ length: 20 }, (_, i) => draft(i).externalId));
		expect(sandbox.users()).toHaveLength(USERS);
	});

	it('patches with If-Match, recovering from a stale version (412), and manages group members', async () => {
		const { client } = clientFor(sandbox);
		sandbox.resetCounters();
		const user = (await client.findUserByExternalId(draft(3).externalId))!;
		const patched = await client.patchUser(user.id, [{ op: 'replace', path: 'active', value: false }], user.meta?.version);
		expect(patched.active).toBe(false);
		// The version we hold is now stale: 412, refetch, retry once.
		const again = await client.patchUser(user.id, [{ op: 'replace', path: 'name.givenName', value: 'Renamed' }], user.meta?.version);
		expect((again.name as any).givenName).toBe('Renamed');
		expect(sandbox.counters().byRoute['PATCH /scim/v2/Users/:id']?.['412']).toBeGreaterThanOrEqual(1);

		const group = await client.createGroup('Engineering "Core"');
		expect((await client.createGroup('Engineering "Core"')).id).toBe(group.id);
		const members = (await client.listUsers()).slice(0, 30).map((u) => u.id);
		await client.addGroupMembers(group.id, members);
		await client.removeGroupMembers(group.id, members.slice(0, 10));
		const groups = await client.listGroups();
		const stored = groups.find((g) => g.id === group.id)!;
		expect(new Set((stored.members ?? []).map((m) => m.value))).toEqual(new Set(members.slice(10)));
		expect((await client.findGroupByName('Engineering "Core"'))?.id).toBe(group.id);
	});

	it('reads capabilities and schemas', async () => {
		const { client } = clientFor(sandbox);
		const caps = await client.capabilities();
		expect(caps.patch).toBe(true);
		expect(caps.filter.maxResults).toBe(50);
		const schemas = await client.getSchemas();
		expect(schemas.some((s) => s.id === 'urn:ietf:params:scim:schemas:core:2.0:User')).toBe(true);
	});
});

describe('transport against the sandbox: pacing, tokens, bulk, credential errors', () => {
	let sandbox: RunningSandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 11, maxOperations: 7 });
	});
	afterAll(async () => {
		await sandbox?.close();
	});

	it('a requests-per-second cap below the server limit avoids 429s entirely', async () => {
		sandbox.setFaults({ requestsPerSecond: 10 });
		sandbox.resetCounters();
		const { client } = clientFor(sandbox, { requestsPerSecond: 8, concurrency: 8 });
		await Promise.all(Array.from({ length: 20 }, (_, i) => client.getUser(`missing-${i}`)));
		expect(sandbox.counters().byStatus['429'] ?? 0).toBe(0);

		// Without the cap the same burst is rate-limited, and Retry-After gets it through anyway.
		sandbox.resetCounters();
		const { client: eager } = clientFor(sandbox, { concurrency: 8 });
		const results = await Promise.all(Array.from({ length: 30 }, (_, i) => eager.getUser(`missing-${i}`)));
		expect(results.every((r) => r === undefined)).toBe(true);
		expect(sandbox.counters().byStatus['429']).toBeGreaterThan(0);
		sandbox.setFaults({ requestsPerSecond: 0 });
	});

	it('an expired token is refreshed once on 401', async () => {
		const short = await startSandbox({ tokenTtlSeconds: 1 });
		try {
			// A negative margin makes the client keep using the token past its expiry, so the server answers 401.
			const http = createStandalonePlekHttp({
				environmentUrl: short.url,
				clientId: 'sandbox',
				clientSecret: 'sandbox-secret',
				refreshMarginMs: -10_000,
			});
			const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl });
			await client.listUsersPage(1, 1);
			await new Promise((resolve) => setTimeout(resolve, 1300));
			await client.listUsersPage(1, 1);
			expect(http.tokenRequests()).toBe(2);
			expect(short.counters().byStatus['401']).toBe(1);
		} finally {
			await short.close();
		}
	});

	it('bulk is split by the advertised maxOperations', async () => {
		sandbox.reset();
		sandbox.resetCounters();
		const { client } = clientFor(sandbox);
		const ops = Array.from({ length: 16 }, (_, i) => ({
			method: 'POST' as const,
			path: '/Users',
			bulkId: `b${i}`,
			data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `bulk${i}@acme.test`, externalId: `bulk-${i}` },
		}));
		const results = await client.bulk(ops);
		expect(results).toHaveLength(16);
		expect(results.every((r) => r.status.startsWith('2'))).toBe(true);
		expect(sandbox.counters().byRoute['POST /scim/v2/Bulk']?.['200']).toBe(3);
		expect(sandbox.users()).toHaveLength(16);
	});

	it('wrong secret, wrong URL and unreachable host give three distinct messages', async () => {
		const attempt = async (options: { environmentUrl: string; clientSecret: string; tokenUrl?: string }) => {
			const http = createStandalonePlekHttp({ clientId: 'sandbox', ...options });
			const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl });
			return (await client.capabilities().catch((e) => e)) as PlekAuthError;
		};
		const wrongSecret = await attempt({ environmentUrl: sandbox.url, clientSecret: 'nope' });
		const wrongUrl = await attempt({ environmentUrl: sandbox.url, clientSecret: 'sandbox-secret', tokenUrl: '/auth/nothing-here' });
		const closed = await startSandbox({});
		const deadUrl = closed.url;
		await closed.close();
		const unreachable = await attempt({ environmentUrl: deadUrl, clientSecret: 'sandbox-secret' });
		expect(wrongSecret.reason).toBe('invalid_client');
		expect(wrongUrl.reason).toBe('token_endpoint_not_found');
		expect(unreachable.reason).toBe('unreachable');
		expect(wrongSecret.message).toMatch(/Client ID or Client Secret/);
		expect(wrongUrl.message).toMatch(/no OAuth token endpoint/);
		expect(unreachable.message).toMatch(/connection refused/);
		for (const error of [wrongSecret, wrongUrl, unreachable]) expect(JSON.stringify(error) + error.message).not.toContain('sandbox-secret');
	});
});
