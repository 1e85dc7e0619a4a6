// StrykerJS: mutation testing of the safety-critical modules (issue 12).
// `npm run mutation` runs it through scripts/mutation.mjs, which also records
// the content hash of every mutated file so `npm test` can tell when the
// committed report has gone stale (scripts/mutation-check.mjs).

/** The modules whose bugs cost money or safety; keep in step with the README. */
export const MUTATE = [
  'src/core/stack/**/*.ts',
  'src/core/frame.ts',
  'src/core/beacon.ts',
  'src/core/bigsize.ts',
  'src/core/tlv.ts',
  'src/core/bolt11.ts',
  'src/core/wad.ts',
  'src/core/message-codec.ts',
  'src/core/message-types.ts',
  'src/relay/pairing.ts',
  'src/elements/internal/budget.ts',
];

/**
 * The Node tests that exercise those modules, fast unit tests first so that a
 * mutant is usually killed (and the run bails) before the slower session
 * tests. The CLI, bench and demo tests run `dist/` or Chromium and add nothing.
 */
export const SPEC = [
  'test/core/*.test.ts',
  'test/elements/budget.test.ts',
  'test/relay/pairing*.test.ts',
  'test/relay/relay.test.ts',
  'test/testing/**/*.test.ts',
  'test/core/stack/**/*.test.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  mutate: MUTATE,
  mochaOptions: {
    spec: SPEC,
    // Reports what the relay processes started by the tests covered (test/support/relay-processes.mjs).
    require: ['test/support/stryker-hooks.mjs'],
  },
  // .mocharc.json's `node-option import=tsx/esm` only applies to the mocha CLI; Stryker's workers load mocha directly.
  testRunnerNodeArgs: ['--import', 'tsx/esm'],
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: {prioritizePerformanceOverAccuracy: true},
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'progress', 'clear-text'],
  htmlReporter: {fileName: 'reports/mutation/mutation.html'},
  jsonReporter: {fileName: 'reports/mutation/mutation.json'},
  // Build output: stale in the sandbox, whose sources are instrumented (the relay CLI test rebuilds it there).
  ignorePatterns: ['dist', 'reports', '.build', 'demo/.build', 'test-results', '.size-tmp', '.cem-check'],
  concurrency: 2,
  // Stryker's estimate of a run counts the tests, not their hooks, and the session tests spend
  // most of their time in hooks (relay processes, disconnects): a survivor covered by them ran
  // past a 10 s margin on a loaded machine and was wrongly counted as a timeout (detected).
  // Real infinite loops end sooner, by the hit limit.
  timeoutMS: 60000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: {high: 90, low: 80, break: null},
};
