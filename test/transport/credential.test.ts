import { PlekApi } from '../../credentials/PlekApi.credentials';

describe('plekApi credential', () => {
	const credential = new PlekApi();

	it('is the plekApi credential with light and dark icons', () => {
		expect(credential.name).toBe('plekApi');
		expect(credential.displayName).toBe('Plek API');
		expect(credential.icon).toEqual({ light: 'file:plek.svg', dark: 'file:plek.dark.svg' });
	});

	it('has an expirable hidden session token and password-typed secrets', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.sessionToken).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(byName.clientSecret.typeOptions?.password).toBe(true);
		expect(byName.accessToken.typeOptions?.password).toBe(true);
		expect(byName.scimBasePath.default).toBe('/scim/v2');
		expect(byName.tokenUrl.default).toBe('');
		expect((byName.authentication as any).options.map((o: any) => o.value)).toEqual(['clientCredentials', 'accessToken']);
		expect((byName.clientAuthentication as any).options.map((o: any) => o.value)).toEqual(['body', 'basic']);
	});

	it('preAuthentication fetches a client-credentials token through this.helpers.httpRequest', async () => {
		const calls: any[] = [];
		const helpers = {
			httpRequest: async (options: any) => {
				calls.push(options);
				return { statusCode: 200, body: { access_token: 'tok-1', expires_in: 60 }, headers: {} };
			},
		};
		const output = await credential.preAuthentication.call({ helpers } as any, {
			environmentUrl: 'https://acme.plek.co',
			authentication: 'clientCredentials',
			clientId: 'c',
			clientSecret: 's',
			clientAuthentication: 'body',
			scimBasePath: '/scim/v2',
		});
		expect(output).toEqual({ sessionToken: 'tok-1' });
		expect(calls[0]).toMatchObject({
			method: 'POST',
			url: 'https://acme.plek.co/oauth/token',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	});

	it('preAuthentication gives the credential-test messages for wrong secret, wrong URL and unreachable host', async () => {
		const answers: Array<() => Promise<unknown>> = [
			async () => ({ statusCode: 401, body: { error: 'invalid_client' } }),
			async () => ({ statusCode: 404, body: 'Not Found' }),
			async () => {
				throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
			},
		];
		const messages: string[] = [];
		for (const answer of answers) {
			const error = await credential.preAuthentication
				.call({ helpers: { httpRequest: answer } } as any, {
					environmentUrl: 'http://127.0.0.1:9',
					authentication: 'clientCredentials',
					clientId: 'c',
					clientSecret: 'sec-ret-1234',
				})
				.catch((e: Error) => e);
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).not.toContain('sec-ret-1234');
			messages.push((error as Error).message);
		}
		expect(messages[0]).toMatch(/rejected the Client ID or Client Secret/);
		expect(messages[1]).toMatch(/no OAuth token endpoint at http:\/\/127\.0\.0\.1:9\/oauth\/token/);
		expect(messages[2]).toMatch(/nothing accepts connections at 127\.0\.0\.1:9/);
	});

	it('authenticate sends a bearer header (session token, or the static access token)', () => {
		const header = (credential.authenticate as any).properties.headers.Authorization as string;
		expect(header.startsWith('=')).toBe(true);
		// Evaluate the expression the way n8n would, with $credentials in scope.
		const expression = header.slice(1).replace(/^\{\{|\}\}$/g, '');
		const evaluate = (creds: Record<string, unknown>) => new Function('$credentials', `return ${expression}`)(creds);
		expect(evaluate({ authentication: 'clientCredentials', sessionToken: 's1', accessToken: '' })).toBe('Bearer s1');
		expect(evaluate({ authentication: 'accessToken', sessionToken: 'old', accessToken: 'static' })).toBe('Bearer static');
	});

	it('the test request is one cheap SCIM call under the configured base path, with messages for 401/403/404', () => {
		const request = credential.test.request as any;
		const evaluate = (template: string, creds: Record<string, unknown>) =>
			new Function('$credentials', `return ${template.slice(1).replace(/^\{\{|\}\}$/g, '')}`)(creds);
		const creds = { environmentUrl: 'https://acme.plek.co/ ', scimBasePath: '/api/scim/v2/' };
		expect(evaluate(request.baseURL, creds) + evaluate(request.url, creds)).toBe('https://acme.plek.co/api/scim/v2/Users');
		expect(evaluate(request.url, { scimBasePath: '' })).toBe('/scim/v2/Users');
		expect(request.qs).toEqual({ count: 1, attributes: 'id' });
		const rules = (credential.test.rules ?? []) as any[];
		expect(rules.map((r) => r.properties.value)).toEqual([401, 403, 404]);
		expect(new Set(rules.map((r) => r.properties.message)).size).toBe(3);
	});
});
