/** The planner's unit tests (its rules and its life-cycle rules), for `npm run test:mutation` (stryker.config.mjs). */
const base = require('./jest.config.js');

module.exports = {
	...base,
	// lifecycle.test.ts is the planner's too (protected accounts, fingerprint, approval: planner/lifecycle.ts and friends).
	testMatch: ['<rootDir>/test/sync/planner.test.ts', '<rootDir>/test/sync/planner/**/*.test.ts', '<rootDir>/test/sync/lifecycle.test.ts'],
};
