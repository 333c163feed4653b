// Managers through the Sync node against the real sandbox (scimmy) over HTTP: a chain of three created in one run
// gets its managers, a change of manager is one PATCH, and re-runs write nothing.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runSync, sandboxForFile } from '../support/syncNodeSandbox';
import { ENTERPRISE as ENT } from '../support/scim';

const TOKEN = 'sync-node-managers-token';
const sandbox = sandboxForFile({ staticToken: TOKEN, resetEachTest: false });

const person = (key: string, manager?: string): IDataObject => ({
	key,
	userName: `${key}@acme.example`,
	active: true,
	profile: { 'name.givenName': key },
	...(manager ? { manager } : {}),
});

async function sync(input: IDataObject[], parameters: INodeParameters = {}) {
	return await runSync(sandbox, { parameters, input });
}

function managerOf(key: string): string | undefined {
	const users = sandbox.users();
	const id = (users.find((u) => u.externalId === key)?.[ENT] as { manager?: { value?: string } } | undefined)?.manager?.value;
	return id === undefined ? undefined : (users.find((u) => u.id === id)?.externalId as string | undefined);
}

test.each(['auto', 'never'])('useBulk %s: chain of three in one run, a change of manager, and re-runs that write nothing', async (useBulk) => {
	sandbox.reset();
	const options = { options: { useBulk } };
	const chain = [person('nurse', 'head'), person('head', 'director'), person('director')];
	const first = await sync(chain, options);
	expect(first.json(0)[0]).toMatchObject({ failed: 0, done: { create: 3, manager: 2 } });
	expect([managerOf('nurse'), managerOf('head'), managerOf('director')]).toEqual(['head', 'director', undefined]);

	sandbox.resetCounters();
	expect((await sync(chain, options)).json(0)[0]).toMatchObject({ unchanged: 3 });
	expect(sandbox.counters().writes).toBe(0);

	const moved = [person('nurse', 'director'), person('head', 'director'), person('director')];
	sandbox.resetCounters();
	const change = await sync(moved, options);
	expect(change.json(0)[0]).toMatchObject({ failed: 0, done: { update: 1 } });
	expect(change.json(1)[0]).toMatchObject({ key: 'nurse', attributes: [{ path: 'manager', before: 'head', after: 'director' }] });
	expect(sandbox.counters().writes).toBe(1);
	expect(managerOf('nurse')).toBe('director');

	sandbox.resetCounters();
	await sync(moved, options);
	expect(sandbox.counters().writes).toBe(0);
});
