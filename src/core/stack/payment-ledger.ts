/**
 * The provider's record of payments by payment hash: paid (with the
 * preimage), in flight, or ended without a known outcome. Keyed by hash, not
 * request uuid, so no replay, retry or second consumer can make the wallet
 * pay one invoice twice.
 */
import {recordPairs, type StoredValue} from './storage.js';

export type LedgerState = 'paying' | 'paid' | 'unknown';

export interface LedgerEntry {
  state: LedgerState;
  /** Lower-case hex, once paid. */
  preimage?: string;
  /** Forgotten after this (ms since the epoch): past its invoice's expiry nobody can pay it again. */
  keepUntil: number;
}

export interface LedgerOptions {
  maxEntries: number;
  now: () => number;
}

type Stored = [string, LedgerEntry][];

export class PaymentLedger {
  readonly #entries: Map<string, LedgerEntry>;
  readonly #store: StoredValue<Stored> | undefined;
  readonly #options: LedgerOptions;

  constructor(store: StoredValue<Stored> | undefined, options: LedgerOptions) {
    this.#store = store;
    this.#options = options;
    this.#entries = new Map(store?.read(parseLedger, []) ?? []);
  }

  get(paymentHash: string): LedgerEntry | undefined {
    const entry = this.#entries.get(paymentHash);
    if (entry !== undefined && entry.keepUntil <= this.#options.now()) {
      this.#entries.delete(paymentHash);
      return undefined;
    }
    return entry;
  }

  /** Records a payment about to start; false if the hash is already known. */
  begin(paymentHash: string, keepUntil: number): boolean {
    if (this.get(paymentHash) !== undefined) return false;
    this.#prune();
    this.#entries.set(paymentHash, {state: 'paying', keepUntil});
    this.#save();
    return true;
  }

  paid(paymentHash: string, preimage: string): void {
    this.#update(paymentHash, {state: 'paid', preimage});
  }

  unknown(paymentHash: string): void {
    this.#update(paymentHash, {state: 'unknown'});
  }

  /** A definite refusal before any money moved: the invoice may be tried again. */
  release(paymentHash: string): void {
    if (this.#entries.delete(paymentHash)) this.#save();
  }

  get size(): number {
    return this.#entries.size;
  }

  #update(paymentHash: string, change: Pick<LedgerEntry, 'state' | 'preimage'>): void {
    const entry = this.#entries.get(paymentHash);
    if (entry === undefined) return;
    this.#entries.set(paymentHash, {...entry, ...change});
    this.#save();
  }

  /** Drops expired entries, then the soonest-expiring ones past the size bound. */
  #prune(): void {
    const now = this.#options.now();
    for (const [hash, entry] of this.#entries) if (entry.keepUntil <= now) this.#entries.delete(hash);
    const excess = this.#entries.size - this.#options.maxEntries + 1;
    if (excess <= 0) return;
    const soonest = [...this.#entries].sort((a, b) => a[1].keepUntil - b[1].keepUntil).slice(0, excess);
    for (const [hash] of soonest) this.#entries.delete(hash);
  }

  #save(): void {
    this.#store?.write([...this.#entries]);
  }
}

/** A payment in flight when the page or process stopped has an unknown outcome now. */
function parseLedger(value: unknown): Stored | undefined {
  const pairs = recordPairs(value);
  if (pairs === undefined) return undefined;
  const out: Stored = [];
  for (const [hash, record] of pairs) {
    const {state, preimage, keepUntil} = record;
    if (typeof keepUntil !== 'number' || (state !== 'paying' && state !== 'paid' && state !== 'unknown')) continue;
    if (state === 'paid' && typeof preimage === 'string') out.push([hash, {state, preimage, keepUntil}]);
    else if (state !== 'paid') out.push([hash, {state: 'unknown', keepUntil}]);
  }
  return out;
}
