/**
 * Who may open a WebSocket, decided before the upgrade: the Origin
 * allow-list (browsers on other sites' pages) and the rate of new
 * connections per client address (a token bucket each, `Budget`).
 */
import {MoneysocketError} from '../core/errors.js';
import {Budget} from './budget.js';

export interface AdmissionOptions {
  /**
   * Origins (`https://app.example.com`) whose pages may connect; others get
   * HTTP 403. Requests without an Origin header (non-browser clients) are
   * let in: only browsers send one, and anything else could forge it.
   * Default: no check.
   */
  allowOrigin?: readonly string[];
  /** New connections per second from one client address (IPv6: one /64); beyond, HTTP 429. 0 (the default) = no limit. */
  connectionRatePerAddress?: number;
  /** How many of those may come at once. Default: the rate (one second's worth). */
  connectionBurstPerAddress?: number;
}

export interface AdmissionSettings {
  /** Serialized origins (scheme://host[:port]), or undefined for no check. */
  allowOrigin: ReadonlySet<string> | undefined;
  connectionRatePerAddress: number;
  connectionBurstPerAddress: number;
}

export interface Refusal {
  status: 403 | 429 | 503;
  /** A stable slug, used as the metrics label. */
  code: RefusalCode;
  /** For people, in the log line. */
  reason: string;
}

export type RefusalCode = 'origin' | 'connection-rate' | 'address-connections' | 'connections' | 'shutting-down' | 'no-socket';

export const REFUSAL_CODES: readonly RefusalCode[] = ['origin', 'connection-rate', 'address-connections', 'connections', 'shutting-down', 'no-socket'];

/** Longest Origin header value that is logged; the header is the client's to write. */
const MAX_LOGGED_ORIGIN = 100;

/** `https://Example.com:443/` and `https://example.com` are one origin, as browsers serialize it. */
export function normalizeOrigin(entry: string): string {
  const text = entry.trim();
  if (text === 'null') return 'null'; // sandboxed frames and file: pages; only if listed as such
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || !['', '/'].includes(url.pathname) || url.search || url.hash) {
    throw new MoneysocketError('INVALID_ARGUMENT', `allowed origin "${entry}" is not an origin: give scheme and host, e.g. https://app.example.com or http://localhost:8080`);
  }
  return url.origin;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MoneysocketError('INVALID_ARGUMENT', `${name} must be a whole number from 0, got ${value}`);
  }
  return value;
}

export function admissionSettingsFrom(options: AdmissionOptions): AdmissionSettings {
  const origins = options.allowOrigin ?? [];
  const rate = nonNegative('connectionRatePerAddress', options.connectionRatePerAddress, 0);
  const burst = nonNegative('connectionBurstPerAddress', options.connectionBurstPerAddress, rate);
  if (rate > 0 && burst < 1) throw new MoneysocketError('INVALID_ARGUMENT', 'connectionBurstPerAddress must be at least 1 when there is a rate');
  return {
    allowOrigin: origins.length === 0 ? undefined : new Set(origins.map(normalizeOrigin)),
    connectionRatePerAddress: rate,
    connectionBurstPerAddress: burst,
  };
}

/** The Origin header as logged: truncated, since the client writes it. */
export function loggedOrigin(origin: string): string {
  return origin.length > MAX_LOGGED_ORIGIN ? `${origin.slice(0, MAX_LOGGED_ORIGIN)}…` : origin;
}

/**
 * The checks that do not depend on the relay's own state. Every upgrade
 * request costs a token, refused or not: the rate limits attempts, so a
 * client hammering a full relay slows down too.
 */
export class Admission {
  readonly #settings: AdmissionSettings;
  readonly #buckets = new Map<string, {budget: Budget; last: number}>();
  readonly #refillMs: number;
  readonly #now: () => number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(settings: AdmissionSettings, now: () => number = () => performance.now()) {
    this.#settings = settings;
    this.#refillMs = settings.connectionRatePerAddress > 0 ? 1000 / settings.connectionRatePerAddress : 0;
    this.#now = now;
  }

  /** Checks one upgrade request from `key` (an address key) carrying `origin`. */
  check(key: string, origin: string | undefined): Refusal | undefined {
    if (!this.#withinRate(key)) return {status: 429, code: 'connection-rate', reason: 'too many new connections from this address'};
    if (!this.originAllowed(origin)) return {status: 403, code: 'origin', reason: 'origin not allowed'};
    return undefined;
  }

  originAllowed(origin: string | undefined): boolean {
    const allowed = this.#settings.allowOrigin;
    if (allowed === undefined || origin === undefined) return true;
    let normal: string;
    try {
      normal = normalizeOrigin(origin);
    } catch {
      return false; // not an origin at all: no page of an allowed site sends that
    }
    return allowed.has(normal);
  }

  #withinRate(key: string): boolean {
    if (this.#refillMs === 0) return true;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = {budget: new Budget(this.#settings.connectionBurstPerAddress, this.#refillMs, this.#now), last: now};
      this.#buckets.set(key, bucket);
      this.#sweeper ??= setInterval(() => this.#sweep(), this.#fullAfterMs()).unref();
    }
    bucket.last = now;
    return bucket.budget.take();
  }

  /** A bucket untouched this long is full again, so it can be forgotten (and made anew when needed). */
  #fullAfterMs(): number {
    return Math.max(1000, Math.ceil(this.#settings.connectionBurstPerAddress * this.#refillMs));
  }

  #sweep(): void {
    const cutoff = this.#now() - this.#fullAfterMs();
    for (const [key, bucket] of this.#buckets) if (bucket.last <= cutoff) this.#buckets.delete(key);
    if (this.#buckets.size === 0) this.close();
  }

  /** Addresses with a bucket; for tests of the sweep. */
  get trackedAddresses(): number {
    return this.#buckets.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
