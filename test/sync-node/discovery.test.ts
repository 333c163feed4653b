// Discovery is optional and cached across runs; a server that echoes tokens in its errors never leaks the token
// the run fetched. The Sync node class through the node harness against the real sandbox (OAuth2 client
// credentials through n8n-core's own httpRequestWithAuthentication, so every run of a new credential fetches a
// fresh token).
import type { IDataObject } from 'n8n-workflow';

import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import { DISCOVERY_TTL_MS, cachedServiceProviderConfig } from '../../transport/discoveryCache';
import { n8nCoreAuth } from '../support/n8nCoreAuth';
import { createNode, runNode } from '../support/nodeHarness';
import { sandboxForFile } from '../support/syncNodeSandbox';

const sandbox = sandboxForFile({ bulk: true, seed: 11 });
beforeEach(() => {
	sandbox.setFaults({ quirks: {}, faultRate: 0 });
});

const person = (i: number): IDataObject => ({
	key: `d-${i}`,
	userName: `d${i}@acme.example`,
	active: true,
	profile: { 'name.givenName': `G${i}`, 'name.familyName': `F${i}` },
	groups: [],
});
const people = (n: number) => Array.from({ length: n }, (_, i) => person(i));

function credentials() {
	return { environmentUrl: sandbox.url, authentication: 'clientCredentials', clientId: 'sandbox', clientSecret: 'sandbox-secret', scimBasePath: '/scim/v2', sessionToken: '' };
}

async function sync(input: IDataObject[], staticData: IDataObject = {}, continueOnFail = false) {
	const creds = credentials();
	const auth = n8nCoreAuth(creds, createNode(new PlekSync(), { credentials: { plekApi: creds } }));
	try {
		const run = await runNode(new PlekSync(), {
			input,
			staticData,
			continueOnFail,
			credentials: { plekApi: creds },
			httpRequestWithAuthentication: auth.handler,
		});
		return { run, auth };
	} catch (error) {
		return { error: error as Error, auth };
	}
}

const requestsTo = (route: string) => Object.values(sandbox.counters().byRoute[route] ?? {}).reduce((a, b) => a + b, 0);

describe.each([404, 501])('a Plek without discovery endpoints (%i)', (noDiscovery) => {
	it('syncs without Bulk, says what it assumed, and converges', async () => {
		sandbox.setFaults({ quirks: { noDiscovery } });
		const first = await sync(people(8));
		expect(first.error).toBeUndefined();
		const [summary] = first.run!.json(0);
		expect((summary.done as IDataObject).create).toBe(8);
		expect(summary.assumed).toEqual([expect.stringMatching(/no \/ServiceProviderConfig: assumed PATCH and filters, no Bulk/)]);
		expect(requestsTo('POST /scim/v2/Bulk')).toBe(0);
		expect(requestsTo('POST /scim/v2/Users')).toBe(8);

		sandbox.resetCounters();
		const second = await sync(people(8));
		expect(second.run!.json(1)).toEqual([]);
		expect(sandbox.counters().writes).toBe(0);
		expect(sandbox.users()).toHaveLength(8);
	});
});

describe('discovery across runs (workflow static data)', () => {
	it('reads /ServiceProviderConfig once within the hour, and again when the cached copy is older', async () => {
		const staticData: IDataObject = {};
		await sync(people(3), staticData);
		expect(requestsTo('GET /scim/v2/ServiceProviderConfig')).toBe(1);
		const cached = cachedServiceProviderConfig(staticData, `${sandbox.url}/scim/v2`);
		expect(cached).toMatchObject({ bulk: { supported: true } });

		sandbox.resetCounters();
		const second = await sync(people(3), staticData);
		expect(requestsTo('GET /scim/v2/ServiceProviderConfig')).toBe(0);
		expect(second.run!.json(0)[0].assumed).toBeUndefined();

		// An hour later it is read again.
		const entry = (staticData.plekDiscovery as Record<string, { readAt: number }>)[`${sandbox.url}/scim/v2`];
		entry.readAt -= DISCOVERY_TTL_MS;
		sandbox.resetCounters();
		await sync(people(3), staticData);
		expect(requestsTo('GET /scim/v2/ServiceProviderConfig')).toBe(1);
	});

	it('remembers that a server has no discovery, so the next run does not ask again', async () => {
		sandbox.setFaults({ quirks: { noDiscovery: 404 } });
		const staticData: IDataObject = {};
		await sync(people(2), staticData);
		expect(cachedServiceProviderConfig(staticData, `${sandbox.url}/scim/v2`)).toBeNull();
		sandbox.resetCounters();
		const second = await sync(people(2), staticData);
		expect(requestsTo('GET /scim/v2/ServiceProviderConfig')).toBe(0);
		expect(second.run!.json(0)[0].assumed).toHaveLength(1);
	});
});

describe('a server that echoes the bearer token in its error bodies', () => {
	it('the token this run fetched appears nowhere in the error, its causes or the output', async () => {
		sandbox.setFaults({ quirks: { echoTokenInErrors: true }, faultRate: 1 });
		for (const continueOnFail of [false, true]) {
			const outcome = await sync(people(2), {}, continueOnFail);
			const token = outcome.auth.stored.sessionToken as string;
			expect(token.length).toBeGreaterThan(8);
			const texts: string[] = [JSON.stringify(outcome.run?.outputs ?? null)];
			for (let e: any = outcome.error; e; e = e.cause) texts.push(String(e.message), String(e.description), String(e.stack), JSON.stringify(e));
			const text = texts.join('\n');
			expect(text).toMatch(continueOnFail ? /error/ : /Plek/);
			expect(text).not.toContain(token);
			expect(text).not.toContain('sandbox-secret');
		}
	});

	it('the knob does echo the token (so the test above could fail)', async () => {
		sandbox.setFaults({ quirks: { echoTokenInErrors: true } });
		const response = await fetch(`${sandbox.url}/scim/v2/Users/nobody`, { headers: { Authorization: 'Bearer not-a-real-token-123' } });
		expect(response.status).toBe(401);
		expect(await response.text()).toContain('request authorised by not-a-real-token-123');
	});
});
