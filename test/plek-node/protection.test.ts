// The Plek actions node honours the protection declared on the Plek credential (issue 22), as a plain node and as
// an AI Agent tool (the same execute, its parameters filled by the agent): a protected account is never
// deactivated, changed or removed from a group, whatever identifier or spelling looks it up; the protected group's
// membership is left to Plek; no account is given a protected userName or e-mail. Against the real sandbox.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Plek } from '../../nodes/Plek/Plek.node';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { runNode } from '../support/nodeHarness';
import { axiosRequest } from './helpers';

const TOKEN = 'plek-node-protection-token';
let sandbox: RunningSandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ staticToken: TOKEN, quiet: true });
});
afterAll(async () => {
	await sandbox?.close();
});

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const person = (id: string, extra: IDataObject = {}): IDataObject => ({
	schemas: [CORE],
	id,
	externalId: `ext-${id}`,
	userName: `${id}@acme.example`,
	emails: [{ type: 'work', value: `${id}.mail@acme.example` }],
	active: true,
	...extra,
});
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

beforeEach(() => {
	sandbox.reset();
	sandbox.load({
		users: [person('admin', { userName: 'Admin@Acme.example' }), person('glass'), person('svc'), person('boss'), person('anna'), person('ben')],
		groups: [
			{ schemas: [GROUP], id: 'g-admins', displayName: 'Plek Admins', members: [{ value: 'boss' }] },
			{ schemas: [GROUP], id: 'g-care', displayName: 'Care', members: ['admin', 'glass', 'anna', 'ben'].map((value) => ({ value })) },
		],
	});
	sandbox.resetCounters();
});

/** The credential protects admin by userName, glass by e-mail, svc by Plek ID, and the members of Plek Admins. */
const PROTECTION = { protectedAccounts: 'admin@acme.example,\nGLASS.mail@acme.example; svc', protectedGroup: 'plek admins' };

async function plek(parameters: INodeParameters, options: { protection?: IDataObject; continueOnFail?: boolean; input?: IDataObject[]; evaluate?: (e: string, i: number) => unknown } = {}) {
	return await runNode(new Plek(), {
		parameters,
		input: options.input ?? [{}],
		continueOnFail: options.continueOnFail,
		evaluateExpression: options.evaluate,
		credentials: {
			plekApi: { environmentUrl: sandbox.url, authentication: 'accessToken', accessToken: TOKEN, scimBasePath: '/scim/v2', ...(options.protection ?? PROTECTION) },
		},
		httpRequestWithAuthentication: async (request) => await axiosRequest(request, TOKEN),
	});
}

async function refusal(parameters: INodeParameters, protection?: IDataObject): Promise<Error & { description?: string }> {
	const error = await plek(parameters, { protection }).then(
		() => undefined,
		(e: unknown) => e as Error & { description?: string },
	);
	if (!error) throw new Error('expected the node to refuse');
	return error;
}

const byWay = (mode: string, value: string) => ({ __rl: true, mode, value });
const active = (id: string) => sandbox.users().find((u) => u.id === id)?.active;
const careMembers = () => ((sandbox.groups().find((g) => g.id === 'g-care')?.members ?? []) as Array<{ value: string }>).map((m) => m.value).sort();
const writes = () => sandbox.counters().writes;

describe('Deactivate', () => {
	it.each([
		['its userName, looked up by Plek ID', byWay('id', 'admin'), 'its userName is on the credential\'s Protected Accounts'],
		['its userName, looked up by another spelling of it', byWay('userName', 'admin@acme.example'), 'its userName is on'],
		['its userName, looked up by External ID', byWay('externalId', 'ext-admin'), 'its userName is on'],
		['its e-mail address', byWay('id', 'glass'), 'its e-mail address is on the credential\'s Protected Accounts'],
		['its Plek ID', byWay('userName', 'svc@acme.example'), 'its Plek ID is on'],
		['membership of the Protected Group', byWay('externalId', 'ext-boss'), 'it is a member of the credential\'s Protected Group "Plek Admins"'],
	])('refuses a protected account (%s), naming the rule; nothing is written', async (_, user, rule) => {
		const error = await refusal({ resource: 'user', operation: 'deactivate', user });
		expect(error.message).toMatch(/^Deactivate refused: ".*" is a protected account \(/);
		expect(error.message).toContain(rule);
		expect(error.description).toMatch(/^Nothing was changed in Plek\. .*remove it from Protected Accounts or Protected Group on the Plek credential/);
		expect(writes()).toBe(0);
		expect(sandbox.users().every((u) => u.active === true)).toBe(true);
	});

	it('deactivates an account that is not protected', async () => {
		const run = await plek({ resource: 'user', operation: 'deactivate', user: byWay('id', 'anna') });
		expect(run.json()[0]).toMatchObject({ id: 'anna', active: false });
		expect(active('anna')).toBe(false);
	});

	it('as an AI Agent tool: the agent fills the user with any spelling and gets the refusal; Continue on Fail keeps the other items going', async () => {
		const asked = ['  ADMIN@acme.example ', 'ben@acme.example'];
		const run = await plek(
			{ resource: 'user', operation: 'deactivate', user: { __rl: true, mode: 'userName', value: "={{ $fromAI('userName', 'Who leaves', 'string') }}" } },
			{ input: [{}, {}], continueOnFail: true, evaluate: (_expression, item) => asked[item] },
		);
		expect(run.json()[0].error).toMatch(/^Deactivate refused: "Admin@Acme\.example" is a protected account \(its userName is on the credential's Protected Accounts\)$/);
		expect(run.json()[1]).toMatchObject({ id: 'ben', active: false });
		expect([active('admin'), active('ben')]).toEqual([true, false]);
	});

	it('a Protected Group Plek lacks refuses every guarded change (fail closed) but lets Get through', async () => {
		const protection = { protectedGroup: 'Break Glass' };
		const error = await refusal({ resource: 'user', operation: 'deactivate', user: byWay('id', 'anna') }, protection);
		expect(error.message).toBe('Deactivate refused: the credential\'s Protected Group "Break Glass" does not exist in Plek, so its members cannot be protected');
		expect(active('anna')).toBe(true);
		const got = await plek({ resource: 'user', operation: 'get', user: byWay('id', 'anna'), output: 'raw' }, { protection });
		expect(got.json()[0].id).toBe('anna');
	});

	it('without protection on the credential nothing is refused and no group is looked up', async () => {
		await plek({ resource: 'user', operation: 'deactivate', user: byWay('id', 'admin') }, { protection: {} });
		expect(active('admin')).toBe(false);
		expect(Object.keys(sandbox.counters().byRoute).some((route) => route.includes('Groups'))).toBe(false);
	});
});

describe('Update', () => {
	it('refuses any change to a protected account (a rename through e-mail included); Reactivate stays allowed', async () => {
		const error = await refusal({ resource: 'user', operation: 'update', user: byWay('id', 'glass'), profileFields: { field: [{ path: 'title', value: 'Intern' }] } });
		expect(error.message).toBe('Update refused: "glass@acme.example" is a protected account (its e-mail address is on the credential\'s Protected Accounts)');
		const mail = await refusal({
			resource: 'user',
			operation: 'update',
			user: byWay('userName', 'admin@acme.example'),
			profileFields: { field: [{ path: 'emails[type eq "work"].value', value: 'attacker@evil.example' }] },
		});
		expect(mail.message).toMatch(/^Update refused: "Admin@Acme\.example" is a protected account/);
		expect(writes()).toBe(0);
		await plek({ resource: 'user', operation: 'reactivate', user: byWay('id', 'admin') });
		expect(active('admin')).toBe(true);
	});

	it('never sets userName or active through a profile field, in any spelling, on any account', async () => {
		for (const path of ['active', 'ACTIVE', `${CORE}:active`, 'userName', `${CORE}:userName`, 'externalId']) {
			const error = await refusal(
				{ resource: 'user', operation: 'update', user: byWay('id', 'anna'), profileFields: { field: [{ path: '__custom', customPath: path, value: 'false' }] } },
				{},
			);
			expect([path, error.message]).toEqual([path, expect.stringMatching(/is not a profile field: set it with the (Deactivate and Reactivate operations|User Name parameter|External ID parameter)/)]);
		}
		expect(writes()).toBe(0);
	});

	it('a profile path with a segment named constructor is refused by name, not with a stray function text', async () => {
		const error = await refusal(
			{ resource: 'user', operation: 'update', user: byWay('id', 'anna'), profileFields: { field: [{ path: '__custom', customPath: 'constructor.prototype', value: 'x' }] } },
			{},
		);
		expect(error.message).toBe(
			"Profile field \"constructor.prototype\" cannot be synced to Plek: constructor.prototype has a segment named 'constructor', a reserved name (__proto__, constructor and prototype are never SCIM attribute names)",
		);
		const whole = await refusal({ resource: 'user', operation: 'update', user: byWay('id', 'anna'), profileFields: { field: [{ path: '__custom', customPath: 'constructor', value: 'x' }] } }, {});
		expect(whole.message).not.toMatch(/function|native code/);
		expect(writes()).toBe(0);
	});

	it('refuses to give another account the e-mail address of a protected one (it would pass for it); Create likewise', async () => {
		const error = await refusal({
			resource: 'user',
			operation: 'update',
			user: byWay('id', 'anna'),
			profileFields: { field: [{ path: 'emails[type eq "work"].value', value: 'Glass.Mail@acme.example' }] },
		});
		expect(error.message).toBe('Update refused: emails[type eq "work"].value "Glass.Mail@acme.example" names an account on the credential\'s Protected Accounts');
		const created = await refusal({ resource: 'user', operation: 'create', userName: 'ADMIN@acme.example\u200b' });
		expect(created.message).toMatch(/^Create refused: User Name ".*" names an account on the credential's Protected Accounts$/);
		expect(writes()).toBe(0);
		const fine = await plek({ resource: 'user', operation: 'update', user: byWay('id', 'anna'), profileFields: { field: [{ path: 'title', value: 'Nurse' }] } });
		expect(fine.json()[0].title).toBe('Nurse');
	});
});

describe('Group members', () => {
	const members = (operation: string, group: INodeParameters, list: string, memberIdType = "id"): INodeParameters => ({ resource: "group", operation, group, memberIdType, members: list });

	it('Remove Members refuses when any member is protected, and removes nobody', async () => {
		const error = await refusal(members('removeMembers', byWay('name', 'Care'), 'anna, admin'));
		expect(error.message).toMatch(/^Remove Members refused: "Admin@Acme\.example" is a protected account/);
		const byExternal = await refusal(members('removeMembers', byWay('id', 'g-care'), 'ext-ben\next-glass', 'externalId'));
		expect(byExternal.message).toMatch(/"glass@acme\.example" is a protected account \(its e-mail address/);
		expect(careMembers()).toEqual(['admin', 'anna', 'ben', 'glass']);
		expect(writes()).toBe(0);
		await plek(members('removeMembers', byWay('name', 'Care'), 'anna, ben'));
		expect(careMembers()).toEqual(['admin', 'glass']);
	});

	it("the Protected Group's membership is Plek's: adding to it or removing from it is refused, by ID or by name", async () => {
		const add = await refusal(members('addMembers', byWay('id', 'g-admins'), 'anna'));
		expect(add.message).toBe('Add Members refused: "Plek Admins" is the credential\'s Protected Group; its members are managed in Plek only');
		const remove = await refusal(members('removeMembers', byWay('name', 'PLEK ADMINS'), 'boss'));
		expect(remove.message).toMatch(/^Remove Members refused: "Plek Admins" is the credential's Protected Group/);
		expect(writes()).toBe(0);
		const added = await plek(members('addMembers', byWay('name', 'Care'), 'boss'));
		expect(added.json()[0]).toMatchObject({ count: 1 });
	});
});
