/**
 * Runtime smoke test: n8n 2.x on Node 24 imports and executes a workflow with expressions, and loads this package
 * as a community package. Fails fast (before the template tests) when the runtime itself is broken.
 */
import { createServer, Server } from 'node:net';

import { expectOk } from './lib/assert';
import { startEditor } from '../../scripts/lib/editor';
import { E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { N8nInstance } from '../../scripts/lib/n8n';
import { freePort, isPortFree } from '../../scripts/lib/ports';
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

/** Listens on the port (as another n8n would) unless something already does; returns the server to close, if any. */
async function hold(port: number): Promise<Server | undefined> {
	if (!(await isPortFree(port))) return undefined; // another n8n (or anything) holds it already: just as good
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '0.0.0.0', () => resolve());
	});
	return server;
}

test("runs beside another n8n: with n8n's default ports 5678/5679 taken, an editor and an execution run at the same time", async () => {
	const held = await Promise.all([hold(5678), hold(5679)]);
	const other = N8nInstance.create(env.runtime);
	const editor = await startEditor({ ...env, n8n: other }, { port: await freePort() });
	try {
		expect(await isPortFree(5679)).toBe(false);
		const id = await env.n8n.importWorkflow(smokeWorkflow('plekSmokeBeside1'));
		const result = await env.n8n.execute(id);
		expectOk(result);
		expect(result.stderr + result.stdout).not.toMatch(/already in use/i);
		expect(result.output('Set')[0]).toEqual([{ sum: 42, greeting: 'hello plek', upper: 'PLEK' }]);
		// The editor kept running through the execution (its own task broker port, not 5679).
		expect(editor.process.exitCode).toBeNull();
		expect((await fetch(`${editor.url}/healthz/readiness`)).ok).toBe(true);
	} finally {
		await editor.stop();
		other.cleanup();
		for (const server of held) server?.close();
	}
});
