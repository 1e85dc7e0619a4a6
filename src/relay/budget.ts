/**
 * A token bucket: `burst` events at once, then one more every `refillMs`.
 * The relay gives each connection one for frames it cannot use, so a client
 * that errs now and then is forgiven and one that floods is cut off.
 */
export class Budget {
  #tokens: number;
  #last: number;

  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private readonly now: () => number,
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Spends one token; false when none is left (the caller should stop the spender). */
  take(): boolean {
    const now = this.now();
    if (this.refillMs > 0) {
      this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#last) / this.refillMs);
    }
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
