import axios from 'axios';

import { RunningSandbox, startSandbox } from '../../sandbox/server';
import { fetchToken } from './helpers';

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('sandbox OAuth2 token endpoint and SCIM authentication', () => {
	let sandbox: RunningSandbox;
	const http = axios.create({ validateStatus: () => true });

	beforeAll(async () => {
		sandbox = await startSandbox({ tokenTtlSeconds: 2, staticToken: 'fixed-token' });
	});
	afterAll(() => sandbox.close());

	it('issues a bearer token for the right client secret in the form body', async () => {
		const response = await http.post(
			sandbox.tokenUrl,
			form({ grant_type: 'client_credentials', client_id: 'sandbox', client_secret: 'sandbox-secret' }),
		);
		expect(response.status).toBe(200);
		expect(response.data).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 2 });
		expect(response.headers['cache-control']).toBe('no-store');
	});

	it('issues a token for client credentials sent with HTTP Basic', async () => {
		const response = await http.post(sandbox.tokenUrl, form({ grant_type: 'client_credentials' }), {
			auth: { username: 'sandbox', password: 'sandbox-secret' },
		});
		expect(response.status).toBe(200);
		const users = await http.get(`${sandbox.scimUrl}/Users`, {
			headers: { Authorization: `Bearer ${response.data.access_token}` },
		});
		expect(users.status).toBe(200);
	});

	it('refuses a wrong secret with 401 invalid_client, in the body and with Basic', async () => {
		const inBody = await http.post(
			sandbox.tokenUrl,
			form({ grant_type: 'client_credentials', client_id: 'sandbox', client_secret: 'wrong' }),
		);
		expect(inBody.status).toBe(401);
		expect(inBody.data.error).toBe('invalid_client');
		expect(inBody.data.access_token).toBeUndefined();

		const basic = await http.post(sandbox.tokenUrl, form({ grant_type: 'client_credentials' }), {
			auth: { username: 'sandbox', password: 'wrong' },
		});
		expect(basic.status).toBe(401);
		expect(basic.data.error).toBe('invalid_client');

		const wrongClient = await http.post(
			sandbox.tokenUrl,
			form({ grant_type: 'client_credentials', client_id: 'other', client_secret: 'sandbox-secret' }),
		);
		expect(wrongClient.status).toBe(401);
	});

	it('refuses other grant types with 400 unsupported_grant_type', async () => {
		const response = await http.post(
			sandbox.tokenUrl,
			form({ grant_type: 'password', client_id: 'sandbox', client_secret: 'sandbox-secret' }),
		);
		expect(response.status).toBe(400);
		expect(response.data.error).toBe('unsupported_grant_type');
	});

	it('answers SCIM requests without a valid token with a SCIM 401 and WWW-Authenticate', async () => {
		const missing = await http.get(`${sandbox.scimUrl}/Users`);
		expect(missing.status).toBe(401);
		expect(missing.data.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
		expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);

		const unknown = await http.get(`${sandbox.scimUrl}/Users`, { headers: { Authorization: 'Bearer not-a-token' } });
		expect(unknown.status).toBe(401);
		expect(unknown.headers['www-authenticate']).toContain('error="invalid_token"');
	});

	it('accepts the configured static token', async () => {
		const response = await http.get(`${sandbox.scimUrl}/Users`, { headers: { Authorization: 'Bearer fixed-token' } });
		expect(response.status).toBe(200);
	});

	it('expires tokens after tokenTtlSeconds', async () => {
		const token = await fetchToken(sandbox);
		const headers = { Authorization: `Bearer ${token}` };
		expect((await http.get(`${sandbox.scimUrl}/Users`, { headers })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 2100));
		const expired = await http.get(`${sandbox.scimUrl}/Users`, { headers });
		expect(expired.status).toBe(401);
		expect(expired.data.detail).toMatch(/expired/);
		expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
	});
});
