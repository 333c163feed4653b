// The published package as n8n's community-package checks see it: run after `npm run build` (npm test does).
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

import { runNode } from './support/nodeHarness';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries: string[] = [...pkg.n8n.credentials, ...pkg.n8n.nodes];

beforeAll(() => {
	if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});

it('has no runtime dependencies and only n8n-workflow as a peer', () => {
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.files).toEqual(['dist']);
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.main).toBeUndefined(); // nothing to point at: n8n loads the files listed in the n8n section
	expect(pkg.license).toBe('MIT');
	expect(readFileSync(join(root, 'LICENSE.md'), 'utf8')).toMatch(/^MIT License/);
	for (const script of ['prepare', 'postinstall', 'preinstall', 'install']) expect(pkg.scripts[script]).toBeUndefined();
});

it('lists the credential and all three nodes, each built into dist', () => {
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/PlekApi.credentials.js']);
	expect([...pkg.n8n.nodes].sort()).toEqual(
		['dist/nodes/Plek/Plek.node.js', 'dist/nodes/PlekMapper/PlekMapper.node.js', 'dist/nodes/PlekSync/PlekSync.node.js'].sort(),
	);
	for (const entry of entries) expect(existsSync(join(root, entry))).toBe(true);
});

it.each(entries)('%s requires nothing but n8n-workflow and Node built-ins (jsonata is bundled)', (entry) => {
	const code = readFileSync(join(root, entry), 'utf8');
	const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
	const allowed = new Set(['n8n-workflow', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
	expect(required.filter((name) => !allowed.has(name))).toEqual([]);
});

it.each(pkg.n8n.nodes as string[])('%s loads, names its type, and ships light and dark icons and a codex file', (entry) => {
	const file = join(root, entry);
	const exported = require(file);
	const [NodeClass] = Object.values(exported) as Array<new () => { description: { name: string; icon: { light: string; dark: string } } }>;
	const node = new NodeClass();
	const dir = join(file, '..');
	expect(node.description.icon).toEqual({ light: 'file:plek.svg', dark: 'file:plek.dark.svg' });
	expect(existsSync(join(dir, 'plek.svg'))).toBe(true);
	expect(existsSync(join(dir, 'plek.dark.svg'))).toBe(true);
	const codex = JSON.parse(readFileSync(file.replace(/\.js$/, '.json'), 'utf8'));
	expect(codex.node).toBe(`n8n-nodes-plek.${node.description.name}`);
});

it('the built Mapper evaluates JSONata with the jsonata bundled into it', async () => {
	const { PlekMapper } = require(join(root, 'dist/nodes/PlekMapper/PlekMapper.node.js'));
	const run = await runNode(new PlekMapper(), {
		parameters: { mode: 'fields', mappingKey: "$uppercase(id)", userName: 'mail', active: 'true' },
		input: [{ id: 'abc', mail: 'a@acme.example' }],
	});
	expect(run.json(0)).toEqual([expect.objectContaining({ key: 'ABC', userName: 'a@acme.example', active: true })]);
});

it("the built Mapper's bundled jsonata still reaches Buffer without Node's global (n8n's scanner forbids it)", async () => {
	const { PlekMapper } = require(join(root, 'dist/nodes/PlekMapper/PlekMapper.node.js'));
	expect(readFileSync(join(root, 'dist/nodes/PlekMapper/PlekMapper.node.js'), 'utf8')).toMatch(/global = \{ Buffer \}/);
	const run = await runNode(new PlekMapper(), {
		parameters: { mode: 'fields', mappingKey: "$base64decode($base64encode(id)) & '-' & $base64encode(id)", userName: 'mail', active: 'true' },
		input: [{ id: 'abc', mail: 'a@acme.example' }],
	});
	expect(run.json(0)).toEqual([expect.objectContaining({ key: 'abc-YWJj' })]);
});
