// The Sync node reads the protection declared on the Plek credential (issue 22): its Protected Accounts and
// Protected Group are honoured with the Sync's own options added, against the real sandbox over HTTP.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const TOKEN = 'sync-node-protection-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });

const person = (i: number, overrides: IDataObject = {}): IDataObject => ({
	key: `emp-${i}`,
	userName: `person${i}@acme.example`,
	active: true,
	profile: { 'name.givenName': `Given${i}`, 'emails[type eq "work"].value': `mail${i}@acme.example` },
	groups: [],
	...overrides,
});

async function sync(input: IDataObject[], parameters: INodeParameters, protection: IDataObject) {
	return await runSync(sandbox, { parameters, input, credential: protection });
}

const active = (key: string) => sandbox.users().find((u) => u.externalId === key)?.active;

it("the credential's Protected Accounts (an e-mail address here) and the Sync's own both keep leavers active", async () => {
	const everyone = Array.from({ length: 10 }, (_, i) => person(i));
	await sync(everyone, {}, {});
	const leavers = everyone.map((p, i) => (i < 3 ? { ...p, active: false } : p));
	const guards = { maxDeactivations: -1, maxDeactivationPercent: -1 };
	const run = await sync(leavers, { guards, options: { protectedAccounts: 'emp-1' } }, { protectedAccounts: 'MAIL0@acme.example' });
	expect([active('emp-0'), active('emp-1'), active('emp-2')]).toEqual([true, true, false]);
	expect(run.json(0)[0]).toMatchObject({ done: { deactivate: 1 }, protected: { count: 2 } });
});

it("the credential's Protected Group is protected beside the Sync's; a credential group Plek lacks blocks the run", async () => {
	const everyone = Array.from({ length: 10 }, (_, i) => person(i, { groups: i === 0 ? ['Plek Admins'] : [] }));
	await sync(everyone, { options: { createMissingGroups: true } }, {});
	sandbox.resetCounters();
	const leavers = everyone.map((p, i) => (i < 2 ? { ...p, active: false } : p));
	const guards = { maxDeactivations: -1, maxDeactivationPercent: -1 };
	await sync(leavers, { guards }, { protectedGroup: 'plek admins' });
	expect([active('emp-0'), active('emp-1')]).toEqual([true, false]);

	sandbox.resetCounters();
	const blocked = await sync(leavers.map((p) => ({ ...p, active: false })), { guards }, { protectedGroup: 'Break Glass' }).then(
		() => undefined,
		(e: unknown) => e as Error,
	);
	expect(blocked?.message).toMatch(/the protected group "Break Glass" does not exist in Plek.*on the Plek credential/);
	expect(sandbox.counters().writes).toBe(0);
});
