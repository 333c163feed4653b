/**
 * Runtime smoke test: n8n 2.x on Node 24 imports and executes a workflow with expressions, and loads this package
 * as a community package. Fails fast (before the template tests) when the runtime itself is broken.
 */
import { expectOk } from './lib/assert';
import { E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { smokeWorkflow } from '../../scripts/lib/workflows';

let env: E2eEnvironment;

beforeAll(async () => {
	env = await startEnvironment({ ldap: false, hrApi: false });
});

afterAll(async () => {
	await env?.close();
});

test('n8n executes a Manual Trigger -> Set workflow with expressions on Node 24', async () => {
	const id = await env.n8n.importWorkflow(smokeWorkflow('plekSmokeTest01'));
	const result = await env.n8n.execute(id);
	expectOk(result);
	const [items] = result.output('Set');
	expect(items).toEqual([{ sum: 42, greeting: 'hello plek', upper: 'PLEK' }]);
});

test('the package is installed as a community package: the Plek Mapper runs in n8n', async () => {
	const workflow = smokeWorkflow('plekSmokeMapper1');
	workflow.name = 'Runtime smoke test: Plek Mapper';
	workflow.nodes.push({
		id: 'a3',
		name: 'Plek Mapper',
		type: 'n8n-nodes-plek.plekMapper',
		typeVersion: 1,
		position: [440, 0],
		parameters: {
			mode: 'fields',
			mappingKey: "'key-' & $string(sum)",
			userName: "'someone@example.com'",
			active: 'true',
			profileFields: { field: [{ path: 'title', expression: 'upper', apply: 'always' }] },
			groupRules: { rule: [{ group: 'All staff', condition: 'true' }] },
			options: {},
		},
	});
	workflow.connections.Set = { main: [[{ node: 'Plek Mapper', type: 'main', index: 0 }]] };
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(workflow.id!);
	expectOk(result);
	const [users, invalid] = result.output('Plek Mapper');
	expect(invalid).toEqual([]);
	expect(users).toEqual([
		expect.objectContaining({ key: 'key-42', userName: 'someone@example.com', active: true, groups: ['All staff'] }),
	]);
	expect(users[0].profile).toMatchObject({ title: 'PLEK' });
});
