// Runs a benchmark as n8n runs the package: bundled into one file by esbuild with the options gulpfile.js uses for
// each node (platform node, target node20, CommonJS, everything inlined but n8n-workflow), instead of tsx's
// per-module transform, which turns every call into another module into a getter call the shipped bundle does not
// make. The benchmark's baselines are in the same bundle, so the node and its baselines run the same compiled jsonata.
// The one option left out is gulpfile's `inject` shim (it only exists for n8n's scanner): it would replace `global`,
// and with it `global.gc` the benchmark calls between rounds. runBundled runs a whole bench in a child; loadBundled
// loads a bundle of some exports into this process.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { buildSync, type BuildOptions } from 'esbuild';

const SHIPPED: BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['n8n-workflow'], logLevel: 'warning' };

/** Bundles `entry`, runs it in a child `node --expose-gc` (stdio and environment inherited) and exits with its status. */
export function runBundled(entry: string): never {
	// Next to the entry, so the bundle's __dirname is the entry's folder (templates/ and results/ are found from it).
	const outfile = join(dirname(entry), `.${basename(entry, '.ts')}.bundle.cjs`);
	buildSync({ ...SHIPPED, entryPoints: [entry], outfile });
	let status: number;
	try {
		const child = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
		status = child.status ?? 1;
	} finally {
		rmSync(outfile, { force: true });
	}
	process.exit(status);
}

/**
 * The module `exports` (an ES module body such as `export { planSync } from '../core/sync/planner'`, paths from
 * bench/) bundled the same way and loaded into this process, for benchmarks that measure in-process.
 */
export function loadBundled<T>(exports: string, name: string): T {
	const outfile = join(__dirname, `.${name}.bundle.cjs`);
	buildSync({ ...SHIPPED, stdin: { contents: exports, resolveDir: __dirname, loader: 'ts', sourcefile: `${name}.ts` }, outfile });
	try {
		return require(outfile) as T;
	} finally {
		rmSync(outfile, { force: true });
	}
}
