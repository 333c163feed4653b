// The one retry policy (transport/retry.ts): its decisions alone, and the failure breaker honoured by every
// level that sends a write again (the sender's 5xx retries, a create whose outcome stayed unknown, a Bulk
// operation written singly, a 412 re-sent with the current version).
import { PlekScimClient } from '../../transport/client';
import { RESENDS, RetryPolicy } from '../../transport/retry';
import { SCIM, connectionReset, fakeHttp, fakeTime, json } from './helpers';

const SPC_NO_BULK = { patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 100 } };
const SPC_BULK = { patch: { supported: true }, bulk: { supported: true, maxOperations: 10 }, filter: { supported: true, maxResults: 100 } };
const draft = (key: string) => ({ externalId: key, userName: `${key}@acme.test`, active: true });
const patch = (userId: string) => ({ kind: 'patch' as const, userId, operations: [{ op: 'replace' as const, path: 'title', value: 'T' }] });

function policy(tuning: ConstructorParameters<typeof RetryPolicy>[0] = {}) {
	const time = fakeTime();
	return { time, retry: new RetryPolicy({ baseDelayMs: 100, ...tuning }, { sleep: time.sleep, now: time.now, random: () => 1 }) };
}

describe('RetryPolicy decisions', () => {
	it('retries 5xx of an idempotent request with exponential backoff up to maxAttempts, then reports the answer', () => {
		const { retry } = policy({ maxAttempts: 3 });
		const request = retry.request(true);
		expect(request.afterAnswer(503, {})).toEqual({ action: 'retry', waitMs: 100 });
		expect(request.afterAnswer(500, {})).toEqual({ action: 'retry', waitMs: 200 });
		expect(request.afterAnswer(502, {})).toEqual({ action: 'final' });
		expect(request.attempts()).toBe(3);
	});

	it('never retries a 5xx or a dropped connection of a POST (it may have been applied), nor a 4xx', () => {
		const { retry } = policy();
		const post = retry.request(false);
		expect(post.afterAnswer(503, {})).toEqual({ action: 'final' });
		expect(post.afterFailure(connectionReset())).toBeUndefined();
		expect(retry.request(true).afterAnswer(400, {})).toEqual({ action: 'final' });
		expect(retry.request(true).afterAnswer(404, {})).toEqual({ action: 'final' });
	});

	it('honours Retry-After on 503 and 429; 429 is retried for any method, not counted as an attempt, until the budget is spent', async () => {
		const { retry, time } = policy({ maxAttempts: 1, rateLimitBudgetMs: 60_000 });
		expect(retry.request(true, undefined).afterAnswer(503, { 'retry-after': '0' })).toEqual({ action: 'final' });
		const twoTries = policy({ maxAttempts: 2 }).retry.request(true);
		expect(twoTries.afterAnswer(503, { 'retry-after': '7' })).toEqual({ action: 'retry', waitMs: 7000 });
		const post = retry.request(false);
		expect(post.afterAnswer(429, { 'retry-after': '2' })).toEqual({ action: 'rateLimited', waitMs: 2000 });
		await time.sleep(59_000);
		// Without Retry-After: backoff by the number of 429s so far (the second: 2 x 100 ms).
		expect(post.afterAnswer(429, {})).toEqual({ action: 'rateLimited', waitMs: 200 });
		await time.sleep(1000);
		expect(post.afterAnswer(429, { 'retry-after': '2' })).toEqual({ action: 'final' });
		expect(post.attempts()).toBe(3);
	});

	it('retries a dropped connection of an idempotent request, not an unknown error', () => {
		const { retry } = policy();
		expect(retry.request(true).afterFailure(connectionReset())).toBe(100);
		expect(retry.request(true).afterFailure(new Error('something else'))).toBeUndefined();
	});

	it('sends nothing again once the breaker is open: no 5xx retry, no 429 retry, no create resend, no second try', async () => {
		const { retry, time } = policy();
		const open = () => true;
		expect(retry.request(true, open).afterAnswer(503, {})).toEqual({ action: 'final' });
		expect(retry.request(true, open).afterAnswer(429, {})).toEqual({ action: 'final' });
		expect(retry.request(true, open).afterFailure(connectionReset())).toBeUndefined();
		expect(await retry.resendCreate(1, open)).toBe(false);
		expect(retry.mayResend('preconditionFailed', 0, open)).toBe(false);
		expect(time.sleeps).toEqual([]);
	});

	it('resends a create with backoff until maxAttempts, and each answer-driven second try once', async () => {
		const { retry, time } = policy({ maxAttempts: 3 });
		expect(await retry.resendCreate(1)).toBe(true);
		expect(await retry.resendCreate(2)).toBe(true);
		expect(await retry.resendCreate(3)).toBe(false);
		expect(time.sleeps).toEqual([100, 200]);
		for (const why of Object.keys(RESENDS) as Array<keyof typeof RESENDS>) {
			expect(retry.mayResend(why, 0)).toBe(true);
			expect(retry.mayResend(why, RESENDS[why])).toBe(false);
		}
	});
});

describe('the failure breaker stops retries of writes in flight', () => {
	function plekOver(handler: Parameters<typeof fakeHttp>[0]) {
		const fake = fakeHttp(handler);
		const time = fakeTime();
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, pageSize: 100, sleep: time.sleep, now: time.now, baseDelayMs: 1 });
		return { fake, client };
	}

	it('a PATCH answered 503 is retried while the breaker is closed, and sent once when it is open', async () => {
		for (const [open, patches] of [
			[false, 5],
			[true, 1],
		] as const) {
			const { fake, client } = plekOver((req) => (req.url.endsWith('/ServiceProviderConfig') ? json(200, SPC_NO_BULK) : json(503, {})));
			const [outcome] = await client.writeUsers([patch('u1')], { shouldStop: () => open && fake.requests.length > 1 });
			expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(patches);
			expect(outcome).toMatchObject({ outcome: 'failed', status: 503 });
		}
	});

	it('a create whose answer was lost is looked up, and POSTed again only while the breaker is closed', async () => {
		for (const [open, posts] of [
			[false, 5],
			[true, 1],
		] as const) {
			let opened = false;
			const { fake, client } = plekOver((req) => {
				if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC_NO_BULK);
				if (req.method === 'POST') {
					opened = open;
					throw connectionReset();
				}
				return json(200, { totalResults: 0, Resources: [] });
			});
			const [outcome] = await client.writeUsers([{ kind: 'create', draft: draft('k1') }], { shouldStop: () => opened });
			expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(posts);
			expect(fake.requests.filter((r) => r.method === 'GET' && String(r.qs?.filter).includes('k1'))).toHaveLength(posts);
			expect(outcome).toMatchObject({ outcome: 'failed' });
		}
	});

	it('a Bulk request that was lost is settled singly while the breaker is closed, and left failed when it is open', async () => {
		for (const [open, singles] of [
			[false, 1],
			[true, 0],
		] as const) {
			let opened = false;
			const { fake, client } = plekOver((req) => {
				if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC_BULK);
				if (req.url.endsWith('/Bulk')) {
					opened = open;
					throw connectionReset();
				}
				return json(200, { id: 'u1', userName: 'x', title: 'T' });
			});
			const [outcome] = await client.writeUsers([patch('u1')], { shouldStop: () => opened });
			expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(singles);
			expect(outcome.outcome).toBe(open ? 'failed' : 'updated');
		}
	});
});
