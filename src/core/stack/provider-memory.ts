/**
 * What a provider remembers between requests, and (given a storage) between
 * page loads and restarts: the payment ledger, the replay guard's seen
 * uuids, and the outbox of answers to re-deliver.
 */
import type {MoneysocketError} from '../errors.js';
import {Outbox} from './outbox.js';
import {PaymentLedger} from './payment-ledger.js';
import {ReplayGuard} from './replay-guard.js';
import {StoredValue, type KeyValueStorage} from './storage.js';

export interface ProviderMemoryOptions {
  /**
   * Keeps the payment ledger, the replay memory and undelivered answers
   * (`localStorage`, `sessionStorage` or your own). Without it they live as
   * long as the stack: a restarted provider then relies on the replay window
   * alone to refuse replayed requests.
   */
  storage?: KeyValueStorage;
  /** Prefix of the storage keys; give each provider sharing a storage its own. Default `moneysocket-provider`. */
  storageKey?: string;
  /** Requests stamped further than this from the provider's clock are refused. Default 10 minutes. */
  replayWindowMs?: number;
  /** Answers to payments kept for re-delivery, per consumer and in age. Defaults 100 and 1 hour. */
  outbox?: {maxPerConsumer?: number; maxAgeMs?: number};
}

export const DEFAULT_REPLAY_WINDOW_MS = 10 * 60 * 1000;

export class ProviderMemory {
  readonly ledger: PaymentLedger;
  readonly replay: ReplayGuard;
  readonly outbox: Outbox;

  constructor(options: ProviderMemoryOptions, onError: (error: MoneysocketError) => void) {
    const now = () => Date.now();
    const prefix = options.storageKey ?? 'moneysocket-provider';
    const stored = <T>(name: string) => (options.storage === undefined ? undefined : new StoredValue<T>(options.storage, `${prefix}:${name}`, onError));
    this.ledger = new PaymentLedger(stored('ledger'), {maxEntries: 10_000, now});
    this.replay = new ReplayGuard(stored('replay'), {windowMs: options.replayWindowMs ?? DEFAULT_REPLAY_WINDOW_MS, maxEntries: 100_000, now});
    this.outbox = new Outbox(stored('outbox'), {
      maxPerConsumer: options.outbox?.maxPerConsumer ?? 100,
      maxConsumers: 20,
      maxAgeMs: options.outbox?.maxAgeMs ?? 60 * 60 * 1000,
      now,
    });
  }
}
