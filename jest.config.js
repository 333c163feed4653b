/** Unit and integration tests (fast). The real-n8n end-to-end suite lives in test/e2e and runs with `npm run test:e2e`. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/queue/', '<rootDir>/test/reliability/'],
	transform: {
		// Type checking is done once by `npm run typecheck`; transpiling only keeps jest fast on 2 cores.
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	testTimeout: 60000,
};
