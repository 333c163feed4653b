import nock from 'nock';

import { PlekApiError } from '../../transport/errors';
import { PlekScimClient } from '../../transport/client';
import { PATCH_OP } from '../support/scim';
import {
	ENV,
	SCIM,
	SPC,
	connectionReset,
	fakeHttp,
	fakeTime,
	json,
	mockTokens,
	standaloneClient,
	users,
} from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('paging', () => {
	it('fetches the first page, then the remaining pages concurrently; every user exactly once', async () => {
		const all = users(1, 1050);
		const fake = fakeHttp((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC);
			const start = Number(req.qs?.startIndex);
			const count = Number(req.qs?.count);
			return json(200, { totalResults: all.length, startIndex: start, Resources: all.slice(start - 1, start - 1 + count) });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4, pageSize: 100 });
		const listed = await client.listUsers();
		expect(listed.map((u) => u.id)).toEqual(all.map((u) => u.id));
		const pages = fake.requests.filter((r) => r.url.endsWith('/Users'));
		expect(pages).toHaveLength(11);
		expect(pages[0].qs).toMatchObject({ startIndex: 1, count: 100 });
		expect(pages.map((r) => r.qs?.startIndex).sort((a, b) => Number(a) - Number(b))).toEqual(
			[1, 101, 201, 301, 401, 501, 601, 701, 801, 901, 1001],
		);
		// Concurrent, but bounded.
		expect(fake.maxInFlight()).toBe(4);
		expect(client.requestCount()).toBe(11);
	});

	it('adapts to a server that caps the page size below the requested count, with no gaps or duplicates', async () => {
		const all = users(1, 23);
		const fake = fakeHttp((req) => {
			const start = Number(req.qs?.startIndex);
			const count = Math.min(5, Number(req.qs?.count));
			return json(200, { totalResults: all.length, Resources: all.slice(start - 1, start - 1 + count) });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, pageSize: 10 });
		const listed = await client.listUsers();
		expect(listed.map((u) => u.id)).toEqual(all.map((u) => u.id));
	});

	it('uses the server maxResults as page size when none is configured', async () => {
		const fake = fakeHttp((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, { ...SPC, filter: { supported: true, maxResults: 25 } });
			return json(200, { totalResults: 0, Resources: [] });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		await client.listUsers();
		await client.listGroups();
		expect(fake.requests.filter((r) => r.url.endsWith('/ServiceProviderConfig'))).toHaveLength(1);
		expect(fake.requests.find((r) => r.url.endsWith('/Users'))?.qs).toMatchObject({ count: 25 });
	});

	it('lists groups with members over real HTTP', async () => {
		mockTokens('tok-1');
		nock(ENV)
			.get('/scim/v2/Groups')
			.query({ startIndex: 1, count: 1 })
			.reply(200, { totalResults: 2, Resources: [{ id: 'g1', displayName: 'A', members: [{ value: 'u1' }] }] })
			.get('/scim/v2/Groups')
			.query({ startIndex: 2, count: 1 })
			.reply(200, { totalResults: 2, Resources: [{ id: 'g2', displayName: 'B', members: [] }] });
		const { client } = standaloneClient({ pageSize: 1 });
		const groups = await client.listGroups();
		expect(groups).toEqual([
			{ id: 'g1', displayName: 'A', members: [{ value: 'u1' }] },
			{ id: 'g2', displayName: 'B', members: [] },
		]);
	});
});

describe('retries', () => {
	it('honours Retry-After in seconds on 429', async () => {
		mockTokens('tok-1');
		nock(ENV)
			.get('/scim/v2/Users/u1')
			.reply(429, { detail: 'slow down' }, { 'Retry-After': '7' })
			.get('/scim/v2/Users/u1')
			.reply(200, { id: 'u1', userName: 'a' });
		const { client, time } = standaloneClient();
		expect((await client.getUser('u1'))?.id).toBe('u1');
		// The whole client pauses for Retry-After stretched by up to 10% jitter (random() = 1 here: the full 10%).
		expect(time.sleeps).toEqual([7700]);
		expect(client.requestCount()).toBe(2);
	});

	it('honours Retry-After as an HTTP date, and caps it', async () => {
		const time = fakeTime(Date.parse('2026-01-01T10:00:00Z'));
		let n = 0;
		const fake = fakeHttp(() => {
			n++;
			if (n === 1) return json(429, {}, { 'retry-after': 'Thu, 01 Jan 2026 10:00:03 GMT' });
			if (n === 2) return json(429, {}, { 'retry-after': '86400' });
			return json(200, { id: 'u1', userName: 'a' });
		});
		const client = new PlekScimClient(fake.http, {
			scimBaseUrl: SCIM,
			sleep: time.sleep,
			now: time.now,
			random: () => 0, // no jitter
			maxRetryAfterMs: 20_000,
		});
		await client.getUser('u1');
		expect(time.sleeps).toEqual([3000, 20_000]);
	});

	it('retries persistent 429 until the rate-limit budget is spent, then fails telling to lower the rate', async () => {
		const fake = fakeHttp(() => json(429, {}, { 'retry-after': '1' }));
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, {
			scimBaseUrl: SCIM,
			sleep: time.sleep,
			now: time.now,
			random: () => 0,
			maxAttempts: 2, // does not apply to 429
			rateLimitBudgetMs: 3000,
		});
		const error = await client.getUser('u1').catch((e) => e);
		expect(error).toBeInstanceOf(PlekApiError);
		expect(error.status).toBe(429);
		expect(error.attempts).toBe(4);
		expect(error.hint).toMatch(/Lower Requests per Second/);
		expect(fake.requests).toHaveLength(4);
		expect(time.sleeps).toEqual([1000, 1000, 1000]);
	});

	it('a POST met by 429s for minutes is still sent, once, within the budget', async () => {
		let n = 0;
		const fake = fakeHttp((req) => {
			if (req.method === 'POST' && ++n <= 100) return json(429, {}, { 'retry-after': '3' });
			return json(201, { id: 'g1', displayName: 'Care' });
		});
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: time.sleep, now: time.now, random: () => 0 });
		const started = time.now();
		expect((await client.createGroup('Care')).id).toBe('g1');
		expect(time.now() - started).toBeGreaterThanOrEqual(300_000); // five minutes of 429s
		expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(101);
	});

	it('backs off exponentially on 5xx with bounded attempts', async () => {
		mockTokens('tok-1');
		nock(ENV).get('/scim/v2/Users/u1').times(4).reply(503, { detail: 'maintenance' });
		const { client, time } = standaloneClient({ maxAttempts: 4, baseDelayMs: 100, random: () => 1 });
		const error = await client.getUser('u1').catch((e) => e);
		expect(error).toBeInstanceOf(PlekApiError);
		expect(error.status).toBe(503);
		expect(error.attempts).toBe(4);
		expect(error.message).toMatch(/server error.*503.*after 4 attempts/);
		expect(client.requestCount()).toBe(4);
		expect(time.sleeps).toEqual([100, 200, 400]);
		expect(nock.isDone()).toBe(true);
	});

	it('applies full jitter below the exponential ceiling and caps at maxDelayMs', async () => {
		const fake = fakeHttp(() => json(500, {}));
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, {
			scimBaseUrl: SCIM,
			sleep: time.sleep,
			now: time.now,
			random: () => 0.5,
			baseDelayMs: 1000,
			maxDelayMs: 3000,
			maxAttempts: 5,
		});
		await expect(client.getUser('u1')).rejects.toThrow(PlekApiError);
		expect(time.sleeps).toEqual([500, 1000, 1500, 1500]);
	});

	it('retries network errors (connection reset) and succeeds', async () => {
		mockTokens('tok-1');
		nock(ENV)
			.get('/scim/v2/Users/u1')
			.replyWithError(connectionReset())
			.get('/scim/v2/Users/u1')
			.reply(200, { id: 'u1', userName: 'a' });
		const { client, time } = standaloneClient();
		expect((await client.getUser('u1'))?.id).toBe('u1');
		expect(time.sleeps).toEqual([100]);
		expect(client.requestCount()).toBe(2);
	});

	it('does not retry a 400', async () => {
		const fake = fakeHttp(() =>
			json(400, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], scimType: 'invalidValue', detail: 'bad email' }),
		);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: async () => {} });
		const error = await client.patchUser('u1', [{ op: 'replace', path: 'active', value: false }]).catch((e) => e);
		expect(error.status).toBe(400);
		expect(error.scimType).toBe('invalidValue');
		expect(error.detail).toBe('bad email');
		expect(error.message).toContain('bad email');
		expect(fake.requests).toHaveLength(1);
	});
});

describe('pacing', () => {
	it('spaces requests by the requests-per-second cap (recorded sleeps, fake clock)', async () => {
		const fake = fakeHttp(() => json(200, { id: 'u', userName: 'x' }));
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, {
			scimBaseUrl: SCIM,
			requestsPerSecond: 5,
			concurrency: 1,
			sleep: time.sleep,
			now: time.now,
		});
		for (let i = 0; i < 4; i++) await client.getUser(`u${i}`);
		expect(time.sleeps).toEqual([200, 200, 200]);
	});

	it('without a cap, does not sleep', async () => {
		const fake = fakeHttp(() => json(200, { id: 'u', userName: 'x' }));
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: time.sleep, now: time.now });
		await Promise.all([1, 2, 3, 4, 5].map((i) => client.getUser(`u${i}`)));
		expect(time.sleeps).toEqual([]);
	});

	it('concurrent callers share the rate: slots are handed out 1/rps apart', async () => {
		const fake = fakeHttp(() => json(200, { id: 'u', userName: 'x' }));
		const sleeps: number[] = [];
		const client = new PlekScimClient(fake.http, {
			scimBaseUrl: SCIM,
			requestsPerSecond: 10,
			concurrency: 8,
			sleep: async (ms) => {
				sleeps.push(ms);
			},
			now: () => 0,
		});
		await Promise.all([1, 2, 3, 4].map((i) => client.getUser(`u${i}`)));
		expect(sleeps.sort((a, b) => a - b)).toEqual([100, 200, 300]);
	});
});

describe('createUser', () => {
	const draft = { externalId: 'k1', userName: 'jane@acme.test', active: true, name: { givenName: 'Jane' } };

	it('posts the user with the core schema', async () => {
		mockTokens('tok-1');
		let body: any;
		nock(ENV)
			.post('/scim/v2/Users', (b) => {
				body = b;
				return true;
			})
			.reply(201, { id: 'u1', ...draft });
		const { client } = standaloneClient();
		expect((await client.createUser(draft)).id).toBe('u1');
		expect(body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
		expect(body.externalId).toBe('k1');
	});

	it('resolves a 409 by looking the user up by externalId (same person)', async () => {
		mockTokens('tok-1');
		let posts = 0;
		nock(ENV)
			.post('/scim/v2/Users')
			.times(5)
			.reply(() => {
				posts++;
				return [409, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], scimType: 'uniqueness', status: '409' }];
			})
			.get('/scim/v2/Users')
			.query((q) => q.filter === 'externalId eq "k1"')
			.reply(200, { totalResults: 1, Resources: [{ id: 'u-existing', ...draft }] });
		const { client } = standaloneClient({ pageSize: 100 });
		const user = await client.createUser(draft);
		expect(user.id).toBe('u-existing');
		expect(posts).toBe(1);
	});

	it('a 409 from a different person names the conflicting value', async () => {
		mockTokens('tok-1');
		nock(ENV)
			.post('/scim/v2/Users')
			.reply(409, { scimType: 'uniqueness', detail: 'userName must be unique' })
			.get('/scim/v2/Users')
			.query((q) => q.filter === 'externalId eq "k1"')
			.reply(200, { totalResults: 0, Resources: [] })
			.get('/scim/v2/Users')
			.query((q) => q.filter === 'userName eq "jane@acme.test"')
			.reply(200, { totalResults: 1, Resources: [{ id: 'u9', userName: 'jane@acme.test', externalId: 'other' }] });
		const { client } = standaloneClient({ pageSize: 100 });
		const error = await client.createUser(draft).catch((e) => e);
		expect(error).toBeInstanceOf(PlekApiError);
		expect(error.status).toBe(409);
		expect(error.scimType).toBe('uniqueness');
		expect(error.message).toContain('userName "jane@acme.test" already belongs to Plek user u9');
		expect(error.message).toContain('externalId "other"');
	});

	it('a lost response (connection reset after the POST) resolves by lookup, with no second POST', async () => {
		mockTokens('tok-1');
		let posts = 0;
		nock(ENV)
			.post('/scim/v2/Users')
			.times(3)
			.reply(() => {
				posts++;
				// The server applied the create, but the answer never arrives.
				return [201, { id: 'u-created' }];
			});
		nock(ENV)
			.get('/scim/v2/Users')
			.query((q) => q.filter === 'externalId eq "k1"')
			.reply(200, { totalResults: 1, Resources: [{ id: 'u-created', ...draft }] });
		const seen: string[] = [];
		const { client, http } = standaloneClient({ pageSize: 100 });
		const original = http.request.bind(http);
		http.request = async (req) => {
			seen.push(`${req.method} ${req.url}`);
			const response = await original(req);
			if (req.method === 'POST') throw connectionReset();
			return response;
		};
		const user = await client.createUser(draft);
		expect(user.id).toBe('u-created');
		expect(seen.filter((s) => s.startsWith('POST'))).toHaveLength(1);
		expect(posts).toBe(1);
		expect(seen[1]).toBe(`GET ${SCIM}/Users`);
	});

	it('a lost response after which the user is not found is retried once more', async () => {
		let n = 0;
		const fake = fakeHttp((req) => {
			n++;
			if (req.method === 'POST' && n === 1) throw connectionReset();
			if (req.method === 'POST') return json(201, { id: 'u1', ...draft });
			return json(200, { totalResults: 0, Resources: [] });
		});
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, pageSize: 100, sleep: time.sleep, baseDelayMs: 100, random: () => 1 });
		expect((await client.createUser(draft)).id).toBe('u1');
		expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
		expect(time.sleeps).toEqual([100]);
	});

	it('a 5xx after which the user does not exist is retried, and the retry creates it once', async () => {
		const fake = fakeHttp((req, n) => {
			if (req.method === 'POST') return n === 1 ? json(502, {}) : json(201, { id: 'u1', ...draft });
			return json(200, { totalResults: 0, Resources: [] });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, pageSize: 100, sleep: async () => {} });
		expect((await client.createUser(draft)).id).toBe('u1');
		expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
	});

	it('429 on create is simply retried (nothing was applied)', async () => {
		const fake = fakeHttp((req, n) => (n === 1 ? json(429, {}, { 'retry-after': '1' }) : json(201, { id: 'u1', ...draft })));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: async () => {} });
		expect((await client.createUser(draft)).id).toBe('u1');
		expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
	});
});

describe('patchUser', () => {
	it('sends a PatchOp with If-Match, and on 412 refetches and retries once with the new version', async () => {
		mockTokens('tok-1');
		const ops = [{ op: 'replace' as const, path: 'active', value: false }];
		let bodies: any[] = [];
		nock(ENV)
			.patch('/scim/v2/Users/u1', (b) => {
				bodies.push(b);
				return true;
			})
			.matchHeader('if-match', 'W/"1"')
			.reply(412, { scimType: 'invalidVers' })
			.get('/scim/v2/Users/u1')
			.reply(200, { id: 'u1', userName: 'a', meta: { version: 'W/"2"' } })
			.patch('/scim/v2/Users/u1', (b) => {
				bodies.push(b);
				return true;
			})
			.matchHeader('if-match', 'W/"2"')
			.reply(200, { id: 'u1', userName: 'a', active: false, meta: { version: 'W/"3"' } });
		const { client } = standaloneClient();
		const user = await client.patchUser('u1', ops, 'W/"1"');
		expect(user.meta?.version).toBe('W/"3"');
		expect(bodies).toHaveLength(2);
		expect(bodies[0]).toEqual({ schemas: [PATCH_OP], Operations: ops });
		expect(nock.isDone()).toBe(true);
		bodies = [];
	});

	it('a second 412 is final', async () => {
		const fake = fakeHttp((req) =>
			req.method === 'GET' ? json(200, { id: 'u1', userName: 'a', meta: { version: 'W/"9"' } }) : json(412, {}),
		);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: async () => {} });
		const error = await client.patchUser('u1', [{ op: 'replace', path: 'active', value: true }], 'W/"1"').catch((e) => e);
		expect(error.status).toBe(412);
		expect(fake.requests.map((r) => r.method)).toEqual(['PATCH', 'GET', 'PATCH']);
		expect(fake.requests[2].headers).toEqual({ 'If-Match': 'W/"9"' });
	});

	it('a 204 answer is followed by a GET of the user', async () => {
		const fake = fakeHttp((req) => (req.method === 'PATCH' ? json(204, undefined) : json(200, { id: 'u1', userName: 'b' })));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		expect((await client.patchUser('u1', [{ op: 'replace', path: 'userName', value: 'b' }])).userName).toBe('b');
		expect(fake.requests[0].headers).toBeUndefined();
	});
});

describe('groups', () => {
	it('adds members with one add op and [{value}]', async () => {
		const fake = fakeHttp(() => json(204, undefined));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, membersPerPatch: 2 });
		await client.addGroupMembers('g1', ['u1', 'u2', 'u3']);
		expect(fake.requests.map((r) => [r.method, r.url])).toEqual([
			['PATCH', `${SCIM}/Groups/g1`],
			['PATCH', `${SCIM}/Groups/g1`],
		]);
		expect(fake.requests[0].body).toEqual({
			schemas: [PATCH_OP],
			Operations: [{ op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }],
		});
		await client.addGroupMembers('g1', []);
		expect(fake.requests).toHaveLength(2);
	});

	it('findGroupByName filters by displayName; createGroup resolves a 409 by lookup', async () => {
		const fake = fakeHttp((req) => {
			if (req.method === 'POST') return json(409, { scimType: 'uniqueness' });
			return json(200, { totalResults: 1, Resources: [{ id: 'g7', displayName: 'Sales "EU"' }] });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		const group = await client.createGroup('Sales "EU"');
		expect(group.id).toBe('g7');
		expect(fake.requests[1].qs?.filter).toBe('displayName eq "Sales \\"EU\\""');
	});
});

describe('bulk', () => {
	it('splits by maxOperations and substitutes bulkId references across requests', async () => {
		const fake = fakeHttp((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC);
			const ops = (req.body as any).Operations as any[];
			return json(200, {
				schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
				Operations: ops.map((op) => ({
					method: op.method,
					bulkId: op.bulkId,
					status: op.method === 'POST' ? '201' : '200',
					location: op.method === 'POST' ? `${SCIM}/Users/id-${op.bulkId}` : `${SCIM}${op.path}`,
				})),
			});
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		const ops = [
			{ method: 'POST' as const, path: '/Users', bulkId: 'b1', data: { userName: 'a' } },
			{ method: 'POST' as const, path: '/Users', bulkId: 'b2', data: { userName: 'b' } },
			{ method: 'PATCH' as const, path: '/Groups/g1', data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:b1' }] }] } },
			{ method: 'PATCH' as const, path: '/Users/u3', data: {} },
			{ method: 'PATCH' as const, path: '/Users/u4', data: {} },
		];
		const results = await client.bulk(ops);
		const bulkRequests = fake.requests.filter((r) => r.url.endsWith('/Bulk'));
		expect(bulkRequests.map((r) => (r.body as any).Operations.length)).toEqual([2, 2, 1]);
		expect((bulkRequests[0].body as any).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkRequest']);
		expect((bulkRequests[1].body as any).Operations[0].data.Operations[0].value[0].value).toBe('id-b1');
		expect(results).toHaveLength(5);
		expect(results[0]).toMatchObject({ bulkId: 'b1', status: '201' });
	});

	it('splits by maxPayloadSize', async () => {
		const fake = fakeHttp((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) {
				return json(200, { ...SPC, bulk: { supported: true, maxOperations: 100, maxPayloadSize: 400 } });
			}
			return json(200, { Operations: (req.body as any).Operations.map((op: any) => ({ method: op.method, status: 200 })) });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		const ops = Array.from({ length: 6 }, (_, i) => ({
			method: 'PATCH' as const,
			path: `/Users/u${i}`,
			data: { Operations: [{ op: 'replace', path: 'title', value: 'x'.repeat(60) }] },
		}));
		const results = await client.bulk(ops);
		const sizes = fake.requests
			.filter((r) => r.url.endsWith('/Bulk'))
			.map((r) => new TextEncoder().encode(JSON.stringify(r.body)).length);
		expect(sizes.length).toBeGreaterThan(1);
		for (const size of sizes) expect(size).toBeLessThanOrEqual(400);
		expect(results).toHaveLength(6);
		expect(results.every((r) => r.status === '200')).toBe(true);
	});

	it('does not resend a bulk request containing a POST after a 5xx', async () => {
		const fake = fakeHttp((req) => (req.url.endsWith('/ServiceProviderConfig') ? json(200, SPC) : json(503, {})));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: async () => {} });
		await expect(client.bulk([{ method: 'POST', path: '/Users', bulkId: 'x', data: {} }])).rejects.toMatchObject({ status: 503 });
		expect(fake.requests.filter((r) => r.url.endsWith('/Bulk'))).toHaveLength(1);
	});

	it('refuses when the server does not advertise bulk', async () => {
		const fake = fakeHttp(() => json(200, { ...SPC, bulk: { supported: false } }));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		await expect(client.bulk([{ method: 'PATCH', path: '/Users/u1', data: {} }])).rejects.toThrow(/does not advertise SCIM Bulk/);
	});
});

describe('discovery', () => {
	it('reads capabilities once and caches them', async () => {
		mockTokens('tok-1');
		nock(ENV).get('/scim/v2/ServiceProviderConfig').once().reply(200, SPC);
		const { client } = standaloneClient();
		const [a, b] = await Promise.all([client.capabilities(), client.capabilities()]);
		expect(a).toEqual({
			patch: true,
			bulk: { supported: true, maxOperations: 2, maxPayloadSize: 1_048_576 },
			filter: { supported: true, maxResults: 200 },
			etag: true,
		});
		expect(b).toBe(a);
		expect(await client.capabilities()).toBe(a);
		expect(client.requestCount()).toBe(1);
	});

	it('searchUsers stops at the limit', async () => {
		const fake = fakeHttp((req) =>
			json(200, { totalResults: 500, Resources: users(Number(req.qs?.startIndex), Number(req.qs?.startIndex) + Number(req.qs?.count) - 1) }),
		);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, pageSize: 10 });
		const found = await client.searchUsers('active eq true', 25);
		expect(found).toHaveLength(25);
		expect(fake.requests.map((r) => r.qs?.count)).toEqual([10, 10, 5]);
		expect(fake.requests[0].qs?.filter).toBe('active eq true');
	});
});
