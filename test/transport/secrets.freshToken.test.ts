/**
 * Every error path on a run that FETCHES A FRESH TOKEN: the token did not exist when the node read its
 * credential, so it can only be redacted if the transport learns it the moment n8n obtains it. Each test runs
 * a real node class (Plek, Plek Sync) through n8n-core's own httpRequestWithAuthentication, with the plekApi
 * credential's own preAuthentication, against nock; then looks for the client secret and every token in the
 * node output, the thrown error (message, description, context, every cause) and the node's log lines.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { Plek } from '../../nodes/Plek/Plek.node';
import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import { n8nCoreAuth } from '../support/n8nCoreAuth';
import { createNode, runNode } from '../support/nodeHarness';
import type { HarnessRecorder, NodeRun } from '../support/nodeHarness';
import { CLIENT_SECRET, ENV } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const BASE = '/scim/v2';
let tokenCounter = 0;
/** A token nobody has seen before: fetched by this run only. */
const freshToken = () => `fresh-TOKEN-${Date.now().toString(36)}-${++tokenCounter}-x9`;

const credentials = (extra: Record<string, unknown> = {}) => ({
	environmentUrl: ENV,
	authentication: 'clientCredentials',
	clientId: 'client-1',
	clientSecret: CLIENT_SECRET,
	scimBasePath: BASE,
	sessionToken: '',
	...extra,
});

/** Every text a user, n8n's log or a saved execution could hold of this run. */
function everything(outcome: { run?: NodeRun; error?: unknown; recorder: HarnessRecorder }): string {
	const parts: string[] = [JSON.stringify(outcome.recorder.logs)];
	if (outcome.run) parts.push(JSON.stringify(outcome.run.outputs));
	let cause: unknown = outcome.error;
	for (let depth = 0; cause && depth < 10; depth++) {
		const record = cause as Record<string, unknown>;
		parts.push(String(record.message), String(record.description), String(record.stack), JSON.stringify(record.context ?? null));
		try {
			parts.push(JSON.stringify(record));
		} catch {
			parts.push(String(record));
		}
		cause = record.cause;
	}
	return parts.join('\n');
}

async function execute(nodeType: INodeType, parameters: INodeParameters, creds: Record<string, unknown>, input: IDataObject[], continueOnFail = false) {
	const auth = n8nCoreAuth(creds, createNode(nodeType, { credentials: { plekApi: creds as never } }));
	const recorder: HarnessRecorder = { logs: [], http: [] };
	try {
		const run = await runNode(nodeType, {
			parameters,
			input,
			continueOnFail,
			credentials: { plekApi: creds as never },
			httpRequestWithAuthentication: auth.handler,
		});
		recorder.logs.push(...run.logs);
		return { run, recorder, auth };
	} catch (error) {
		return { error, recorder, auth };
	}
}

const getUser = { resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u1' }, output: 'raw' };
const dryRun = { mode: 'dryRun' };
const record = { key: 'E-1', userName: 'e1@acme.test', active: true, profile: { 'name.givenName': 'E' }, groups: [] };

function expectClean(text: string, ...secrets: string[]) {
	for (const secret of [CLIENT_SECRET, ...secrets]) expect(text).not.toContain(secret);
}

describe('no secret on any error path of a run that fetches a fresh token', () => {
	it('wrong secret: the token endpoint rejects and echoes the request', async () => {
		nock(ENV)
			.post('/oauth/token')
			.reply(401, { error: 'invalid_client', error_description: `client_secret ${CLIENT_SECRET} unknown`, echo: `client_secret=${CLIENT_SECRET}` });
		const outcome = await execute(new Plek(), getUser, credentials(), [{}]);
		expect((outcome.error as Error).message).toMatch(/Client ID or Client Secret/);
		expectClean(everything(outcome));
	});

	it('token endpoint down: 503 echoing the secret, then a network error naming it', async () => {
		nock(ENV).post('/oauth/token').reply(503, `upstream failed for client_secret ${CLIENT_SECRET}`);
		const down = await execute(new Plek(), getUser, credentials(), [{}]);
		expect(down.error).toBeDefined();
		expectClean(everything(down));

		nock(ENV)
			.post('/oauth/token')
			.replyWithError(Object.assign(new Error(`connect ECONNREFUSED while sending ${CLIENT_SECRET}`), { code: 'ECONNREFUSED' }));
		const refused = await execute(new Plek(), getUser, credentials(), [{}]);
		expect(refused.error).toBeDefined();
		expectClean(everything(refused));
	});

	it('a 4xx body echoing the fresh token and the secret, as a thrown error and as a continueOnFail item', async () => {
		for (const continueOnFail of [false, true]) {
			const token = freshToken();
			nock(ENV).post('/oauth/token').reply(200, { access_token: token, expires_in: 3600 });
			nock(ENV)
				.get(`${BASE}/Users/u1`)
				.reply(400, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: `bad request from ${token} (secret ${CLIENT_SECRET})` });
			const outcome = await execute(new Plek(), getUser, credentials(), [{}], continueOnFail);
			expect(outcome.auth.stats.preAuthentications).toBe(1);
			expect(outcome.auth.stored.sessionToken).toBe(token);
			const text = everything(outcome);
			expect(text).toContain('[redacted]');
			expect(text).not.toContain('[redacted]]');
			expectClean(text, token);
			if (continueOnFail) expect(outcome.run?.json(0)[0].error).toMatch(/400|bad request/i);
			else expect(outcome.error).toBeDefined();
		}
	});

	it('a 5xx body echoing the bare fresh token, through the Sync node (retries included)', async () => {
		const token = freshToken();
		const random = jest.spyOn(Math, 'random').mockReturnValue(0); // no backoff waits
		try {
			nock(ENV).post('/oauth/token').reply(200, { access_token: token, expires_in: 3600 });
			nock(ENV).get(/\/scim\/v2\/.*/).times(40).reply(500, `internal error; request authorised by ${token}`);
			const outcome = await execute(new PlekSync(), dryRun, credentials(), [record]);
			expect(outcome.auth.stored.sessionToken).toBe(token);
			expect(outcome.error).toBeDefined();
			expectClean(everything(outcome), token);
		} finally {
			random.mockRestore();
		}
	});

	it('401 then refresh: the stale and the refreshed token never show, whatever the server echoes', async () => {
		const stale = freshToken();
		const refreshed = freshToken();
		nock(ENV).post('/oauth/token').reply(200, { access_token: refreshed, expires_in: 3600 });
		nock(ENV)
			.get(`${BASE}/Users/u1`)
			.matchHeader('authorization', `Bearer ${stale}`)
			.reply(401, { detail: `token ${stale} expired` })
			.get(`${BASE}/Users/u1`)
			.matchHeader('authorization', `Bearer ${refreshed}`)
			.reply(403, { detail: `token ${refreshed} may not read users; old one was ${stale}` });
		const outcome = await execute(new Plek(), getUser, credentials({ sessionToken: stale }), [{}]);
		expect(outcome.auth.stats.preAuthentications).toBe(1);
		expect(outcome.error).toBeDefined();
		expectClean(everything(outcome), stale, refreshed);
	});

	it('SCIM Bulk per-operation errors echoing the fresh token: not in Issues, nor in the breaker error that quotes them', async () => {
		const bulkConfig = {
			patch: { supported: true },
			bulk: { supported: true, maxOperations: 100, maxPayloadSize: 1_048_576 },
			filter: { supported: true, maxResults: 100 },
			etag: { supported: false },
		};
		for (const continueOnFail of [false, true]) {
			const token = freshToken();
			nock(ENV).post('/oauth/token').reply(200, { access_token: token, expires_in: 3600 });
			nock(ENV)
				.get(`${BASE}/ServiceProviderConfig`)
				.reply(200, bulkConfig)
				.get(`${BASE}/Users`)
				.query(true)
				.reply(200, { totalResults: 0, Resources: [] })
				.get(`${BASE}/Groups`)
				.query(true)
				.reply(200, { totalResults: 0, Resources: [] })
				.post(`${BASE}/Bulk`)
				.reply(200, (_uri, body) => ({
					schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
					Operations: (typeof body === 'string' ? JSON.parse(body) : body).Operations.map((op: { bulkId: string; method: string }) => ({
						method: op.method,
						bulkId: op.bulkId,
						status: '400',
						response: { status: '400', scimType: `invalidValue ${token}`, detail: `refused; request authorised by ${token}, client_secret=${CLIENT_SECRET}` },
					})),
				}));
			const people = Array.from({ length: 25 }, (_, i) => ({ ...record, key: `E-${i}`, userName: `e${i}@acme.test` }));
			const outcome = await execute(new PlekSync(), { mode: 'apply' }, credentials(), people, continueOnFail);
			expect(outcome.auth.stored.sessionToken).toBe(token);
			// Every create failed inside the Bulk request: the breaker stopped the run and its error quotes the failures.
			if (!continueOnFail) expect((outcome.error as Error).message).toMatch(/Sync stopped writing/);
			const text = everything(outcome);
			expect(text).toMatch(/refused; request authorised by \[redacted\]/);
			expectClean(text, token);
		}
	});

	it('a network error whose message carries the fresh token', async () => {
		const token = freshToken();
		nock(ENV).post('/oauth/token').reply(200, { access_token: token, expires_in: 3600 });
		nock(ENV)
			.get(`${BASE}/Users/u1`)
			.times(10)
			.replyWithError(Object.assign(new Error(`socket hang up after sending ${token}`), { code: 'ECONNRESET' }));
		const random = jest.spyOn(Math, 'random').mockReturnValue(0);
		try {
			const outcome = await execute(new Plek(), getUser, credentials(), [{}]);
			expect(outcome.auth.stored.sessionToken).toBe(token);
			expect((outcome.error as Error).message).toMatch(/Could not reach Plek/);
			expect(outcome.error).toBeDefined();
			expectClean(everything(outcome), token);
		} finally {
			random.mockRestore();
		}
	});
});
