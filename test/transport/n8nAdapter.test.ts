/**
 * The n8n adapter against n8n-core's real httpRequestWithAuthentication (the function n8n binds to
 * `this.helpers.httpRequestWithAuthentication`), with a credentials helper that runs the plekApi credential's own
 * preAuthentication the way n8n's CredentialsHelper does (only when the expirable token is empty or expired).
 */
import nock from 'nock';
import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { PlekScimClient } from '../../transport/client';
import { PlekNetworkError, createN8nPlekHttp } from '../../transport/http';
import type { N8nHttpContext } from '../../transport/http';
import { n8nCoreAuth } from '../support/n8nCoreAuth';
import { CLIENT_SECRET, ENV, SCIM } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const node: INode = { id: '1', name: 'Plek', type: 'n8n-nodes-plek.plek', typeVersion: 1, position: [0, 0], parameters: {} };

function n8nContext(credentialData: Record<string, unknown>) {
	const { ctx, stats, stored } = n8nCoreAuth(credentialData, node);
	return { ctx: ctx as N8nHttpContext, stats, credentials: stored };
}

const baseCredentials = { environmentUrl: ENV, authentication: 'clientCredentials', clientId: 'client-1', clientSecret: CLIENT_SECRET };

describe('createN8nPlekHttp with n8n-core', () => {
	it('returns non-2xx statuses as responses (no throw), with lower-case headers', async () => {
		nock(ENV).post('/oauth/token').reply(200, { access_token: 'tok-1' });
		nock(ENV).get('/scim/v2/Users/x').reply(404, { detail: 'no such user' }, { 'X-Thing': 'y' });
		const { ctx } = n8nContext(baseCredentials);
		const response = await createN8nPlekHttp(ctx).request({ method: 'GET', url: `${SCIM}/Users/x` });
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ detail: 'no such user' });
		expect(response.headers['x-thing']).toBe('y');
	});

	it('a 401 with an expired token makes n8n refresh exactly once and retry; the caller sees the 200', async () => {
		nock(ENV)
			.post('/oauth/token')
			.reply(200, { access_token: 'tok-new' });
		nock(ENV)
			.get('/scim/v2/Users/a')
			.matchHeader('authorization', 'Bearer tok-stale')
			.reply(401, {})
			.get('/scim/v2/Users/a')
			.matchHeader('authorization', 'Bearer tok-new')
			.reply(200, { id: 'a', userName: 'a' });
		const { ctx, stats, credentials } = n8nContext({ ...baseCredentials, sessionToken: 'tok-stale' });
		const client = new PlekScimClient(createN8nPlekHttp(ctx), { scimBaseUrl: SCIM });
		expect((await client.getUser('a'))?.id).toBe('a');
		expect(stats.preAuthentications).toBe(1);
		expect(credentials.sessionToken).toBe('tok-new');
		expect(client.requestCount()).toBe(1);
		expect(nock.isDone()).toBe(true);
	});

	it('a persistent 401 refreshes once and comes back as a 401 response (PlekApiError 401 from the client)', async () => {
		nock(ENV).post('/oauth/token').times(5).reply(200, { access_token: 'tok-new' });
		let scimCalls = 0;
		nock(ENV)
			.get('/scim/v2/Users/a')
			.times(5)
			.reply(() => {
				scimCalls++;
				return [401, { detail: 'nope' }];
			});
		const { ctx, stats } = n8nContext({ ...baseCredentials, sessionToken: 'tok-stale' });
		const client = new PlekScimClient(createN8nPlekHttp(ctx), { scimBaseUrl: SCIM });
		const error = await client.getUser('a').catch((e) => e);
		expect(error.status).toBe(401);
		expect(stats.preAuthentications).toBe(1);
		expect(scimCalls).toBe(2);
	});

	it('network errors throw a PlekNetworkError with the code and without the Authorization header', async () => {
		nock(ENV)
			.get('/scim/v2/Users/a')
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }));
		const { ctx } = n8nContext({ ...baseCredentials, sessionToken: 'tok-SECRET-123' });
		const error = await createN8nPlekHttp(ctx)
			.request({ method: 'GET', url: `${SCIM}/Users/a` })
			.catch((e) => e);
		expect(error).toBeInstanceOf(PlekNetworkError);
		expect(error.code).toBe('ECONNREFUSED');
		expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain('tok-SECRET-123');
	});

	it('a wrong client secret reaches the node as the credential message (no refresh loop)', async () => {
		nock(ENV).post('/oauth/token').reply(401, { error: 'invalid_client' });
		const { ctx, stats } = n8nContext(baseCredentials);
		const client = new PlekScimClient(createN8nPlekHttp(ctx), { scimBaseUrl: SCIM });
		const error = await client.getUser('a').catch((e) => e);
		expect(error.message).toMatch(/rejected the Client ID or Client Secret/);
		expect(stats.preAuthentications).toBe(1);
		expect(JSON.stringify(error) + error.message).not.toContain(CLIENT_SECRET);
	});

	it('sends SCIM JSON bodies, query strings and extra headers', async () => {
		let seen: any;
		nock(ENV).post('/oauth/token').reply(200, { access_token: 'tok-1' });
		nock(ENV)
			.patch('/scim/v2/Users/a', (body) => {
				seen = body;
				return true;
			})
			.query({ attributes: 'id' })
			.matchHeader('if-match', 'W/"1"')
			.matchHeader('content-type', /application\/scim\+json/)
			.reply(200, { id: 'a', userName: 'a' });
		const { ctx } = n8nContext(baseCredentials);
		const response = await createN8nPlekHttp(ctx).request({
			method: 'PATCH',
			url: `${SCIM}/Users/a`,
			qs: { attributes: 'id', unused: undefined },
			body: { Operations: [] },
			headers: { 'If-Match': 'W/"1"' },
		});
		expect(response.status).toBe(200);
		expect(seen).toEqual({ Operations: [] });
	});
});

describe('createN8nPlekHttp with an n8n that ignores `except` (older versions)', () => {
	it('re-issues a 401 once without ignoreHttpStatusErrors so that n8n refreshes', async () => {
		const calls: any[] = [];
		let token = 'stale';
		let refreshes = 0;
		const ctx: N8nHttpContext = {
			helpers: {
				async httpRequestWithAuthentication(_type: string, options: any) {
					calls.push({ ignore: options.ignoreHttpStatusErrors });
					const attempt = () => {
						const status = token === 'fresh' ? 200 : 401;
						// Old n8n: any truthy ignoreHttpStatusErrors means "never throw".
						if (status === 401 && !options.ignoreHttpStatusErrors) {
							const cause = Object.assign(new Error('Request failed with status code 401'), {
								response: { status: 401, headers: {}, data: {} },
								config: { headers: { Authorization: `Bearer ${token}` } },
							});
							throw new NodeApiError(node, cause as any);
						}
						return { statusCode: status, headers: {}, body: status === 200 ? { id: 'a' } : {} };
					};
					try {
						return attempt();
					} catch {
						refreshes++;
						token = 'fresh';
						return attempt();
					}
				},
			},
		};
		const response = await createN8nPlekHttp(ctx).request({ method: 'GET', url: `${SCIM}/Users/a` });
		expect(response.status).toBe(200);
		expect(refreshes).toBe(1);
		expect(calls).toEqual([{ ignore: { ignore: true, except: [401] } }, { ignore: false }]);
	});

	it('unpacks the response of a thrown 5xx on the re-issue', async () => {
		const ctx: N8nHttpContext = {
			helpers: {
				async httpRequestWithAuthentication(_type: string, options: any) {
					if (options.ignoreHttpStatusErrors) return { statusCode: 401, headers: {}, body: {} };
					const cause = Object.assign(new Error('fail'), { response: { status: 503, headers: { 'Retry-After': '3' }, data: { detail: 'busy' } } });
					throw new NodeApiError(node, cause as any);
				},
			},
		};
		const response = await createN8nPlekHttp(ctx).request({ method: 'GET', url: `${SCIM}/Users/a` });
		expect(response).toEqual({ status: 503, headers: { 'retry-after': '3' }, body: { detail: 'busy' } });
	});
});
