// Loads bench code the way the package ships it: one esbuild bundle (as gulpfile.js builds each node), so calls
// between our modules are plain calls. Under tsx every cross-module call goes through an export getter the
// shipped dist does not have (~5-10% of the planner's time); the baseline and the measured code are bundled alike.
import { buildSync } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `exports` (an ES module body: `export { planSync } from '../core/sync/planner'`) bundled and loaded. */
export function loadShipped<T>(exports: string): T {
	const built = buildSync({
		stdin: { contents: exports, resolveDir: __dirname, loader: 'ts', sourcefile: 'bench-entry.ts' },
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		write: false,
		logLevel: 'warning',
	});
	const file = join(mkdtempSync(join(tmpdir(), 'plek-bench-')), 'bundle.cjs');
	writeFileSync(file, built.outputFiles[0].contents);
	return require(file) as T;
}
