/**
 * `npm run test:reliability`: the fault soak, bad servers, and (with n8n) crash/overlap, hostile input and secrets.
 * Needs `npm run build` for the real-n8n files. Short by default; PLEK_RELIABILITY_LONG=1 runs the long variant.
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	maxWorkers: 1,
	testTimeout: 600000,
	verbose: true,
};
