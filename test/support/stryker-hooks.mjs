// Mocha root hooks for Stryker runs only (stryker.config.mjs, mochaOptions.require).
// After each test, what the relay processes covered is added to that test's
// coverage, so a mutant reached only inside a relay process still gets the
// tests that reach it.
import {collectRelayCoverage} from './relay-processes.mjs';

export const mochaHooks = {
  async afterEach() {
    await collectRelayCoverage();
  },
};
