import { createPlekClient } from '../../transport';
import { PlekScimClient } from '../../transport/client';

function fakeContext(credentials: Record<string, unknown>, answer: (options: any) => unknown) {
	const calls: Array<{ type: string; options: any }> = [];
	const ctx = {
		getCredentials: async (type: string) => {
			expect(type).toBe('plekApi');
			return credentials as any;
		},
		helpers: {
			async httpRequestWithAuthentication(type: string, options: any) {
				calls.push({ type, options });
				return answer(options);
			},
		},
	};
	return { ctx, calls };
}

describe('createPlekClient', () => {
	it('builds a client on the credential SCIM base URL that sends through httpRequestWithAuthentication(plekApi)', async () => {
		const { ctx, calls } = fakeContext(
			{ environmentUrl: 'https://acme.plek.co/', scimBasePath: '/api/scim/v2', clientId: 'c', clientSecret: 'secret-value-1' },
			() => ({ statusCode: 200, headers: {}, body: { id: 'u1', userName: 'a' } }),
		);
		const client = await createPlekClient(ctx, { concurrency: 2 });
		expect(client).toBeInstanceOf(PlekScimClient);
		expect((await client.getUser('u 1'))?.id).toBe('u1');
		expect(calls).toHaveLength(1);
		expect(calls[0].type).toBe('plekApi');
		expect(calls[0].options).toMatchObject({
			method: 'GET',
			url: 'https://acme.plek.co/api/scim/v2/Users/u%201',
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		});
	});

	it('refuses plain http to a non-loopback environment before any request', async () => {
		const { ctx, calls } = fakeContext({ environmentUrl: 'http://acme.plek.co' }, () => ({}));
		await expect(createPlekClient(ctx)).rejects.toThrow(/only sent over https/);
		expect(calls).toHaveLength(0);
	});

	it('redacts the credential secrets from errors even when the server echoes them verbatim', async () => {
		const { ctx } = fakeContext(
			{ environmentUrl: 'https://acme.plek.co', clientSecret: 'secret-value-1', sessionToken: 'opaque9token' },
			() => ({ statusCode: 400, headers: {}, body: { detail: 'you sent secret-value-1 and opaque9token' } }),
		);
		const client = await createPlekClient(ctx);
		const error = await client.getUser('x').catch((e) => e);
		expect(error.status).toBe(400);
		expect(JSON.stringify(error)).not.toMatch(/secret-value-1|opaque9token/);
		expect(error.detail).toBe('you sent [redacted] and [redacted]');
	});
});
