/** `npm run test:queue`: n8n in queue mode (Postgres, Redis, a main, two workers); needs `npm run build` and root. */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	maxWorkers: 1,
	testTimeout: 600000,
	verbose: true,
};
