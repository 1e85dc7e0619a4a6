/**
 * What the elements keep with `persist`: JSON records under keys of the
 * page's storage (localStorage unless the page gives another). Nothing here
 * runs without `persist`, except erasing on `forget()`.
 */
import {MoneysocketError, type Result} from '../../core/errors.js';
import {StoredValue, type KeyValueStorage} from '../../core/stack/storage.js';

/** The page's storage if it gave one, else localStorage, which some frames and privacy modes refuse. */
export function pickStorage(given: KeyValueStorage | null | undefined): Result<KeyValueStorage> {
  if (given !== undefined && given !== null) return {ok: true, value: given};
  let why = 'the browser has none';
  try {
    // Reading the property itself throws where storage is denied.
    const local = globalThis.localStorage as KeyValueStorage | undefined;
    if (local !== undefined && local !== null) return {ok: true, value: local};
  } catch (error) {
    why = error instanceof Error ? error.message : String(error);
  }
  return {ok: false, error: new MoneysocketError('INVALID_ARGUMENT', `persist: localStorage cannot be used here (${why}); give the element a storage`)};
}

/** One record: read tolerantly, written and removed with failures reported, never thrown. */
export class StoredRecord<T> {
  readonly #storage: KeyValueStorage;
  readonly #key: string;
  readonly #value: StoredValue<T | undefined>;
  readonly #onError: (error: MoneysocketError) => void;

  constructor(storage: KeyValueStorage, key: string, onError: (error: MoneysocketError) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#onError = onError;
    this.#value = new StoredValue<T | undefined>(storage, key, onError);
  }

  /** The stored value if `parse` accepts it; undefined when missing, corrupt or foreign. */
  read(parse: (value: unknown) => T | undefined): T | undefined {
    return this.#value.read(parse, undefined);
  }

  write(value: T): void {
    this.#value.write(value);
  }

  remove(): void {
    try {
      this.#storage.removeItem(this.#key);
    } catch (error) {
      this.#onError(new MoneysocketError('INVALID_ARGUMENT', `could not erase ${this.#key}: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

/** A record's fields, when it is a plain object. */
export function fields(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
