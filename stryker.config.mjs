// StrykerJS: mutation testing of the safety-critical modules (issue 12).
// `npm run mutation` runs it through scripts/mutation.mjs, which also records
// the content hash of every mutated file so `npm test` can tell when the
// committed report has gone stale (scripts/mutation-check.mjs).

import {readdirSync} from 'node:fs';

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
 * tests: mocha runs a mutant's tests in this order. The CLI, bench and demo
 * tests run `dist/` or Chromium and add nothing.
 */
export const SPEC = [
  'test/core/*.test.ts',
  'test/elements/budget.test.ts',
  'test/relay/pairing*.test.ts',
  ...stackTests(),
  'test/relay/relay.test.ts',
  'test/testing/**/*.test.ts',
];

/** The stack tests (`.node.ts`: Node only, not run in the browser): the in-memory ones (fake clock, no processes) first, those with relay processes last. */
function stackTests() {
  const first = ['mutants-', 'money', 'timers', 'hostile-provider', 'provider-memory', 'backend', 'properties'];
  const rank = (name) => {
    const i = first.findIndex((prefix) => name.startsWith(prefix));
    return i < 0 ? first.length : i;
  };
  return readdirSync(new URL('test/core/stack/', import.meta.url))
    .filter((name) => name.endsWith('.test.ts') || name.endsWith('.node.ts'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => `test/core/stack/${name}`);
}

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
