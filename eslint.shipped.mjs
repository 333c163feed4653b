// ESLint config for the shipped code in core/, transport/ and nodes/: n8n's default config (the root
// eslint.config.mjs, which `n8n-node lint` in strict mode requires unchanged) plus one rule, import-x/no-cycle, so an
// import cycle fails `npm run lint` and with it `npm test`. Each of those folders has an eslint.config.mjs that
// calls shippedConfig with its own name; ESLint finds it because the lint scripts set
// ESLINT_FLAGS=unstable_config_lookup_from_file, and a config's file patterns are relative to its folder, so n8n's
// `./nodes/**` patterns are rewritten to match from inside that folder.
import { config } from '@n8n/node-cli/eslint';

/** n8n's config as seen from `folder`, with import cycles as errors. */
export function shippedConfig(folder, extra = []) {
	const prefix = `./${folder}/`;
	const local = config.map((entry) =>
		entry.files ? { ...entry, files: entry.files.map((pattern) => (pattern.startsWith(prefix) ? `./${pattern.slice(prefix.length)}` : pattern)) } : entry,
	);
	return [
		...local,
		{
			files: ['**/*.ts'],
			// import-x reads a dependency only when it knows the file type: without these, .ts imports are never followed.
			settings: { 'import-x/extensions': ['.ts', '.js'], 'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] } },
			rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
		},
		...extra,
	];
}
