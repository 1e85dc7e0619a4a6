/** Reconnection delays: exponential, capped, with full jitter so peers do not stampede a restarted relay. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {initialMs: 250, maxMs: 10_000, factor: 2};

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt));
  // Never below a tenth of the ceiling: a zero delay would hammer a dead relay.
  return Math.round(ceiling * (0.1 + 0.9 * random()));
}
