/** No secret (client secret, access token) may appear in any error a node could show or log. */
import nock from 'nock';
import type { INode } from 'n8n-workflow';

import { PlekApiError, addSecret, plekErrorFromResponse, redact, toNodeApiError } from '../../transport/errors';
import { PlekScimClient } from '../../transport/client';
import { createStandalonePlekHttp } from '../support/standaloneHttp';
import { CLIENT_SECRET, ENV, SCIM, fakeHttp, json } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const node: INode = { id: '1', name: 'Plek', type: 'n8n-nodes-plek.plek', typeVersion: 1, position: [0, 0], parameters: {} };
const ACCESS_TOKEN = 'eyJhbGciOi.SECRET-ACCESS-TOKEN.sig';

function everything(error: any): string {
	const nodeError = toNodeApiError(node, error, 0);
	return [
		error?.message,
		error?.detail,
		error?.hint,
		JSON.stringify(error),
		String(error?.stack),
		nodeError.message,
		nodeError.description,
		JSON.stringify(nodeError),
		JSON.stringify((nodeError as any).errorResponse),
		String(nodeError.stack),
	].join('\n');
}

function expectClean(error: unknown) {
	const text = everything(error);
	expect(text).not.toContain(CLIENT_SECRET);
	expect(text).not.toContain(ACCESS_TOKEN);
	expect(text).not.toContain('SECRET-ACCESS-TOKEN');
}

describe('no secret in any error', () => {
	it('token endpoint failure whose body echoes the request', async () => {
		nock(ENV)
			.post('/oauth/token')
			.reply(401, {
				error: 'invalid_client',
				error_description: `client_secret=${CLIENT_SECRET} is wrong`,
				echo: `grant_type=client_credentials&client_id=c&client_secret=${CLIENT_SECRET}`,
			});
		const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'c', clientSecret: CLIENT_SECRET });
		const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl });
		const error = await client.getUser('a').catch((e) => e);
		expect(error.message).toMatch(/Client Secret/);
		expectClean(error);
	});

	it('a 401 from SCIM whose body echoes the Authorization header', async () => {
		nock(ENV).post('/oauth/token').twice().reply(200, { access_token: ACCESS_TOKEN });
		nock(ENV)
			.get('/scim/v2/Users/a')
			.twice()
			.reply(401, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: `bad token: Authorization: Bearer ${ACCESS_TOKEN}` });
		const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'c', clientSecret: CLIENT_SECRET });
		// No `secrets` option: redaction must work from patterns alone.
		const client = new PlekScimClient(http, { scimBaseUrl: http.scimBaseUrl });
		const error = await client.getUser('a').catch((e) => e);
		expect(error).toBeInstanceOf(PlekApiError);
		expect(error.status).toBe(401);
		expect(error.detail).toContain('[redacted]');
		expectClean(error);
	});

	it('a 500 whose body echoes request headers and the form body (JSON and text shapes)', async () => {
		const bodies = [
			{ detail: JSON.stringify({ headers: { authorization: `Bearer ${ACCESS_TOKEN}` }, form: `client_secret=${CLIENT_SECRET}` }) },
			`Internal error. headers={"Authorization":"Bearer ${ACCESS_TOKEN}"} body=client_id=x&client_secret=${CLIENT_SECRET}`,
			{ message: `upstream said access_token: ${ACCESS_TOKEN}, clientSecret="${CLIENT_SECRET}"` },
		];
		for (const body of bodies) {
			const fake = fakeHttp(() => json(500, body));
			const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, maxAttempts: 2, sleep: async () => {} });
			const error = await client.listUsersPage(1, 10).catch((e) => e);
			expect(error.status).toBe(500);
			expect(error.attempts).toBe(2);
			expectClean(error);
		}
	});

	it('known secret values are redacted even without a recognisable pattern', () => {
		const error = plekErrorFromResponse('GET', `${SCIM}/Users`, 400, { detail: `weird ${CLIENT_SECRET} echo` }, { secrets: [CLIENT_SECRET] });
		expect(error.detail).toBe('weird [redacted] echo');
		expectClean(error);
	});

	it('toNodeApiError redacts raw errors and re-wraps NodeApiErrors', () => {
		const raw = new Error(`failed with Authorization: Bearer ${ACCESS_TOKEN}`);
		const converted = toNodeApiError(node, raw);
		expect(converted.message).toMatch(/^failed with Authorization: .*\[redacted\]/);
		expectClean(converted);
		const twice = toNodeApiError(node, converted, 1, [CLIENT_SECRET]);
		expect(JSON.stringify(twice)).not.toContain(ACCESS_TOKEN);
	});

	it('redact() covers form, JSON, header and query shapes', () => {
		const text = `client_secret=${CLIENT_SECRET}&access_token=${ACCESS_TOKEN} {"refresh_token": "r-123456"} Authorization: Basic dXNlcjpwYXNz ?token=abcdef`;
		const out = redact(text);
		expect(out).not.toContain(CLIENT_SECRET);
		expect(out).not.toContain(ACCESS_TOKEN);
		expect(out).not.toContain('r-123456');
		expect(out).not.toContain('dXNlcjpwYXNz');
		expect(out).not.toContain('abcdef');
	});
});

describe('toNodeApiError', () => {
	it('carries httpCode, a message saying what went wrong and a description saying what to do', () => {
		const error = plekErrorFromResponse('POST', `${SCIM}/Users?x=1`, 409, {
			schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
			scimType: 'uniqueness',
			detail: 'userName "jane" already exists',
		});
		const nodeError = toNodeApiError(node, error, 3);
		expect(nodeError.httpCode).toBe('409');
		expect(nodeError.message).toBe('Plek reports a uniqueness conflict for POST /scim/v2/Users (409 uniqueness): userName "jane" already exists');
		expect(nodeError.description).toMatch(/Another Plek account already uses/);
		expect(nodeError.context.itemIndex).toBe(3);
	});

	it.each([
		[401, /credentials/, /Client ID and Client Secret/],
		[403, /not allowed/, /lacks permission/],
		[404, /no resource/, /Environment URL and the SCIM Base Path/],
		[429, /rate-limiting/, /Lower Requests per Second/],
		[500, /server error/, /try again later/],
	])('status %s', (status, message, description) => {
		const nodeError = toNodeApiError(node, plekErrorFromResponse('GET', `${SCIM}/Users`, status, {}, { attempts: 5 }));
		expect(nodeError.httpCode).toBe(String(status));
		expect(nodeError.message).toMatch(message);
		expect(nodeError.description).toMatch(description);
	});

	it('keeps a network error message readable (n8n would replace a message containing a raw error code)', async () => {
		const fake = fakeHttp(() => {
			throw Object.assign(new Error('getaddrinfo ENOTFOUND acme.plek.test'), { code: 'ENOTFOUND' });
		});
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM, sleep: async () => {} });
		const error = await client.getUser('a').catch((e) => e);
		expect(fake.requests).toHaveLength(1); // DNS failure is not retried
		const nodeError = toNodeApiError(node, error);
		expect(nodeError.message).toBe('Could not reach Plek for GET /scim/v2/Users/a (DNS lookup failed)');
		expect(nodeError.description).toMatch(/check the Environment URL/);
	});
});

describe('redact', () => {
	it('leaves clean redaction text where a secret sat inside a key=value or JSON pair', () => {
		const text = `{"access_token":"${ACCESS_TOKEN}","client_secret":"${CLIENT_SECRET}"} token=${ACCESS_TOKEN}&x=1 Bearer ${ACCESS_TOKEN}`;
		const out = redact(text, [ACCESS_TOKEN, CLIENT_SECRET]);
		expect(out).toBe('{"access_token":"[redacted]","client_secret":"[redacted]"} token=[redacted]&x=1 Bearer [redacted]');
	});

	it('removes a secret that contains another one whole (longest first)', () => {
		const outer = `${CLIENT_SECRET}-and-more`;
		expect(redact(`value ${outer} end`, [CLIENT_SECRET, outer])).toBe('value [redacted] end');
	});

	it('addSecret keeps a live list: a token added after the list was handed out is redacted from then on', () => {
		const secrets: string[] = [CLIENT_SECRET];
		const later = 'tok-obtained-later-77';
		expect(redact(`echo ${later}`, secrets)).toContain(later);
		addSecret(secrets, later);
		addSecret(secrets, later);
		addSecret(secrets, 'abc');
		expect(secrets).toEqual([CLIENT_SECRET, later]);
		expect(redact(`echo ${later}`, secrets)).toBe('echo [redacted]');
	});
});
