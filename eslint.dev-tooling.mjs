// ESLint config for the dev tooling (test/, sandbox/, bench/, scripts/): code that runs only in Node on a developer's
// or CI's machine and never ships, so it may use process, timers, console, fs and child processes. Each of those
// folders has an eslint.config.mjs that re-exports this one. ESLint finds it because the lint scripts set
// ESLINT_FLAGS=unstable_config_lookup_from_file (ESLint 10's default): every file gets the config nearest to it.
// The root eslint.config.mjs stays n8n's default, as `n8n-node lint` in strict mode requires, and covers the
// shipped code (credentials, nodes, core, transport) and package.json.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config({
	files: ['**/*.ts'],
	extends: [js.configs.recommended, tseslint.configs.recommended],
	rules: {
		'@typescript-eslint/no-explicit-any': 'off',
		'@typescript-eslint/no-require-imports': 'off',
	},
});
