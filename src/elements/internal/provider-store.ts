/**
 * What `<ms-provider persist>` keeps besides the stack's own memory: the
 * beacon it serves (and the relay it was made for, when generated), the
 * account uuid the app sees, and the spending budget's window.
 */
import {decodeBeacon} from '../../core/beacon.js';
import type {MoneysocketError} from '../../core/errors.js';
import type {KeyValueStorage} from '../../core/stack/storage.js';
import type {StoredSpend} from './budget.js';
import {fields, StoredRecord} from './persist.js';

export interface ProviderSession {
  beacon: string;
  /** The relay the beacon was generated for; absent for a beacon the page gave. */
  relay?: string;
  accountUuid: string;
}

export class ProviderStore {
  readonly #session: StoredRecord<ProviderSession>;
  readonly #budget: StoredRecord<StoredSpend[]>;

  constructor(storage: KeyValueStorage, prefix: string, onError: (error: MoneysocketError) => void) {
    this.#session = new StoredRecord(storage, `${prefix}:session`, onError);
    this.#budget = new StoredRecord(storage, `${prefix}:budget`, onError);
  }

  readSession(): ProviderSession | undefined {
    return this.#session.read(session);
  }

  writeSession(value: ProviderSession): void {
    this.#session.write(value);
  }

  /** The stored spends, unchecked: the budget reads what it can. */
  readBudget(): unknown {
    return this.#budget.read((value) => (Array.isArray(value) ? (value as StoredSpend[]) : undefined));
  }

  writeBudget(spends: StoredSpend[]): void {
    this.#budget.write(spends);
  }

  clear(): void {
    this.#session.remove();
    this.#budget.remove();
  }
}

function session(value: unknown): ProviderSession | undefined {
  const {beacon, relay, accountUuid} = fields(value) ?? {};
  if (typeof beacon !== 'string' || !decodeBeacon(beacon).ok || typeof accountUuid !== 'string' || accountUuid === '') return undefined;
  if (relay !== undefined && typeof relay !== 'string') return undefined;
  return relay === undefined ? {beacon, accountUuid} : {beacon, relay, accountUuid};
}
