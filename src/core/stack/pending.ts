/**
 * Requests waiting for their answer. Each one settles exactly once: answered,
 * failed, or timed out; whichever comes first wins and the rest are ignored.
 */
import {MoneysocketError} from '../errors.js';

export type RequestKind = 'provider' | 'ping' | 'invoice' | 'pay' | (string & {});

interface Entry {
  kind: RequestKind;
  resolve(value: unknown): void;
  reject(error: MoneysocketError): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  context: unknown;
}

export class PendingRequests {
  readonly #entries = new Map<string, Entry>();

  /** Registers a request; `onTimeout` builds the error it fails with. */
  add<T>(
    uuid: string,
    kind: RequestKind,
    timeoutMs: number,
    onTimeout: () => MoneysocketError,
    context?: unknown,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {kind, resolve: resolve as (v: unknown) => void, reject, timer: undefined, context};
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => this.reject(uuid, onTimeout()), timeoutMs);
      }
      this.#entries.set(uuid, entry);
    });
  }

  has(uuid: string): boolean {
    return this.#entries.has(uuid);
  }

  get(uuid: string): {kind: RequestKind; context: unknown} | undefined {
    return this.#entries.get(uuid);
  }

  resolve(uuid: string, value: unknown): boolean {
    const entry = this.#take(uuid);
    entry?.resolve(value);
    return entry !== undefined;
  }

  reject(uuid: string, error: MoneysocketError): boolean {
    const entry = this.#take(uuid);
    entry?.reject(error);
    return entry !== undefined;
  }

  /** Fails every pending request, choosing the error per kind. */
  rejectAll(errorFor: (kind: RequestKind) => MoneysocketError): void {
    for (const uuid of [...this.#entries.keys()]) {
      const entry = this.#entries.get(uuid);
      if (entry) this.reject(uuid, errorFor(entry.kind));
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #take(uuid: string): Entry | undefined {
    const entry = this.#entries.get(uuid);
    if (entry === undefined) return undefined;
    this.#entries.delete(uuid);
    clearTimeout(entry.timer);
    return entry;
  }
}
