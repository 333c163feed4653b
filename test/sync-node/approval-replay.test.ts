// Issue 22, item 7, through the Sync node against the real sandbox: an approval applies its plan once, to the
// credential's Plek environment; the node remembers it in the workflow's static data and refuses a replay.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { environmentOf } from '../../nodes/PlekSync/approvals';
import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const TOKEN = 'sync-node-approval-token';
const sandbox = sandboxForFile({ staticToken: TOKEN, resetEachTest: false });

const people = (n: number, inactive = 0): IDataObject[] =>
	Array.from({ length: n }, (_, i) => ({ key: `emp-${i}`, userName: `person${i}@acme.example`, active: i >= inactive, profile: { 'name.givenName': `Given${i}` }, groups: [] }));

async function sync(input: IDataObject[], parameters: INodeParameters, staticData: IDataObject, environmentUrl = sandbox.url) {
	return await runSync(sandbox, { parameters, input, staticData, credential: { environmentUrl } });
}

it('applied once; people reactivated by hand are not deactivated again by the same Approve Plan value', async () => {
	const staticData: IDataObject = {};
	await sync(people(20), {}, staticData);
	const blocked = await sync(people(20, 5), { guards: { whenBlocked: 'output' } }, staticData);
	const fingerprint = blocked.json(0)[0].fingerprint as string;
	expect(fingerprint).toMatch(/^deactivate5-\d{8}T\d{4}Z-[0-9a-f]{20}$/);

	const applied = await sync(people(20, 5), { guards: { approvePlan: fingerprint } }, staticData);
	expect(applied.json(0)[0]).toMatchObject({ approved: true, fingerprint });
	expect(Object.keys(staticData.plekAppliedApprovals as IDataObject)).toEqual([fingerprint]);

	// An admin reactivates the five by hand; the next run still carries the approval.
	sandbox.load({ users: sandbox.users().map((u) => ({ ...u, active: true })), groups: [] });
	sandbox.resetCounters();
	const error = await sync(people(20, 5), { guards: { approvePlan: fingerprint } }, staticData).catch((e: Error) => e);
	expect((error as Error).message).toContain(`the approval ${fingerprint} was already applied`);
	expect(sandbox.counters().writes).toBe(0);
	expect(sandbox.users().filter((u) => u.active === false)).toEqual([]);
});

// A queue-mode worker starts each execution with empty static data (n8n 2.41 stores no static data with the
// execution it enqueues): nothing remembers the approval, and the accounts' versions refuse the replay.
it('without the remembered approvals (a queue-mode worker), a replay after a hand reactivation is refused by the accounts\' versions', async () => {
	sandbox.load({ users: [], groups: [] });
	await sync(people(12), {}, {});
	const blocked = await sync(people(12, 3), { guards: { whenBlocked: 'output' } }, {});
	const fingerprint = blocked.json(0)[0].fingerprint as string;
	const applied = await sync(people(12, 3), { guards: { approvePlan: fingerprint } }, {});
	expect(applied.json(0)[0]).toMatchObject({ approved: true, fingerprint });
	expect(sandbox.users().filter((u) => u.active === false)).toHaveLength(3);

	sandbox.load({ users: sandbox.users().map((u) => ({ ...u, active: true })), groups: [] });
	sandbox.resetCounters();
	const error = await sync(people(12, 3), { guards: { approvePlan: fingerprint } }, {}).catch((e: Error) => e);
	expect((error as Error).message).toContain(`the approved plan ${fingerprint} is not the plan computed now`);
	expect((error as Error).message).toContain('an account it writes to has changed in Plek since');
	expect(sandbox.counters().writes).toBe(0);
	expect(sandbox.users().filter((u) => u.active === false)).toEqual([]);
});

test('the environment an approval is bound to is the host of the credential\'s Environment URL', () => {
	expect(environmentOf({ environmentUrl: 'https://Acme.Plek.example/scim/v2' })).toBe('acme.plek.example');
	expect(environmentOf({ environmentUrl: 'https://acme.plek.example:8443' })).toBe('acme.plek.example:8443');
	expect(environmentOf({ environmentUrl: 'https://other.plek.example' })).not.toBe(environmentOf({ environmentUrl: 'https://acme.plek.example' }));
	expect(environmentOf({ environmentUrl: 'not a url' })).toBe('');
});
