// The Sync node's start-date options through the node harness against the real sandbox: Create Pre-hires (Days
// Ahead), Time Zone and the test clock Today Is. A re-run writes nothing.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { runNode } from '../support/nodeHarness';
import { axiosRequest } from '../plek-node/helpers';

const TOKEN = 'sync-node-prehire-token';
let sandbox: RunningSandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ staticToken: TOKEN, quiet: true });
});
afterAll(async () => {
	await sandbox?.close();
});
beforeEach(() => {
	sandbox.reset();
	sandbox.resetCounters();
});

const hire: IDataObject = { key: 'emp-1', userName: 'new@acme.example', active: true, profile: { 'name.givenName': 'Nieuw' }, startDate: '2027-01-04' };

async function sync(parameters: INodeParameters, timezone?: string) {
	return await runNode(new PlekSync(), {
		parameters,
		input: [hire],
		timezone,
		credentials: { plekApi: { environmentUrl: sandbox.url, authentication: 'accessToken', accessToken: TOKEN, scimBasePath: '/scim/v2' } },
		httpRequestWithAuthentication: async (request) => await axiosRequest(request, TOKEN),
	});
}
const account = () => sandbox.users().find((u) => u.externalId === 'emp-1') as { active?: boolean } | undefined;

it('created inactive within the days ahead, activated when Today Is reaches the start date; re-runs write nothing', async () => {
	await sync({ options: { preHireDays: 7, today: '2026-12-20' } });
	expect(account()).toBeUndefined();
	const created = await sync({ options: { preHireDays: 7, today: '2026-12-28' } });
	expect(created.json(0)[0]).toMatchObject({ done: { create: 1 } });
	expect(account()?.active).toBe(false);
	sandbox.resetCounters();
	await sync({ options: { preHireDays: 7, today: '2027-01-03' } });
	expect(sandbox.counters().writes).toBe(0);
	await sync({ options: { preHireDays: 7, today: '2027-01-04' } });
	expect(account()?.active).toBe(true);
	sandbox.resetCounters();
	await sync({ options: { preHireDays: 7, today: '2027-01-04' } });
	expect(sandbox.counters().writes).toBe(0);
});

it('without Create Pre-hires nobody is created before the start date; the Time Zone decides when the day begins', async () => {
	await sync({ options: { today: '2027-01-03T23:30:00Z' } }, 'America/New_York');
	expect(account()).toBeUndefined();
	await sync({ options: { today: '2027-01-03T23:30:00Z', timeZone: 'Europe/Amsterdam' } }, 'America/New_York');
	expect(account()?.active).toBe(true);
});

it('an unknown time zone or a Today Is that is no date fails the node, naming the option', async () => {
	await expect(sync({ options: { timeZone: 'Europe/Amsterdan' } })).rejects.toThrow("Options › Time Zone: unknown time zone 'Europe/Amsterdan'");
	await expect(sync({ options: { today: 'tomorrow' } })).rejects.toThrow("Options › Today Is: 'tomorrow' is not a date");
	expect(sandbox.counters().writes).toBe(0);
});
