/**
 * The web-platform globals the protocol core uses, and nothing else: no DOM,
 * no Node. `tsconfig.core.json` type-checks src/core against this file and
 * `lib: ["ES2022"]` alone (a step of `npm test`), so a core module that
 * reaches for `window`, `document`, `Buffer`, `process` or a Node module does
 * not compile. Browsers, Node 20+, Deno and Bun all provide these. Only that
 * check reads this file (tsconfig.json excludes it; the build uses the DOM's
 * own declarations), so the shapes here are the subset the core calls.
 */

/** `crypto.getRandomValues`: seeds, IVs and uuids (src/core/bytes.ts). */
declare var crypto: {
  getRandomValues<T extends Uint8Array>(array: T): T;
};

/** UTF-8 for message text and beacon fields (src/core/bytes.ts). */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: {fatal?: boolean; ignoreBOM?: boolean});
  decode(input?: ArrayBufferView | ArrayBuffer, options?: {stream?: boolean}): string;
}

/** Events of the stacks (src/core/stack/events.ts). */
declare class Event {
  constructor(type: string, init?: {bubbles?: boolean; cancelable?: boolean; composed?: boolean});
  readonly type: string;
}

declare class CustomEvent<T = unknown> extends Event {
  constructor(type: string, init?: {detail?: T; bubbles?: boolean; cancelable?: boolean; composed?: boolean});
  readonly detail: T;
}

declare class EventTarget {
  addEventListener(type: string, listener: ((event: Event) => void) | null, options?: boolean | {once?: boolean; signal?: unknown}): void;
  removeEventListener(type: string, listener: ((event: Event) => void) | null, options?: boolean): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * Timers: a browser returns a number, Node an object. The core only hands the
 * handle back to `clearTimeout`/`clearInterval`, so it is opaque here.
 */
interface PlatformTimerHandle {
  readonly __platformTimer: never;
}
declare function setTimeout(handler: () => void, timeout?: number): PlatformTimerHandle;
declare function clearTimeout(handle: PlatformTimerHandle | undefined): void;
declare function setInterval(handler: () => void, timeout?: number): PlatformTimerHandle;
declare function clearInterval(handle: PlatformTimerHandle | undefined): void;
declare function queueMicrotask(callback: () => void): void;

/** A monotonic clock for round-trip times, where there is one (src/core/stack/consumer-stack.ts). */
declare var performance: {now(): number} | undefined;
