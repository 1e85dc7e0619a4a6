/**
 * A WalletBackend over any WebLN provider: a browser extension's
 * `window.webln`, or another page's Moneysocket wallet through
 * `ConsumerWebLN` (a chained provider). Sats there, msats here, converted
 * exactly; WebLN failures become the provider's money verdicts.
 */
import type {WebLNProvider} from '@webbtc/webln-types';
import {MoneysocketError} from '../core/errors.js';
import type {WalletBackend, WalletEvent} from '../core/stack/wallet-backend.js';
import {exactMsats, msatsToSats} from './sats.js';

export interface WebLNBackendOptions {
  /** The memo of the invoices made for the app. Default "Moneysocket". */
  defaultMemo?: string;
  /**
   * How long a request waits for `enable()` (a wallet's prompt, a chained
   * wallet still connecting) before it is refused. Default 30 s, well inside
   * the consumer's 60 s payment timeout, so the app hears "refused", not "unknown".
   */
  enableTimeoutMs?: number;
}

const WALLET_EVENTS = ['accountChanged', 'balanceChanged'];

/** The units a WebLN `getBalance()` may name, as decimals of msats; absent means sats. */
const BALANCE_UNITS: Record<string, number> = {sat: 3, sats: 3, satoshi: 3, satoshis: 3, msat: 0, msats: 0, millisatoshi: 0, millisatoshis: 0, btc: 11};

export class WebLNBackend implements WalletBackend {
  readonly provider: WebLNProvider;
  /** Present only when the WebLN provider tells its balance; the stack then shows it. */
  readonly getBalance?: () => Promise<{msats: number}>;
  readonly #memo: string;
  readonly #enableTimeoutMs: number;
  #enabling: Promise<void> | undefined;

  constructor(provider: WebLNProvider, options: WebLNBackendOptions = {}) {
    this.provider = provider;
    this.#memo = options.defaultMemo ?? 'Moneysocket';
    this.#enableTimeoutMs = options.enableTimeoutMs ?? 30_000;
    if (typeof provider.getBalance === 'function') this.getBalance = () => this.#balance();
  }

  async makeInvoice(request: {msats: number; description?: string}): Promise<{bolt11: string}> {
    // Checked before the wallet is touched: a fractional sat is refused, never rounded.
    const amount = msatsToSats(request.msats);
    await this.#enable();
    try {
      const {paymentRequest} = await this.provider.makeInvoice({amount, defaultMemo: request.description ?? this.#memo});
      return {bolt11: paymentRequest};
    } catch (error) {
      throw verdict(error, 'did not make the invoice', 'REQUEST_FAILED');
    }
  }

  async payInvoice(request: {bolt11: string; msats: bigint}): Promise<{preimage: unknown}> {
    await this.#enable();
    try {
      const {preimage} = await this.provider.sendPayment(request.bolt11);
      return {preimage};
    } catch (error) {
      // Only a clear "no" frees the invoice: any other failure may have moved money.
      throw verdict(error, 'did not pay', 'PAYMENT_FAILED');
    }
  }

  /**
   * Re-reads the balance when the wallet says it may have changed: WebLN's
   * `accountChanged`, and `balanceChanged` (a chained Moneysocket wallet's
   * `ConsumerWebLN` fires it; other wallets never do). WebLN has no "payment
   * received" event, so payments to our invoices are not told to the app.
   */
  subscribe(listener: (event: WalletEvent) => void): () => void {
    const {on, off} = this.provider;
    if (typeof on !== 'function') return () => undefined;
    const changed = () => listener({type: 'balance-changed'});
    for (const name of WALLET_EVENTS) on.call(this.provider, name, changed);
    return () => {
      for (const name of WALLET_EVENTS) off?.call(this.provider, name, changed);
    };
  }

  async #balance(): Promise<{msats: number}> {
    await this.#enable();
    const {balance, currency} = await this.provider.getBalance!();
    const unit = (currency ?? 'sats').toLowerCase();
    const decimals = BALANCE_UNITS[unit];
    if (decimals === undefined) throw new MoneysocketError('REQUEST_FAILED', `the WebLN wallet tells its balance in ${currency}, which has no fixed rate to msats`);
    return {msats: exactMsats(balance, decimals, unit)};
  }

  /** `enable()` once; asked again after it fails, since the person may say yes next time. */
  #enable(): Promise<void> {
    this.#enabling ??= withTimeout(Promise.resolve(this.provider.enable()), this.#enableTimeoutMs).then(
      () => undefined,
      (error: unknown) => {
        this.#enabling = undefined;
        throw refusal(`the WebLN wallet was not enabled for this page: ${messageOf(error)}`);
      },
    );
    return this.#enabling;
  }
}

/**
 * A WebLN failure as a verdict. A refusal (nothing attempted) only when it
 * says so: the person said no (WebLN's RejectionError, or the usual wording),
 * the method is unsupported, or a chained Moneysocket wallet refused. An
 * unknown outcome from a chained wallet stays unknown. Anything else is a
 * failure that may have moved money.
 */
function verdict(error: unknown, what: string, failure: 'REQUEST_FAILED' | 'PAYMENT_FAILED'): MoneysocketError {
  const text = `the WebLN wallet ${what}: ${messageOf(error)}`;
  const {code, name} = (typeof error === 'object' && error !== null ? error : {}) as {code?: unknown; name?: unknown};
  if (REFUSED_CODES.has(code) || isRejection(name, messageOf(error))) return refusal(text);
  if (code === 'PAYMENT_OUTCOME_UNKNOWN') return new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', text);
  return new MoneysocketError(failure, text);
}

/** A chained Moneysocket wallet's codes for "nothing was attempted" (NOT_CONNECTED: the request never left). */
const REFUSED_CODES = new Set<unknown>(['REQUEST_REFUSED', 'NOT_SUPPORTED', 'NOT_CONNECTED']);
const REJECTION_NAMES = new Set(['RejectionError', 'UnsupportedMethodError', 'MissingProviderError']);
const REJECTION_TEXT = /\buser (rejected|denied|declined|cancell?ed)|\b(rejected|denied|declined|cancell?ed) by (the )?user|prompt was closed/i;

function isRejection(name: unknown, message: string): boolean {
  return (typeof name === 'string' && REJECTION_NAMES.has(name)) || REJECTION_TEXT.test(message);
}

function messageOf(error: unknown): string {
  // Not `instanceof Error`: a wallet in another realm (an extension, an iframe) throws its own realm's errors.
  const message = typeof error === 'object' && error !== null ? (error as {message?: unknown}).message : error;
  const text = typeof message === 'string' ? message : '';
  return text.slice(0, 300) || 'no reason given';
}

/**
 * Nothing was attempted: the app may ask again. (What answer-text's
 * refusal() makes; not imported, so the bundle's bridges entry shares no
 * module with the main file that would be split out of it.)
 */
function refusal(reason: string): MoneysocketError {
  return new MoneysocketError('REQUEST_REFUSED', reason);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  // Timers take 32-bit delays (a longer one fires at once): treat those, and Infinity, as no limit.
  if (!(ms < 2 ** 31)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
