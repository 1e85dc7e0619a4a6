/**
 * Where a stack keeps what must outlive a page reload or a process restart.
 * The interface is the part of the Web Storage API the stacks use, so
 * `localStorage` and `sessionStorage` fit as they are; a server passes its own.
 */
import {MoneysocketError} from '../errors.js';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A storage that forgets everything when the process ends: the default. */
export class MemoryStorage implements KeyValueStorage {
  readonly #items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }
}

/**
 * One JSON value under one key. Reading tolerates a missing, corrupt or
 * foreign value (it yields the fallback); writing reports a full or refusing
 * store through `onError` and carries on in memory.
 */
export class StoredValue<T> {
  readonly #storage: KeyValueStorage;
  readonly #key: string;
  readonly #onError: (error: MoneysocketError) => void;

  constructor(storage: KeyValueStorage, key: string, onError: (error: MoneysocketError) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#onError = onError;
  }

  read(parse: (value: unknown) => T | undefined, fallback: T): T {
    try {
      const text = this.#storage.getItem(this.#key);
      if (text === null) return fallback;
      return parse(JSON.parse(text)) ?? fallback;
    } catch {
      return fallback;
    }
  }

  write(value: T): void {
    try {
      this.#storage.setItem(this.#key, JSON.stringify(value));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#onError(new MoneysocketError('INVALID_ARGUMENT', `could not save ${this.#key} (${why}); it is kept in memory only`));
    }
  }
}

/** Entries of `value` as [key, record] pairs, when it is an array of such pairs. */
export function recordPairs(value: unknown): [string, Record<string, unknown>][] | undefined {
  if (!Array.isArray(value)) return undefined;
  const pairs: [string, Record<string, unknown>][] = [];
  for (const item of value) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || typeof item[1] !== 'object' || item[1] === null) continue;
    pairs.push([item[0], item[1] as Record<string, unknown>]);
  }
  return pairs;
}
