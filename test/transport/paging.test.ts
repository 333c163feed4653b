/**
 * Issue 23: a listing is read to its end. Servers that report totalResults as the page length, cap it at the page
 * size, lie high, or change it mid-list: every resource exactly once, and the cost of finding the end is bounded
 * (one extra GET on an honest server whose total does not exceed the first page; none when it does).
 */
import { PlekApiError } from '../../transport/errors';
import { PlekScimClient } from '../../transport/client';
import type { PlekHttpRequest } from '../../transport/http';
import { SCIM, SPC, fakeHttp, json, users } from './helpers';

type Reported = (real: number, served: number, start: number) => number | undefined;

/** A server over `all` that serves at most `cap` per page and reports totalResults as `report` says. */
function server(all: Array<{ id: string }>, cap: number, report: Reported, maxResults = 1000) {
	return fakeHttp((req: PlekHttpRequest) => {
		if (req.url.endsWith('/ServiceProviderConfig')) return json(200, { ...SPC, filter: { supported: true, maxResults } });
		const start = Number(req.qs?.startIndex);
		const count = Math.min(cap, Number(req.qs?.count));
		const page = all.slice(start - 1, start - 1 + count);
		const total = report(all.length, page.length, start);
		return json(200, { ...(total === undefined ? {} : { totalResults: total }), startIndex: start, Resources: page });
	});
}

const pages = (fake: ReturnType<typeof fakeHttp>, path = '/Users') => fake.requests.filter((r) => r.url.endsWith(path));
const starts = (fake: ReturnType<typeof fakeHttp>, path = '/Users') => pages(fake, path).map((r) => Number(r.qs?.startIndex)).sort((a, b) => a - b);

describe('a listing ends at an empty page or a trustworthy total, never at a total equal to the first page', () => {
	const all = users(1, 274);

	it.each([
		['totalResults is the page length', ((_real, served) => served) as Reported],
		['totalResults is capped at the page size', ((real) => Math.min(real, 50)) as Reported],
		['no totalResults at all', (() => undefined) as Reported],
	])('274 users at most 50 per page, %s: every user once', async (_name, report) => {
		const fake = server(all, 50, report);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4 });
		const listed = await client.listUsers();
		expect(listed.map((u) => u.id)).toEqual(all.map((u) => u.id));
		// 6 pages hold them; finding the end costs at most one wave of 4 more.
		expect(pages(fake).length).toBeGreaterThanOrEqual(7);
		expect(pages(fake).length).toBeLessThanOrEqual(6 + 4);
		expect(starts(fake)).toEqual(expect.arrayContaining([1, 51, 101, 151, 201, 251, 275]));
	});

	it('the same for groups', async () => {
		const groups = all.map((u) => ({ id: `g-${u.id}`, displayName: u.id, members: [] }));
		const fake = server(groups, 50, (_real, served) => served);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4 });
		expect((await client.listGroups()).map((g) => g.id)).toEqual(groups.map((g) => g.id));
	});

	it('an honest server whose total fits the first page: exactly one extra GET (the empty page)', async () => {
		const fake = server(users(1, 30), 1000, (real) => real);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		expect(await client.listUsers()).toHaveLength(30);
		expect(starts(fake)).toEqual([1, 31]);
	});

	it('an honest server whose total exceeds the first page: no extra GET', async () => {
		const fake = server(all, 100, (real) => real);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4 });
		expect(await client.listUsers()).toHaveLength(274);
		expect(starts(fake)).toEqual([1, 101, 201]);
	});

	it('an empty list: one GET', async () => {
		const fake = server([], 100, (real) => real);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		expect(await client.listUsers()).toEqual([]);
		expect(starts(fake)).toEqual([1]);
	});

	it('a total that changes between pages is no longer trusted: read to the empty page', async () => {
		// Reports 120 on the first page, then the page length: the list really holds 274.
		const fake = server(all, 50, (_real, served, start) => (start === 1 ? 120 : served));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4 });
		expect((await client.listUsers()).map((u) => u.id)).toEqual(all.map((u) => u.id));
	});

	it('a short page in the middle leaves no gap: the next page starts where it ended', async () => {
		const fake = fakeHttp((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC);
			const start = Number(req.qs?.startIndex);
			const count = start === 51 ? 20 : Math.min(50, Number(req.qs?.count));
			return json(200, { totalResults: 274, Resources: all.slice(start - 1, start - 1 + count) });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4 });
		expect((await client.listUsers()).map((u) => u.id)).toEqual(all.map((u) => u.id));
	});

	it('an empty page followed by a full one in the same wave fails closed, naming both', async () => {
		const fake = fakeHttp((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC);
			const start = Number(req.qs?.startIndex);
			if (start === 101) return json(200, { totalResults: 50, Resources: [] });
			return json(200, { totalResults: 50, Resources: all.slice(start - 1, start - 1 + 50) });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, concurrency: 4, pageSize: 50 });
		const error = await client.listUsers().catch((e) => e);
		expect(error).toBeInstanceOf(PlekApiError);
		expect(error.message).toMatch(/empty page at startIndex 101 but resources at startIndex 151.*nothing was written/);
	});

	it('a search with a limit reads on past a lying total until the limit', async () => {
		const fake = server(all, 50, (_real, served) => served);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		expect((await client.searchUsers('userName sw "user"', 120)).map((u) => u.id)).toEqual(all.slice(0, 120).map((u) => u.id));
		expect(pages(fake).map((r) => r.qs?.count)).toEqual([120, 50, 20]);
		expect((await client.listGroupsUpTo(3)).length).toBe(3);
	});

	it('a lookup by a unique attribute is one GET', async () => {
		const fake = server(all, 50, (_real, served) => served);
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		expect((await client.findUserByExternalId('k1'))?.id).toBe('u1');
		expect(pages(fake)).toHaveLength(1);
	});
});
