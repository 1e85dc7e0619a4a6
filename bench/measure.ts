/**
 * A small, dependency-free micro-benchmark harness shared by the benches.
 *
 * How a figure is taken:
 *   1. warm-up: the function runs for `warmupMs` (at most `maxWarmupIterations`
 *      calls) so the JIT has compiled it; the warm-up also calibrates a batch
 *      size so the clock is read about every `roundMs / 50`, not every call;
 *   2. `rounds` timed rounds: each runs whole batches until `roundMs` has
 *      passed or `maxIterationsPerRound` calls were made, whichever comes
 *      first (every loop is bounded by count AND time);
 *   3. the figure is the median round's time per call; min and max are kept
 *      so a noisy run shows itself.
 *
 * `measureEach` interleaves the rounds of several cases (A B A B ...), so two
 * figures meant to be compared (a ratio) see the same machine state.
 *
 * Functions are synchronous. Their return values are kept in a sink so the
 * engine cannot discard the work as dead code. Timing uses
 * `performance.now()`, which Node and browsers both provide.
 */

export interface MeasureOptions {
  /** Timed rounds; the median is reported. Default 7. */
  rounds?: number;
  /** Target length of one timed round, in milliseconds. Default 200. */
  roundMs?: number;
  /** Warm-up length per case, in milliseconds. Default 200. */
  warmupMs?: number;
  /** Hard cap on calls in one timed round. Default 10 000 000. */
  maxIterationsPerRound?: number;
  /** Hard cap on warm-up calls. Default 10 000 000. */
  maxWarmupIterations?: number;
}

export interface Measurement {
  name: string;
  /** Calls per second at the median round. */
  opsPerSec: number;
  /** Nanoseconds per call at the median round (and the fastest/slowest rounds). */
  medianNs: number;
  minNs: number;
  maxNs: number;
  /** Timed rounds taken (the median is over these). */
  samples: number;
  /** Calls made across all timed rounds. */
  iterations: number;
}

/** A benchmark case: a name and the synchronous work for one call. */
export interface BenchCase<T = unknown> {
  name: string;
  fn: () => T;
}

const DEFAULTS: Required<MeasureOptions> = {
  rounds: 7,
  roundMs: 200,
  warmupMs: 200,
  maxIterationsPerRound: 10_000_000,
  maxWarmupIterations: 10_000_000,
};

/** Results land here so no call is dead code; read only to defeat elimination. */
let sink: unknown;

/** Runs `fn` in batches until `ms` elapsed or `maxCalls` made; returns calls and elapsed ms. */
function runFor(fn: () => unknown, batch: number, ms: number, maxCalls: number): {calls: number; elapsed: number} {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms && calls < maxCalls) {
    const n = Math.min(batch, maxCalls - calls);
    for (let i = 0; i < n; i++) sink = fn();
    calls += n;
    elapsed = performance.now() - start;
  }
  return {calls, elapsed};
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Measures several cases with interleaved rounds. Results come back in the
 * order of `cases`.
 */
export function measureEach(cases: readonly BenchCase[], options: MeasureOptions = {}): Measurement[] {
  const o = {...DEFAULTS, ...options};
  if (o.rounds < 1 || o.roundMs <= 0) throw new RangeError('measure: rounds must be >= 1 and roundMs > 0');

  // Warm up and calibrate: aim to read the clock ~50 times per round.
  const batches = cases.map(({fn}) => {
    const warm = runFor(fn, 1, o.warmupMs, o.maxWarmupIterations);
    const perCallMs = warm.elapsed / Math.max(1, warm.calls);
    return Math.max(1, Math.min(o.maxIterationsPerRound, Math.floor(o.roundMs / 50 / Math.max(perCallMs, 1e-6))));
  });

  const perRoundNs: number[][] = cases.map(() => []);
  const totals = cases.map(() => 0);
  for (let r = 0; r < o.rounds; r++) {
    cases.forEach(({fn}, i) => {
      const {calls, elapsed} = runFor(fn, batches[i]!, o.roundMs, o.maxIterationsPerRound);
      perRoundNs[i]!.push((elapsed * 1e6) / calls);
      totals[i]! += calls;
    });
  }

  return cases.map(({name}, i) => {
    const sorted = [...perRoundNs[i]!].sort((a, b) => a - b);
    const medianNs = median(sorted);
    return {
      name,
      opsPerSec: 1e9 / medianNs,
      medianNs,
      minNs: sorted[0]!,
      maxNs: sorted[sorted.length - 1]!,
      samples: sorted.length,
      iterations: totals[i]!,
    };
  });
}

/** Measures one synchronous function; see the module comment for the method. */
export function measure<T>(name: string, fn: () => T, options: MeasureOptions = {}): Measurement {
  return measureEach([{name, fn}], options)[0]!;
}

/** The last value a measured function returned (keeps the sink observable). */
export function lastResult(): unknown {
  return sink;
}
