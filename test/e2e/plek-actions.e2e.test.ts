/**
 * The Plek node (single actions) in real n8n against the sandbox: the example workflow creates a user, gets it by
 * externalId (escaped filter), adds it to a group and deactivates it. Deactivate never deletes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expectOk } from './lib/assert';
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { REPO_DIR, type WorkflowJson } from '../../scripts/lib/n8n';
import { toHeadless } from '../../scripts/lib/workflows';

let env: E2eEnvironment;

beforeAll(async () => {
	env = await startEnvironment({ ldap: false, hrApi: false });
});

afterAll(async () => {
	await env?.close();
});

test('create, get by externalId, add to group and deactivate run in n8n; nothing is deleted', async () => {
	const example = JSON.parse(readFileSync(join(REPO_DIR, 'test/plek-node/plek-actions.workflow.json'), 'utf8'));
	const workflow = toHeadless(example, { id: 'PlekE2eActions01', credentials: { ...CREDENTIALS } });
	// A key with characters that must be escaped in a SCIM filter.
	workflow.nodes.find((n) => n.name === 'Create user')!.parameters.externalId = 'WF-"DEMO"\\1';
	env.sandbox.load({ users: [], groups: [{ displayName: 'All staff', members: [] }] });
	env.sandbox.resetCounters();

	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(workflow.id!);
	expectOk(result);

	const [[created]] = result.output('Create user');
	expect(created).toMatchObject({ externalId: 'WF-"DEMO"\\1', userName: 'wf.demo@acme.example', active: true });
	const [[found]] = result.output('Get by External ID');
	expect(found.id).toBe(created.id);

	const users = env.sandbox.users();
	expect(users).toHaveLength(1);
	expect(users[0]).toMatchObject({ id: created.id, externalId: 'WF-"DEMO"\\1', active: false, name: { givenName: 'Demo' } });
	const [group] = env.sandbox.groups();
	expect(group.members.map((m: { value: string }) => m.value)).toEqual([created.id]);

	const routes = Object.keys(env.sandbox.counters().byRoute);
	expect(routes.filter((route) => route.startsWith('DELETE'))).toEqual([]);
	expect(env.sandbox.counters().byRoute['PATCH /scim/v2/Users/:id']).toBeDefined();
});

test("the Plek node refuses to deactivate an account protected on the credential (issue 22); others it deactivates", async () => {
	const protectedCredential = { id: 'PlekProtected001', name: 'Plek sandbox (protected accounts)' };
	await env.n8n.importCredentials([
		{
			...protectedCredential,
			type: 'plekApi',
			data: {
				environmentUrl: env.sandbox.url,
				authentication: 'clientCredentials',
				clientId: env.sandbox.options.clientId,
				clientSecret: env.sandbox.options.clientSecret,
				scimBasePath: '/scim/v2',
				protectedAccounts: 'break.glass@acme.example\nsvc-intranet',
				protectedGroup: 'Plek Admins',
			},
		},
	]);
	const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
	env.sandbox.load({
		users: [
			{ schemas: [core], id: 'u-admin', userName: 'Break.Glass@acme.example', active: true },
			{ schemas: [core], id: 'u-owner', userName: 'owner@acme.example', externalId: 'E-1', active: true },
			{ schemas: [core], id: 'u-ben', userName: 'ben@acme.example', externalId: 'E-2', active: true },
		],
		groups: [{ displayName: 'Plek Admins', members: [{ value: 'u-owner' }] }],
	});
	env.sandbox.resetCounters();

	const deactivate = (id: string, user: { mode: string; value: string }): WorkflowJson => ({
		id,
		name: `Deactivate ${user.value}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-t`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-d`,
				name: 'Deactivate',
				type: 'n8n-nodes-plek.plek',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'user', operation: 'deactivate', user: { __rl: true, ...user } },
				credentials: { plekApi: protectedCredential },
			},
		],
		connections: { Start: { main: [[{ node: 'Deactivate', type: 'main', index: 0 }]] } },
	});

	const byName = await env.n8n.execute(await env.n8n.importWorkflow(deactivate('PlekE2eProtect01', { mode: 'userName', value: ' BREAK.GLASS@acme.example ' })));
	expect(byName.ok).toBe(false);
	expect(byName.errorMessage).toBe('Deactivate refused: "Break.Glass@acme.example" is a protected account (its userName is on the credential\'s Protected Accounts)');
	const byGroup = await env.n8n.execute(await env.n8n.importWorkflow(deactivate('PlekE2eProtect02', { mode: 'externalId', value: 'E-1' })));
	expect(byGroup.ok).toBe(false);
	expect(byGroup.errorMessage).toBe('Deactivate refused: "owner@acme.example" is a protected account (it is a member of the credential\'s Protected Group "Plek Admins")');
	expect(env.sandbox.counters().byRoute['PATCH /scim/v2/Users/:id']).toBeUndefined();

	const other = await env.n8n.execute(await env.n8n.importWorkflow(deactivate('PlekE2eProtect03', { mode: 'externalId', value: 'E-2' })));
	expectOk(other);
	expect(env.sandbox.users().map((u) => [u.id, u.active]).sort()).toEqual([
		['u-admin', true],
		['u-ben', false],
		['u-owner', true],
	]);
});
