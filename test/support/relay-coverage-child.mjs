// Loaded with `--import` into a relay process started from src/ under Stryker
// (relay-processes.mjs). Stryker only sees the coverage of its own worker, so
// this hands the relay's coverage to the parent when asked, and keeps an
// orphaned or runaway relay from outliving the test that started it.

/** Hits of the active mutant before it throws: breaks an infinite loop a mutant put in the relay. */
const HIT_LIMIT = 10_000_000;

const ns = (globalThis.__stryker__ ??= {});
if (ns.activeMutant !== undefined || process.env.__STRYKER_ACTIVE_MUTANT__) {
  ns.hitLimit = HIT_LIMIT;
  ns.hitCount = 0;
}

if (process.send) {
  process.on('message', (message) => {
    if (message !== 'stryker-coverage') return;
    const coverage = ns.mutantCoverage;
    // The instrumented code keeps a reference to `mutantCoverage`, so swap its field, not the object.
    const counts = coverage?.static ?? {};
    if (coverage) coverage.static = {};
    process.send({strykerCoverage: counts});
  });
  // The parent went away (a Stryker worker killed on a timeout): do not linger.
  process.on('disconnect', () => process.exit(1));
  // The channel alone must not keep the relay alive after SIGTERM.
  process.channel?.unref();
}
