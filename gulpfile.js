// Build steps after `tsc`: copy node/credential icons and codex files into dist, then bundle the runtime
// libraries the nodes need (jsonata) into each entry file, so the published package has no runtime
// `dependencies` and passes n8n's community-package verification.
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
				sourcemap: false,
				logLevel: 'warning',
			}),
		),
	);
}

exports.build = series(copyAssets, bundleRuntimeLibraries);
exports.default = exports.build;
