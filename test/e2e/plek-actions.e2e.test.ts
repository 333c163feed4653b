/**
 * The Plek node (single actions) in real n8n against the sandbox: the example workflow creates a user, gets it by
 * externalId (escaped filter), adds it to a group and deactivates it. Deactivate never deletes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expectOk } from './lib/assert';
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { REPO_DIR } from '../../scripts/lib/n8n';
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
