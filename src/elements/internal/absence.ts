/**
 * Tells when a consumer has waited at the relay longer than it should for
 * its provider: once per absence, which lasts from the first wait until a
 * provider answers or the connection is closed. Relays drop idle clients, so
 * an absence spans the reconnections in between.
 */
import type {StackState} from '../../core/stack/stack.js';

/** Timers take 32-bit delays; a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class AbsenceWatch {
  readonly #absent: (waitedMs: number) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #watching = false;

  constructor(absent: (waitedMs: number) => void) {
    this.#absent = absent;
  }

  /** Follows the stack's state; `afterMs` (0 or less: never) is read when an absence starts. */
  follow(state: StackState, afterMs: number): void {
    if (state === 'handshaking' || state === 'connected' || state === 'disconnected') return this.stop();
    if (state !== 'waiting-for-peer' || this.#watching) return;
    this.#watching = true;
    if (!(afterMs > 0)) return;
    const delay = Math.min(afterMs, MAX_DELAY_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#absent(delay);
    }, delay);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watching = false;
  }
}
