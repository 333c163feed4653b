
import { pairedItemProblems } from '../support/nodeHarness';
import {
	BASE,
	CLIENT_SECRET,
	TOKEN,
	mockConfig,
	mockUserFilter,
	run,
	runError,
	scim,
	user,
	strictNock,
} from './helpers';

strictNock();

const LEAKY_DETAIL = `bad request; client_secret=${CLIENT_SECRET}; Authorization: Bearer ${TOKEN}; token ${TOKEN}`;

function everything(error: unknown): string {
	const record = error as Record<string, unknown>;
	return JSON.stringify({
		message: record.message,
		description: record.description,
		context: record.context,
		cause: record.cause,
		stack: record.stack,
		own: record,
	});
}

describe('continueOnFail', () => {
	const parameters = {
		resource: 'user',
		operation: 'deactivate',
		user: { __rl: true, mode: 'externalId', value: '={{ $json.key }}' },
	};
	const input = [{ key: 'E-404' }, { key: 'E-2' }];
	const evaluateExpression = (_: string, itemIndex: number) => input[itemIndex].key;

	it('turns a failing item into an error item and still runs the next item', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-404"', []);
		mockUserFilter('externalId eq "E-2"', [user('u2', { externalId: 'E-2' })]);
		scim().patch(`${BASE}/Users/u2`).reply(200, user('u2', { externalId: 'E-2', active: false }));
		const result = await run(parameters, { input, evaluateExpression, continueOnFail: true });
		expect(result.outputs[0]).toEqual([
			{ json: { error: 'No Plek user found with External ID "E-404"' }, pairedItem: { item: 0 } },
			{ json: user('u2', { externalId: 'E-2', active: false }), pairedItem: { item: 1 } },
		]);
		expect(pairedItemProblems(result, 2)).toEqual([]);
	});

	it('without continueOnFail, the first failing item stops the node with its item index', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-404"', []);
		const error = await runError(parameters, { input, evaluateExpression });
		expect(error.message).toBe('No Plek user found with External ID "E-404"');
		expect((error.context as { itemIndex?: number }).itemIndex).toBe(0);
	});

	it('an API error of the second item carries itemIndex 1 and the HTTP status', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-404"', [user('u1', { externalId: 'E-404' })]);
		mockUserFilter('externalId eq "E-2"', [user('u2', { externalId: 'E-2' })]);
		scim().patch(`${BASE}/Users/u1`).reply(200, user('u1', { active: false }));
		scim().patch(`${BASE}/Users/u2`).reply(403, { detail: 'not allowed' });
		const error = await runError(parameters, { input, evaluateExpression });
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('403');
		expect(error.message).toContain('PATCH /scim/v2/Users/u2 (403)');
		expect((error.context as { itemIndex?: number }).itemIndex).toBe(1);
	});
});

describe('no secret in any error output', () => {
	it('a Plek error echoing the secret and the token is redacted when thrown', async () => {
		scim().get(`${BASE}/Users/u1`).reply(400, { scimType: 'invalidValue', detail: LEAKY_DETAIL });
		const error = await runError({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u1' }, output: 'raw' });
		expect(error.message).toMatch(/rejected GET \/scim\/v2\/Users\/u1 as invalid \(400 invalidValue\)/);
		const text = everything(error);
		expect(text).not.toContain(CLIENT_SECRET);
		expect(text).not.toContain(TOKEN);
	});

	it('... and in the error item under continueOnFail', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-1"', []);
		scim().post(`${BASE}/Users`).reply(400, { detail: LEAKY_DETAIL });
		const result = await run(
			{ resource: 'user', operation: 'create', userName: 'x@acme.nl', externalId: 'E-1' },
			{ continueOnFail: true },
		);
		const text = JSON.stringify(result.outputs);
		expect(result.json()[0].error).toMatch(/rejected POST \/scim\/v2\/Users as invalid/);
		expect(text).not.toContain(CLIENT_SECRET);
		expect(text).not.toContain(TOKEN);
		expect(JSON.stringify(result.logs)).not.toContain(TOKEN);
	});

	it('a network failure is reported without the request options (which hold the Authorization header)', async () => {
		// ENOTFOUND is final (not retried), so the test needs no backoff waits.
		const failure = Object.assign(new Error(`getaddrinfo ENOTFOUND acme.plek.test (Bearer ${TOKEN})`), { code: 'ENOTFOUND' });
		scim().get(`${BASE}/Users/u1`).replyWithError(failure);
		const error = await runError({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u1' }, output: 'raw' });
		expect(error.message).toMatch(/Could not reach Plek for GET \/scim\/v2\/Users\/u1/);
		const text = everything(error);
		expect(text).not.toContain(TOKEN);
		expect(text).not.toContain(CLIENT_SECRET);
	});
});
