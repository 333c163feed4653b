import nock from 'nock';
import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import {
	PlekAuthError,
	assertPlekUrl,
	isLoopbackHost,
	plekPreAuthentication,
	requestClientCredentialsToken,
	resolvePlekEndpoints,
} from '../../transport/auth';
import type { TokenHttp } from '../../transport/auth';
import { PlekScimClient } from '../../transport/client';
import { createStandalonePlekHttp } from '../support/standaloneHttp';
import { CLIENT_SECRET, ENV, fakeTime } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const node: INode = {
	id: '1',
	name: 'Plek',
	type: 'n8n-nodes-plek.plek',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('resolvePlekEndpoints', () => {
	it('derives the token URL and SCIM base from the environment URL', () => {
		expect(resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co/' })).toEqual({
			environmentUrl: 'https://acme.plek.co',
			tokenUrl: 'https://acme.plek.co/oauth/token',
			scimBaseUrl: 'https://acme.plek.co/scim/v2',
		});
	});
	it('honours a custom token URL (absolute or relative) and SCIM base path', () => {
		expect(
			resolvePlekEndpoints({
				environmentUrl: ' https://acme.plek.co ',
				tokenUrl: 'https://login.plek.co/oauth2/token',
				scimBasePath: 'api/scim/v2/',
				allowOtherHosts: true,
			}),
		).toEqual({
			environmentUrl: 'https://acme.plek.co',
			tokenUrl: 'https://login.plek.co/oauth2/token',
			scimBaseUrl: 'https://acme.plek.co/api/scim/v2',
		});
		expect(resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co', tokenUrl: '/auth/token' }).tokenUrl).toBe(
			'https://acme.plek.co/auth/token',
		);
	});
	it('allows plain http only to loopback hosts', () => {
		for (const url of ['http://127.0.0.1:8080', 'http://127.9.9.9', 'http://[::1]:4000']) {
			expect(() => resolvePlekEndpoints({ environmentUrl: url })).not.toThrow();
		}
		// Names are not loopback: `localhost` and `*.localhost` resolve wherever the resolver says.
		for (const url of ['http://acme.plek.co', 'http://10.0.0.5', 'http://128.0.0.1', 'http://localhost.evil.com', 'http://127.0.0.1.nip.io', 'http://evil.localhost', 'http://localhost:3000']) {
			const error = (() => {
				try {
					resolvePlekEndpoints({ environmentUrl: url });
				} catch (e) {
					return e as PlekAuthError;
				}
				return undefined;
			})();
			expect(error).toBeInstanceOf(PlekAuthError);
			expect(error?.reason).toBe('insecure_url');
			expect(error?.message).toMatch(/only sent over https:\/\//);
		}
	});
	it('keeps the token URL and SCIM base on the Environment URL host unless another host is allowed', () => {
		for (const credentials of [
			{ environmentUrl: 'https://acme.plek.co', tokenUrl: 'https://evil.example.com/token' },
			{ environmentUrl: 'https://acme.plek.co', scimBasePath: 'https://evil.example.com/scim/v2' },
			{ environmentUrl: 'https://acme.plek.co', tokenUrl: 'https://acme.plek.co.evil.com/token' },
		]) {
			let error: PlekAuthError | undefined;
			try {
				resolvePlekEndpoints(credentials);
			} catch (e) {
				error = e as PlekAuthError;
			}
			expect(error?.reason).toBe('other_host');
			expect(error?.message).toMatch(/only sent to the Plek environment's own host.*Allow Token URL and SCIM Base on Another Host/);
			expect(() => resolvePlekEndpoints({ ...credentials, allowOtherHosts: true })).not.toThrow();
		}
		expect(resolvePlekEndpoints({ environmentUrl: 'https://ACME.plek.co', tokenUrl: 'https://acme.plek.co:8443/t' }).tokenUrl).toBe(
			'https://acme.plek.co:8443/t',
		);
	});
	it('recognises an Environment URL that already ends in the SCIM path and explains it', () => {
		for (const environmentUrl of ['https://acme.plek.co/scim/v2', 'https://acme.plek.co/scim/v2/', 'https://acme.plek.co/SCIM']) {
			expect(() => resolvePlekEndpoints({ environmentUrl })).toThrow(/Environment URL ends in the SCIM path.*e\.g\. https:\/\/acme\.plek\.co:/);
		}
		expect(() => resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co/api/v1', scimBasePath: '/api/v1' })).toThrow(/ends in the SCIM path/);
		expect(resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co/tenant-7' }).scimBaseUrl).toBe('https://acme.plek.co/tenant-7/scim/v2');
	});
	it('applies the http rule to the token URL and SCIM base too', () => {
		expect(() => resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co', tokenUrl: 'http://idp.example.com/token', allowOtherHosts: true })).toThrow(
			/Token URL uses plain http/,
		);
		expect(() =>
			resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co', scimBasePath: 'http://scim.example.com/v2', allowOtherHosts: true }),
		).toThrow(/SCIM Base Path uses plain http/);
	});
	it('rejects missing, malformed and credential-bearing URLs with clear messages', () => {
		expect(() => resolvePlekEndpoints({ environmentUrl: '' })).toThrow(/Set the Environment URL/);
		expect(() => resolvePlekEndpoints({ environmentUrl: 'acme.plek.co' })).toThrow(/not a valid URL/);
		expect(() => resolvePlekEndpoints({ environmentUrl: 'ftp://acme.plek.co' })).toThrow(/must start with https/);
		expect(() => resolvePlekEndpoints({ environmentUrl: 'https://user:pw@acme.plek.co' })).toThrow(/must not contain a user name/);
		expect(() => resolvePlekEndpoints({ environmentUrl: 'https://acme.plek.co?x=1' })).toThrow(/query string/);
	});
	it('isLoopbackHost / assertPlekUrl', () => {
		expect(isLoopbackHost('LOCALHOST')).toBe(false);
		expect(isLoopbackHost('evil.localhost')).toBe(false);
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('[::1]')).toBe(true);
		expect(isLoopbackHost('127.0.0.256')).toBe(false);
		expect(assertPlekUrl('https://a.b/c', 'X').host).toBe('a.b');
	});
});

function tokenHttp(answer: { status: number; body: unknown } | Error) {
	const calls: Array<Parameters<TokenHttp>[0]> = [];
	const http: TokenHttp = async (req) => {
		calls.push(req);
		if (answer instanceof Error) throw answer;
		return answer;
	};
	return { http, calls };
}

const tokenOptions = { tokenUrl: 'https://acme.plek.co/oauth/token', clientId: 'client-1', clientSecret: CLIENT_SECRET };

describe('requestClientCredentialsToken', () => {
	it('posts a client_credentials form with the secret in the body', async () => {
		const { http, calls } = tokenHttp({ status: 200, body: { access_token: 'tok', expires_in: 300, token_type: 'Bearer' } });
		expect(await requestClientCredentialsToken(http, { ...tokenOptions, scope: 'scim' })).toEqual({ accessToken: 'tok', expiresIn: 300 });
		expect(calls[0].headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(new URLSearchParams(calls[0].body).get('grant_type')).toBe('client_credentials');
		expect(new URLSearchParams(calls[0].body).get('client_secret')).toBe(CLIENT_SECRET);
		expect(new URLSearchParams(calls[0].body).get('scope')).toBe('scim');
		expect(calls[0].headers.Authorization).toBeUndefined();
	});
	it('can authenticate with HTTP Basic instead', async () => {
		const { http, calls } = tokenHttp({ status: 200, body: JSON.stringify({ access_token: 'tok' }) });
		await requestClientCredentialsToken(http, { ...tokenOptions, clientAuthentication: 'basic' });
		expect(calls[0].headers.Authorization).toBe(`Basic ${Buffer.from(`client-1:${CLIENT_SECRET}`).toString('base64')}`);
		expect(new URLSearchParams(calls[0].body).get('client_secret')).toBeNull();
	});

	const cases: Array<[string, { status: number; body: unknown } | Error, string, RegExp]> = [
		['wrong secret (401 invalid_client)', { status: 401, body: { error: 'invalid_client' } }, 'invalid_client', /rejected the Client ID or Client Secret/],
		['wrong secret (400 invalid_client)', { status: 400, body: { error: 'invalid_client' } }, 'invalid_client', /rejected the Client ID or Client Secret/],
		['wrong URL (404 at the token endpoint)', { status: 404, body: '<html>Not found</html>' }, 'token_endpoint_not_found', /no OAuth token endpoint at https:\/\/acme\.plek\.co\/oauth\/token \(HTTP 404\)\. Check the Environment URL/],
		['unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND acme.plek.co'), { code: 'ENOTFOUND' }), 'unreachable', /host name acme\.plek\.co does not resolve \(DNS lookup failed\)/],
		['refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'unreachable', /nothing accepts connections at acme\.plek\.co \(connection refused\)/],
		['200 without a token', { status: 200, body: '<html>login</html>' }, 'no_token', /did not return an OAuth2 access token/],
		['bad scope', { status: 400, body: { error: 'invalid_scope' } }, 'invalid_scope', /Scope/],
		['server error', { status: 503, body: {} }, 'token_endpoint_error', /HTTP 503.*try again later/],
		// The credential tester shows this message as is (nothing redacts it there): an echo in `error` stays out.
		['secret echoed in the error field', { status: 401, body: { error: `client_secret ${CLIENT_SECRET} is wrong` } }, 'invalid_client', /^Plek rejected the Client ID or Client Secret \(HTTP 401 from /],
		['secret echoed as a 500 error field', { status: 500, body: { error: CLIENT_SECRET } }, 'token_endpoint_error', /^The token endpoint \S+ answered HTTP 500\. /],
	];
	it.each(cases)('%s gets its own message, without the secret', async (_name, answer, reason, message) => {
		const { http } = tokenHttp(answer);
		const error = await requestClientCredentialsToken(http, tokenOptions).catch((e) => e);
		expect(error).toBeInstanceOf(PlekAuthError);
		expect(error.reason).toBe(reason);
		expect(error.message).toMatch(message);
		expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(CLIENT_SECRET);
	});

	it('the three credential-test failures are distinct and survive n8n wrapping them in NodeApiError', async () => {
		const messages: string[] = [];
		for (const answer of [
			{ status: 401, body: { error: 'invalid_client' } },
			{ status: 404, body: '' },
			Object.assign(new Error('getaddrinfo ENOTFOUND nope.plek.co'), { code: 'ENOTFOUND' }),
		]) {
			const error = await requestClientCredentialsToken(tokenHttp(answer).http, tokenOptions).catch((e) => e);
			// n8n's httpRequestWithAuthentication wraps preAuthentication failures like this; the credential tester
			// then shows error.message (it would show a bare code if the cause had `code` or `response`).
			const wrapped = new NodeApiError(node, error);
			expect(wrapped.message).toBe(error.message);
			expect((wrapped.cause as any)?.code).toBeUndefined();
			expect((wrapped.cause as any)?.response).toBeUndefined();
			messages.push(wrapped.message);
		}
		expect(new Set(messages).size).toBe(3);
		expect(messages[0]).toMatch(/Client Secret/);
		expect(messages[1]).toMatch(/Environment URL/);
		expect(messages[2]).toMatch(/does not resolve/);
	});
});

describe('requestClientCredentialsToken: passing faults at the token endpoint', () => {
	const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
	function sequence(answers: Array<{ status: number; body: unknown } | Error>) {
		const calls: Array<Parameters<TokenHttp>[0]> = [];
		const http: TokenHttp = async (req) => {
			calls.push(req);
			const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
			if (answer instanceof Error) throw answer;
			return answer;
		};
		return { http, calls };
	}
	const fast = { ...tokenOptions, retryPausesMs: [0, 0] };

	it('a connection closed mid-request is asked again, and the token of the second answer is used', async () => {
		const { http, calls } = sequence([reset(), { status: 200, body: { access_token: 'second' } }]);
		expect((await requestClientCredentialsToken(http, fast)).accessToken).toBe('second');
		expect(calls).toHaveLength(2);
	});
	it('429 and 503 are asked again up to three requests in all', async () => {
		const { http, calls } = sequence([{ status: 429, body: {} }, { status: 503, body: {} }, { status: 200, body: { access_token: 'third' } }]);
		expect((await requestClientCredentialsToken(http, fast)).accessToken).toBe('third');
		expect(calls).toHaveLength(3);
	});
	it('a fault that does not pass ends after three requests with the endpoint error', async () => {
		const { http, calls } = sequence([{ status: 503, body: {} }]);
		const error = await requestClientCredentialsToken(http, fast).catch((e) => e);
		expect(error).toBeInstanceOf(PlekAuthError);
		expect(error.reason).toBe('token_endpoint_error');
		expect(calls).toHaveLength(3);
	});
	it.each([
		['a wrong secret', { status: 401, body: { error: 'invalid_client' } }],
		['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
		['an unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND acme.plek.co'), { code: 'ENOTFOUND' })],
	])('%s is answered after one request (the credential Test says so at once)', async (_name, answer) => {
		const { http, calls } = sequence([answer, { status: 200, body: { access_token: 'never' } }]);
		await expect(requestClientCredentialsToken(http, fast)).rejects.toBeInstanceOf(PlekAuthError);
		expect(calls).toHaveLength(1);
	});
});

describe('plekPreAuthentication', () => {
	it('returns a fresh token as sessionToken in client-credentials mode', async () => {
		const { http, calls } = tokenHttp({ status: 200, body: { access_token: 'fresh' } });
		expect(
			await plekPreAuthentication(http, { environmentUrl: 'https://acme.plek.co', clientId: 'c', clientSecret: 's3cr3t!' }),
		).toEqual({ sessionToken: 'fresh' });
		expect(calls[0].url).toBe('https://acme.plek.co/oauth/token');
	});
	it('returns the static token in access-token mode without a request', async () => {
		const { http, calls } = tokenHttp(new Error('must not be called'));
		expect(
			await plekPreAuthentication(http, { environmentUrl: 'https://acme.plek.co', authentication: 'accessToken', accessToken: ' st ' }),
		).toEqual({ sessionToken: 'st' });
		expect(calls).toHaveLength(0);
	});
	it('refuses plain http to a non-loopback host before sending the secret', async () => {
		const { http, calls } = tokenHttp({ status: 200, body: { access_token: 'x' } });
		await expect(
			plekPreAuthentication(http, { environmentUrl: 'http://acme.plek.co', clientId: 'c', clientSecret: 's' }),
		).rejects.toThrow(/only sent over https/);
		expect(calls).toHaveLength(0);
	});
});

describe('standalone http: token cache and 401 refresh', () => {
	it('caches the token, and on a 401 refreshes exactly once and retries', async () => {
		const tokenBodies: string[] = [];
		nock(ENV)
			.post('/oauth/token', (body) => {
				tokenBodies.push(JSON.stringify(body));
				return true;
			})
			.reply(200, { access_token: 'tok-1', expires_in: 3600 })
			.post('/oauth/token')
			.reply(200, { access_token: 'tok-2', expires_in: 3600 });
		nock(ENV)
			.get('/scim/v2/Users/a')
			.matchHeader('authorization', 'Bearer tok-1')
			.reply(200, { id: 'a', userName: 'a' })
			.get('/scim/v2/Users/b')
			.matchHeader('authorization', 'Bearer tok-1')
			.reply(401, { detail: 'token revoked' })
			.get('/scim/v2/Users/b')
			.matchHeader('authorization', 'Bearer tok-2')
			.reply(200, { id: 'b', userName: 'b' });
		const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'client-1', clientSecret: CLIENT_SECRET });
		const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl });
		expect((await client.getUser('a'))?.id).toBe('a');
		expect((await client.getUser('b'))?.id).toBe('b');
		expect(http.tokenRequests()).toBe(2);
		expect(nock.isDone()).toBe(true);
	});

	it('a persistent 401 refreshes once, then surfaces a 401 PlekApiError (no loop)', async () => {
		nock(ENV).post('/oauth/token').times(2).reply(200, { access_token: 'tok-x', expires_in: 3600 });
		nock(ENV).get('/scim/v2/Users/a').times(2).reply(401, {});
		const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'client-1', clientSecret: CLIENT_SECRET });
		const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl, sleep: async () => {} });
		const error = await client.getUser('a').catch((e) => e);
		expect(error.status).toBe(401);
		expect(error.hint).toMatch(/Client ID and Client Secret/);
		expect(http.tokenRequests()).toBe(2);
		expect(nock.isDone()).toBe(true);
	});

	it('renews the token shortly before it expires', async () => {
		const time = fakeTime();
		nock(ENV)
			.post('/oauth/token')
			.reply(200, { access_token: 'tok-1', expires_in: 60 })
			.post('/oauth/token')
			.reply(200, { access_token: 'tok-2', expires_in: 60 });
		nock(ENV)
			.get('/scim/v2/Users/a')
			.matchHeader('authorization', 'Bearer tok-1')
			.twice()
			.reply(200, { id: 'a', userName: 'a' })
			.get('/scim/v2/Users/a')
			.matchHeader('authorization', 'Bearer tok-2')
			.reply(200, { id: 'a', userName: 'a' });
		const http = createStandalonePlekHttp({
			environmentUrl: ENV,
			clientId: 'client-1',
			clientSecret: CLIENT_SECRET,
			refreshMarginMs: 10_000,
			now: time.now,
		});
		await http.request({ method: 'GET', url: `${ENV}/scim/v2/Users/a` });
		await time.sleep(45_000);
		await http.request({ method: 'GET', url: `${ENV}/scim/v2/Users/a` });
		await time.sleep(10_000);
		await http.request({ method: 'GET', url: `${ENV}/scim/v2/Users/a` });
		expect(http.tokenRequests()).toBe(2);
		expect(nock.isDone()).toBe(true);
	});

	it('concurrent requests share one token request', async () => {
		nock(ENV).post('/oauth/token').once().reply(200, { access_token: 'tok-1', expires_in: 3600 });
		nock(ENV).get(/\/scim\/v2\/Users\/.*/).times(5).reply(200, { id: 'a', userName: 'a' });
		const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'client-1', clientSecret: CLIENT_SECRET });
		await Promise.all([1, 2, 3, 4, 5].map((i) => http.request({ method: 'GET', url: `${ENV}/scim/v2/Users/${i}` })));
		expect(http.tokenRequests()).toBe(1);
	});

	it('a wrong secret surfaces the credential message through the client', async () => {
		nock(ENV).post('/oauth/token').reply(401, { error: 'invalid_client' });
		const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'client-1', clientSecret: CLIENT_SECRET });
		const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl });
		const error = await client.getUser('a').catch((e) => e);
		expect(error).toBeInstanceOf(PlekAuthError);
		expect(error.message).toMatch(/rejected the Client ID or Client Secret/);
		expect(client.requestCount()).toBe(1);
	});
});

describe('a Token URL is never echoed whole in a credential error', () => {
	const base = { environmentUrl: 'https://acme.plek.co', authentication: 'clientCredentials', clientId: 'client-1', clientSecret: CLIENT_SECRET };

	it('a malformed Token URL holding the secret, or anything else pasted into it, is described, not repeated', async () => {
		for (const tokenUrl of [`https://acme.plek.co:port/${CLIENT_SECRET}`, 'https://acme.plek.co:99999/Pasted-Value-4711', 'https://[acme/Pasted-Value-4711']) {
			const { http, calls } = tokenHttp({ status: 200, body: { access_token: 'tok' } });
			const error = await plekPreAuthentication(http, { ...base, tokenUrl }).catch((e) => e);
			expect(error).toBeInstanceOf(PlekAuthError);
			expect(error.message).toMatch(/^The Token URL is not a valid URL \(\d+ characters; not shown/);
			expect(error.message).not.toContain(CLIENT_SECRET);
			expect(error.message).not.toContain('Pasted-Value-4711');
			expect(calls).toHaveLength(0);
		}
	});

	it('a query string or plain-http path of the Token URL stays out of every message', async () => {
		const tokenUrl = 'https://acme.plek.co/oauth/token?api_key=Pasted-Value-4711';
		for (const answer of [{ status: 404, body: '' }, { status: 401, body: { error: 'invalid_client' } }, { status: 500, body: '' }, { status: 200, body: {} }]) {
			const { http, calls } = tokenHttp(answer);
			const error = await plekPreAuthentication(http, { ...base, tokenUrl }).catch((e) => e);
			expect(calls[0].url).toBe(tokenUrl); // sent as configured
			expect(error.message).toContain('https://acme.plek.co/oauth/token');
			expect(error.message).not.toContain('Pasted-Value-4711');
		}
		const insecure = await plekPreAuthentication(tokenHttp({ status: 200, body: {} }).http, {
			...base,
			allowOtherHosts: true,
			tokenUrl: 'http://idp.example.com/Pasted-Value-4711/token',
		}).catch((e) => e);
		expect(insecure.message).toMatch(/Token URL uses plain http:\/\/ to idp\.example\.com\. .*Change it to https:\/\/idp\.example\.com/);
		expect(insecure.message).not.toContain('Pasted-Value-4711');
	});

	it('a token endpoint message that quotes the secret passes the redaction choke point', async () => {
		const { http } = tokenHttp({ status: 200, body: {} });
		const error = await plekPreAuthentication(http, { ...base, tokenUrl: `https://acme.plek.co/${CLIENT_SECRET}/token` }).catch((e) => e);
		expect(error.message).toMatch(/did not return an OAuth2 access token/);
		expect(error.message).toContain('[redacted]');
		expect(error.message).not.toContain(CLIENT_SECRET);
	});
});
