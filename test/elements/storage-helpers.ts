/** A storage for the persistence tests that records what was written. */
import type {KeyValueStorage} from '../../src/core/stack/storage.js';

export class RecordingStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  /** Every key written, in order. */
  readonly writes: string[] = [];

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.writes.push(key);
    this.items.set(key, String(value));
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }

  /** The JSON value under `key`, or undefined. */
  json(key: string): unknown {
    const text = this.items.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }
}
