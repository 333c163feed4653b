// Mutation testing of the planner (`npm run test:mutation`, Node 22+: run through scripts/n8n-runtime.sh).
// Mutates core/sync/planner/ and runs only the planner's unit tests against each mutant (per-test coverage,
// jest's related-tests lookup). Message strings are excluded: a changed wording is not a changed decision.
// Not part of CI (minutes on 2 cores); the last score is in the README and the core note.
export default {
	testRunner: 'jest',
	plugins: ['@stryker-mutator/jest-runner'],
	mutate: ['core/sync/planner/**/*.ts'],
	jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
	coverageAnalysis: 'perTest',
	mutator: { excludedMutations: ['StringLiteral'] },
	ignoreStatic: true,
	concurrency: 2,
	timeoutMS: 20000,
	thresholds: { high: 90, low: 85, break: 85 },
	reporters: ['clear-text', 'progress', 'json'],
	jsonReporter: { fileName: 'reports/mutation/planner.json' },
	// Incremental: a second run re-tests only mutants whose code or covering tests changed.
	incremental: true,
	incrementalFile: 'reports/mutation/stryker-incremental.json',
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
