// Mocha root hooks for Stryker runs only (stryker.config.mjs, mochaOptions.require).
// After each test, what the relay processes covered is added to that test's
// coverage, so a mutant reached only inside a relay process still gets the
// tests that reach it.
import fc from 'fast-check';
import {collectRelayCoverage} from './relay-processes.mjs';

// One seed for every property: a mutant must meet the inputs whose coverage
// chose its tests in the initial run, or a random input decides its fate.
fc.configureGlobal({seed: 20_240_101});

export const mochaHooks = {
  async afterEach() {
    await collectRelayCoverage();
  },
};
