/**
 * A WalletBackend over Nostr Wallet Connect (NIP-47): a provider served from
 * any wallet that hands out a `nostr+walletconnect://…` string (Alby Hub,
 * Coinos, LNbits, …). NIP-47 and its encryption are `@getalby/sdk`'s NWC
 * client; this file maps its three methods and its notifications onto the
 * backend interface, and its failures onto the provider's money verdicts
 * (see nwc-errors.ts). Amounts are msats on both sides.
 *
 * Browsers have a WebSocket; Node 20 does not, and the SDK bundles its own
 * nostr-tools, so Node callers set `globalThis.WebSocket` (from `ws`) first.
 */
import {NWCClient, type Nip47Notification, type Nip47Transaction} from '@getalby/sdk/nwc';
import {MoneysocketError} from '../core/errors.js';
import type {WalletBackend, WalletEvent} from '../core/stack/wallet-backend.js';
import {nwcError, unknownOutcome, type NwcOperation} from './nwc-errors.js';

export interface NwcBackendOptions {
  /**
   * How long a payment may go unanswered before its outcome is called
   * unknown. Default 50 s: under a consumer's 60 s, so the app hears why.
   */
  payTimeoutMs?: number;
  /** How long to wait for invoices, balances and the wallet's info. Default 15 s. */
  requestTimeoutMs?: number;
}

export interface NwcBackend extends WalletBackend {
  /** The wallet service's public key (hex). */
  readonly walletPubkey: string;
  /** What the wallet says this connection may do (`pay_invoice`, `make_invoice`, `get_balance`, …). */
  readonly methods: readonly string[];
  /** Stops listening and closes the relay connections. */
  close(): void;
}

const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * Reads the connection string, reaches the wallet's relay and reads the
 * wallet's info event. Rejects with `INVALID_ARGUMENT` for a string that is
 * not an NWC connection, `CONNECTION_FAILED` when the wallet cannot be reached.
 */
export async function connectNwc(connection: string, options: NwcBackendOptions = {}): Promise<NwcBackend> {
  const client = new NWCClient({nostrWalletConnectUrl: checkConnectionString(connection)});
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  let info: Awaited<ReturnType<NWCClient['getWalletServiceInfo']>>;
  try {
    info = await withTimeout(client.getWalletServiceInfo(), requestTimeoutMs);
  } catch (error) {
    client.close();
    const why = error instanceof Error ? error.message : String(error);
    throw new MoneysocketError('CONNECTION_FAILED', `could not reach the NWC wallet: ${why.slice(0, 200)}`);
  }
  return makeBackend(client, info.capabilities, info.notifications, {payTimeoutMs: options.payTimeoutMs ?? 50_000, requestTimeoutMs});
}

/** A `nostr+walletconnect://<wallet pubkey>?relay=…&secret=…` string, or an INVALID_ARGUMENT throw. */
function checkConnectionString(connection: string): string {
  const text = connection.trim();
  const invalid = (why: string) => new MoneysocketError('INVALID_ARGUMENT', `not a Nostr Wallet Connect string: ${why}`);
  if (!/^nostr\+walletconnect:/i.test(text)) throw invalid('it must start with nostr+walletconnect://');
  let parsed: ReturnType<typeof NWCClient.parseWalletConnectUrl>;
  try {
    parsed = NWCClient.parseWalletConnectUrl(text);
  } catch {
    throw invalid('it cannot be read as a URL');
  }
  if (!HEX64.test(parsed.walletPubkey)) throw invalid("the wallet's public key (64 hex characters) is missing");
  if (parsed.relayUrls.length === 0) throw invalid('it names no relay');
  if (parsed.relayUrls.some((url) => !/^wss?:\/\/[^\s]+$/i.test(url))) throw invalid('a relay is not a ws:// or wss:// address');
  if (parsed.secret === undefined || !HEX64.test(parsed.secret)) throw invalid('the secret (64 hex characters) is missing');
  return text;
}

interface Timeouts {
  payTimeoutMs: number;
  requestTimeoutMs: number;
}

function makeBackend(client: NWCClient, methods: readonly string[], notifications: readonly string[], timeouts: Timeouts): NwcBackend {
  const stops = new Set<() => void>();
  const allowed = (method: string) => methods.includes(method);
  const backend: NwcBackend = {
    walletPubkey: client.walletPubkey,
    methods,
    makeInvoice: async ({msats, description}) => {
      if (!allowed('make_invoice')) throw new MoneysocketError('REQUEST_REFUSED', 'this wallet connection may not make invoices');
      const tx = await call('invoice', client.makeInvoice(description ? {amount: msats, description} : {amount: msats}), timeouts.requestTimeoutMs);
      if (typeof tx.invoice !== 'string' || tx.invoice === '') throw new MoneysocketError('REQUEST_FAILED', 'the wallet answered without an invoice');
      return {bolt11: tx.invoice};
    },
    payInvoice: async ({bolt11}) => {
      if (!allowed('pay_invoice')) throw new MoneysocketError('REQUEST_REFUSED', 'this wallet connection may not pay invoices');
      const paid = await call('pay', client.payInvoice({invoice: bolt11}), timeouts.payTimeoutMs);
      // The stack checks the preimage against the invoice's payment hash.
      return {preimage: paid.preimage};
    },
    close: () => {
      for (const stop of stops) stop();
      stops.clear();
      client.close();
    },
  };
  if (allowed('get_balance')) {
    backend.getBalance = async () => {
      const {balance} = await call('balance', client.getBalance(), timeouts.requestTimeoutMs);
      if (!Number.isSafeInteger(balance) || balance < 0) throw new MoneysocketError('REQUEST_FAILED', 'the wallet reported a balance that is not a whole number of msats');
      return {msats: balance};
    };
  }
  if (notifications.includes('payment_received') || notifications.includes('payment_sent')) {
    backend.subscribe = (listener) => listen(client, listener, stops);
  }
  return backend;
}

/** Wallet notifications as WalletEvents; returns the unsubscribe function at once. */
function listen(client: NWCClient, listener: (event: WalletEvent) => void, stops: Set<() => void>): () => void {
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    stops.delete(stop);
    unsubscribe?.();
  };
  stops.add(stop);
  client.subscribeNotifications((notification) => {
    const event = walletEvent(notification);
    if (!stopped && event !== undefined) listener(event);
  }, ['payment_received', 'payment_sent']).then(
    (off) => (stopped ? off() : (unsubscribe = off)),
    () => undefined, // The SDK retries by itself; nothing to add here.
  );
  return stop;
}

function walletEvent(notification: Nip47Notification): WalletEvent | undefined {
  const tx: Nip47Transaction = notification.notification;
  if (notification.notification_type === 'payment_sent') return {type: 'balance-changed'};
  if (notification.notification_type !== 'payment_received') return undefined;
  if (!HEX64.test(tx.payment_hash ?? '') || !HEX64.test(tx.preimage ?? '')) return {type: 'balance-changed'};
  const msats = Number.isSafeInteger(tx.amount) && tx.amount > 0 ? tx.amount : undefined;
  return {type: 'payment-received', paymentHash: tx.payment_hash.toLowerCase(), preimage: tx.preimage.toLowerCase(), ...(msats === undefined ? {} : {msats})};
}

/** One NWC request under our own deadline, its failure turned into a verdict. */
async function call<T>(operation: NwcOperation, request: Promise<T>, timeoutMs: number): Promise<T> {
  try {
    return await withTimeout(request, timeoutMs);
  } catch (error) {
    if (error instanceof DeadlineError) {
      if (operation === 'pay') throw unknownOutcome(`no answer within ${Math.round(timeoutMs / 1000)} s`);
      throw new MoneysocketError('REQUEST_TIMEOUT', 'the wallet did not answer in time');
    }
    throw nwcError(error, operation);
  }
}

class DeadlineError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  // The SDK's own timers keep running; a late settlement must not be an unhandled rejection.
  promise.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
