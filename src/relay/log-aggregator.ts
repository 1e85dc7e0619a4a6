/**
 * Keeps repeated log lines from growing with the traffic that causes them.
 * The first occurrence of a key is written at once (count 1); later ones are
 * counted and written as one line per interval with their count, and what is
 * pending for a connection is written when it closes. So a flood of dropped
 * frames costs a few lines, not one per frame.
 */
type Entry = Record<string, unknown>;

interface Pending {
  entry: Entry;
  count: number;
  group: string | number | undefined;
}

export class LogAggregator {
  /** Keys written or counted in the current interval. */
  readonly #open = new Map<string, Pending>();
  readonly #groups = new Map<string | number, Set<string>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: (entry: object) => void,
    private readonly intervalMs: number,
  ) {}

  /**
   * Logs `entry` (plus a count) under `key`. `group` names the connection it
   * belongs to, so `flush(group)` can close its account when it goes away.
   */
  note(key: string, entry: Entry, group?: string | number): void {
    const open = this.#open.get(key);
    if (open !== undefined) {
      open.count++;
      return;
    }
    this.log({...entry, count: 1});
    this.#open.set(key, {entry, count: 0, group});
    if (group !== undefined) {
      let keys = this.#groups.get(group);
      if (keys === undefined) this.#groups.set(group, (keys = new Set()));
      keys.add(key);
    }
    this.#timer ??= setInterval(() => this.#tick(), this.intervalMs).unref();
  }

  /** Writes what is pending for `group` and forgets it. */
  flush(group: string | number): void {
    const keys = this.#groups.get(group);
    if (keys === undefined) return;
    this.#groups.delete(group);
    for (const key of keys) {
      this.#write(this.#open.get(key));
      this.#open.delete(key);
    }
  }

  /** Writes everything pending and stops the timer. */
  close(): void {
    for (const pending of this.#open.values()) this.#write(pending);
    this.#open.clear();
    this.#groups.clear();
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** End of an interval: counted keys get their line; quiet ones are forgotten, so their next one is written at once. */
  #tick(): void {
    for (const [key, pending] of this.#open) {
      if (pending.count > 0) {
        this.#write(pending);
        pending.count = 0;
        continue;
      }
      this.#open.delete(key);
      if (pending.group !== undefined) this.#groups.get(pending.group)?.delete(key);
    }
    if (this.#open.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #write(pending: Pending | undefined): void {
    if (pending !== undefined && pending.count > 0) this.log({...pending.entry, count: pending.count});
  }
}
