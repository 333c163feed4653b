// Tooling boundaries: scripts/ (npm run demo, npm start) and bench/ are product tooling and must run from a checkout
// without the test suite; the shared harness (real n8n, sandbox wiring, LDAP, HR API, SMTP) lives in scripts/lib/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (name === 'node_modules' || name === 'results') return [];
		if (statSync(path).isDirectory()) return sources(path);
		return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
	});
}

/** Relative module specifiers of import/require/export-from statements, resolved against the file's folder. */
function relativeImports(file: string, code: string): string[] {
	const specifiers = [...code.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
	return specifiers.map((spec) => relative(root, resolve(dirname(file), spec)));
}

it('finds relative imports in every form the tooling uses', () => {
	const file = join(root, 'scripts', 'x.ts');
	const code = `import { a } from '../test/e2e/lib/n8n';\nexport * from "./lib/ports";\nconst b = require('../core/x');\nawait import('../test/y');`;
	expect(relativeImports(file, code)).toEqual(['test/e2e/lib/n8n', 'scripts/lib/ports', 'core/x', 'test/y']);
});

it.each(['scripts', 'bench'])('%s/ never imports from test/', (folder) => {
	const offenders = sources(join(root, folder)).flatMap((file) =>
		relativeImports(file, readFileSync(file, 'utf8'))
			.filter((target) => target === 'test' || target.startsWith('test/'))
			.map((target) => `${relative(root, file)} -> ${target}`),
	);
	expect(offenders).toEqual([]);
});
