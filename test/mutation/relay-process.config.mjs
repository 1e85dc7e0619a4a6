// The proof that mutants reach the relay processes the tests start (issue 12):
// src/relay/pairing.ts mutated, and only the session tests run, which reach
// the relay through `moneysocket relay` processes and never call it in-process.
//
//   npx stryker run test/mutation/relay-process.config.mjs
//       relays run src/ (as in every Stryker run): pairing mutants are killed
//   MONEYSOCKET_TEST_RELAY=dist npx stryker run test/mutation/relay-process.config.mjs
//       relays run the compiled dist/, so they never see a mutant: every one survives
//
// Figures in the README ("Mutation testing"). Reports go to reports/mutation/relay-process/.
import base from '../../stryker.config.mjs';

export default {
  ...base,
  // #wait and #pair: what a relay does when a client waits and when its peer arrives.
  mutate: ['src/relay/pairing.ts:258-272'],
  mochaOptions: {...base.mochaOptions, spec: ['test/core/stack/session.test.ts']},
  // The stack and pairing are type-checked by the main run; here only what the relay does matters.
  checkers: [],
  incremental: false,
  ignorePatterns: base.ignorePatterns.filter((p) => p !== 'dist'),
  htmlReporter: {fileName: 'reports/mutation/relay-process/mutation.html'},
  jsonReporter: {fileName: 'reports/mutation/relay-process/mutation.json'},
};
