/**
 * Answers to payments kept for the consumer they belong to (by rendezvous id,
 * that is by beacon), so that an answer lost with a dropped connection is
 * delivered after the next handshake. v0 has no acknowledgements: a send that
 * seemed to work may still be lost with the relay, so each answer goes out
 * twice in all (once more after the next handshake), and consumers ignore
 * the copy they already have.
 */
import {recordPairs, type StoredValue} from './storage.js';

export interface OutboxOptions {
  /** Answers kept per consumer; the oldest go first. */
  maxPerConsumer: number;
  /** Consumers (beacons) remembered. */
  maxConsumers: number;
  maxAgeMs: number;
  now: () => number;
}

interface Entry {
  message: Record<string, unknown>;
  at: number;
  /** Times it went out on a socket that looked open. */
  sends: number;
}

const SENDS = 2;

type Stored = [string, {entries: Entry[]}][];

export class Outbox {
  readonly #byConsumer: Map<string, Entry[]>;
  readonly #store: StoredValue<Stored> | undefined;
  readonly #options: OutboxOptions;

  constructor(store: StoredValue<Stored> | undefined, options: OutboxOptions) {
    this.#store = store;
    this.#options = options;
    // What was stored under larger limits is held to these at once, not only at the next add().
    const stored = lastOf(store?.read(parseOutbox, []) ?? [], options.maxConsumers);
    this.#byConsumer = new Map(stored.map(([id, {entries}]) => [id, lastOf(entries, options.maxPerConsumer)]));
  }

  /** Keeps an answer; `sent` says whether it already went out once. */
  add(consumer: string, message: object, sent: boolean): void {
    const entries = this.#fresh(consumer);
    entries.push({message: {...message}, at: this.#options.now(), sends: sent ? 1 : 0});
    if (entries.length > this.#options.maxPerConsumer) entries.splice(0, entries.length - this.#options.maxPerConsumer);
    this.#byConsumer.delete(consumer); // re-insert: the map's order is least recently used first
    this.#byConsumer.set(consumer, entries);
    while (this.#byConsumer.size > this.#options.maxConsumers) this.#byConsumer.delete(this.#byConsumer.keys().next().value!);
    this.#save();
  }

  /** Sends this consumer's answers that are due again, oldest first; `send` says whether one went out. */
  flush(consumer: string, send: (message: Record<string, unknown>) => boolean): void {
    const entries = this.#fresh(consumer);
    let changed = false;
    for (const entry of entries) {
      if (entry.sends >= SENDS || !send(entry.message)) continue;
      entry.sends++;
      changed = true;
    }
    if (!changed) return;
    this.#byConsumer.set(consumer, entries);
    this.#save();
  }

  /** The answers still due to this consumer, oldest first. */
  pending(consumer: string): Record<string, unknown>[] {
    return this.#fresh(consumer).filter((entry) => entry.sends < SENDS).map((entry) => entry.message);
  }

  #fresh(consumer: string): Entry[] {
    const oldest = this.#options.now() - this.#options.maxAgeMs;
    return (this.#byConsumer.get(consumer) ?? []).filter((entry) => entry.at > oldest);
  }

  #save(): void {
    this.#store?.write([...this.#byConsumer].map(([id, entries]) => [id, {entries}]));
  }
}

/** The last `n` items (the newest: the stored map is least recently used first, entries oldest first). */
function lastOf<T>(items: T[], n: number): T[] {
  return items.slice(Math.max(0, items.length - n));
}

function parseOutbox(value: unknown): Stored | undefined {
  return recordPairs(value)?.flatMap(([id, record]) => {
    const entries = record['entries'];
    if (!Array.isArray(entries)) return [];
    const valid = entries.filter((e): e is Entry => typeof e === 'object' && e !== null && typeof e.at === 'number' && typeof e.sends === 'number' && typeof e.message === 'object' && e.message !== null);
    return [[id, {entries: valid}]] as Stored;
  });
}
