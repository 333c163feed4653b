/**
 * The real-n8n end-to-end suite: `npm run test:e2e` (after `npm run build`). Provisions n8n 2.x on Node 24 through
 * scripts/n8n-runtime.sh (cached outside the repo), starts the Plek sandbox, an OpenLDAP server playing Active
 * Directory and a small HR API on loopback, and runs the templates through `n8n execute`.
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/**/*.e2e.test.ts'],
	// Downloads the runtime (once) and installs slapd when missing, before any test timeout starts.
	globalSetup: '<rootDir>/global-setup.ts',
	testSequencer: '<rootDir>/sequencer.js',
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	// One n8n at a time: each execution is a Node 24 process with n8n's full start-up.
	maxWorkers: 1,
	testTimeout: 600000,
	verbose: true,
};
