/** The planner's unit tests, for `npm run test:mutation` (stryker.config.mjs). */
const base = require('./jest.config.js');

module.exports = {
	...base,
	testMatch: ['<rootDir>/test/sync/planner.test.ts', '<rootDir>/test/sync/planner/**/*.test.ts'],
};
