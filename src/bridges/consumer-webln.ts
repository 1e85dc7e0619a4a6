/**
 * The WebLN provider interface over a ConsumerStack, so that an app written
 * only for WebLN pays and receives through a Moneysocket wallet.
 * `<ms-consumer>.webln` loads it on first use.
 */
import type {GetBalanceResponse, GetInfoResponse, KeysendArgs, MakeInvoiceResponse, RequestInvoiceArgs, SendPaymentResponse, WebLNProvider} from '@webbtc/webln-types';
import {isMoneysocketError, MoneysocketError, type ErrorCode} from '../core/errors.js';
import type {ConsumerStack} from '../core/stack/consumer-stack.js';
import type {ProviderInfo} from '../core/stack/provider-info.js';
import {satsToMsats} from './sats.js';

export interface ConsumerWebLNOptions {
  /**
   * What `enable()` calls while the stack is disconnected, e.g.
   * `() => stack.connect(beacon)`. Without it (or when it returns nothing),
   * `enable()` waits for a connection made elsewhere.
   */
  connect?: () => Promise<void> | void;
  /** The node alias `getInfo()` reports. Default "Moneysocket wallet". */
  alias?: string;
}

/**
 * The names of the WebLN spec's error classes (`webln`'s RejectionError and
 * so on), given to our errors so WebLN apps tell a "no" from a lost
 * connection; each error keeps its MoneysocketError `code`.
 */
const WEBLN_NAMES: Partial<Record<ErrorCode, string>> = {
  REQUEST_REFUSED: 'RejectionError',
  NOT_SUPPORTED: 'UnsupportedMethodError',
  NOT_CONNECTED: 'ConnectionError',
  DISCONNECTED: 'ConnectionError',
  CONNECTION_FAILED: 'ConnectionError',
  REQUEST_TIMEOUT: 'ConnectionError',
  AMOUNT_INVALID: 'InvalidDataError',
  BOLT11_INVALID: 'InvalidDataError',
  INVALID_ARGUMENT: 'InvalidDataError',
  PAYMENT_FAILED: 'RoutingError',
};

export class ConsumerWebLN implements WebLNProvider {
  readonly stack: ConsumerStack;
  readonly #options: ConsumerWebLNOptions;
  readonly #listeners = new Map<string, Set<() => void>>([['accountChanged', new Set()], ['balanceChanged', new Set()]]);
  #account: string | undefined;
  #balance: number | undefined;
  #enabled = false;

  constructor(stack: ConsumerStack, options: ConsumerWebLNOptions = {}) {
    this.stack = stack;
    this.#options = options;
    this.#account = stack.providerInfo?.accountUuid;
    this.#balance = stack.providerInfo?.wad?.msats;
    stack.on('provider-info', ({providerInfo}) => {
      const [account, balance] = [this.#account, this.#balance];
      this.#account = providerInfo.accountUuid;
      this.#balance = providerInfo.wad?.msats;
      if (account !== undefined && account !== this.#account) this.#fire('accountChanged');
      else if (balance !== this.#balance) this.#fire('balanceChanged');
    });
  }

  /** Resolves once connected to the wallet: connects through `options.connect`, or waits. */
  enable(): Promise<void> {
    return webln(async () => {
      await this.#connected();
      this.#enabled = true;
    });
  }

  async isEnabled(): Promise<boolean> {
    return this.#enabled && this.stack.state === 'connected';
  }

  /** The methods listed are those the wallet allows this app: `sendPayment` if it pays, `makeInvoice` if it makes invoices. */
  getInfo(): Promise<GetInfoResponse> {
    return webln(async () => {
      const info = this.#info();
      const methods = ['enable', 'isEnabled', 'getInfo', 'on', 'off'];
      if (info.payer) methods.push('sendPayment');
      if (info.payee) methods.push('makeInvoice');
      if (info.wad !== null) methods.push('getBalance');
      return {node: {alias: this.#options.alias ?? 'Moneysocket wallet', pubkey: ''}, version: 'moneysocket-v0', supports: ['lightning'], methods};
    });
  }

  /** Pays through the wallet; the preimage is checked against the invoice's payment hash. */
  sendPayment(paymentRequest: string): Promise<SendPaymentResponse> {
    return webln(async () => ({preimage: await this.stack.requestPay(paymentRequest)}));
  }

  /** An invoice from the wallet. Amounts are sats (up to three decimals, converted exactly); v0 invoices need one. */
  makeInvoice(args: string | number | RequestInvoiceArgs): Promise<MakeInvoiceResponse> {
    return webln(async () => {
      const request = typeof args === 'object' && args !== null ? args : {amount: args};
      const amount = request.amount ?? request.defaultAmount;
      if (amount === undefined) throw new MoneysocketError('AMOUNT_INVALID', 'Moneysocket v0 invoices need an amount: give amount or defaultAmount, in sats');
      return {paymentRequest: await this.stack.requestInvoice(satsToMsats(amount), {description: request.defaultMemo})};
    });
  }

  /** The wallet's balance in whole sats, rounded down: what a WebLN app can spend in whole-sat amounts. */
  getBalance(): Promise<GetBalanceResponse> {
    return webln(async () => {
      const wad = this.#info().wad;
      if (wad === null) throw new MoneysocketError('NOT_SUPPORTED', 'the wallet does not tell its balance');
      return {balance: Math.floor(wad.msats / 1000), currency: 'sats'};
    });
  }

  keysend(_args: KeysendArgs): Promise<never> {
    return unsupported('keysend');
  }

  signMessage(_message: string): Promise<never> {
    return unsupported('signMessage');
  }

  verifyMessage(_signature: string, _message: string): Promise<never> {
    return unsupported('verifyMessage');
  }

  lnurl(_lnurl: string): Promise<never> {
    return unsupported('lnurl');
  }

  /**
   * `accountChanged` fires when the wallet's account uuid changes (another
   * wallet, or another account of it). `balanceChanged` (not in the WebLN
   * spec; what lets a chained `WebLNBackend` follow the balance) fires when
   * the balance changes on the same account. Other names are ignored.
   */
  on(eventName: string, listener: () => void): void {
    this.#listeners.get(eventName)?.add(listener);
  }

  off(eventName: string, listener: () => void): void {
    this.#listeners.get(eventName)?.delete(listener);
  }

  #fire(eventName: 'accountChanged' | 'balanceChanged'): void {
    for (const listener of [...this.#listeners.get(eventName)!]) listener();
  }

  #info(): ProviderInfo {
    const info = this.stack.state === 'connected' ? this.stack.providerInfo : undefined;
    if (info === undefined) throw new MoneysocketError('NOT_CONNECTED', 'not connected to a Moneysocket wallet: call enable() first');
    return info;
  }

  #connected(): Promise<void> {
    const stack = this.stack;
    if (stack.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = stack.on('state', ({state}) => {
        if (state === 'connected') resolve(off());
      });
      if (stack.state === 'disconnected') {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- connect()'s own rejection (a MoneysocketError) is passed on unchanged
        Promise.resolve(this.#options.connect?.()).catch((error: unknown) => reject((off(), error)));
      }
    });
  }
}

/** Runs a WebLN method: a MoneysocketError leaves it named as WebLN names that kind of failure. */
async function webln<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isMoneysocketError(error)) error.name = WEBLN_NAMES[error.code] ?? 'InternalError';
    throw error;
  }
}

function unsupported(method: string): Promise<never> {
  return webln(() => Promise.reject(new MoneysocketError('NOT_SUPPORTED', `${method} is not supported over Moneysocket v0`)));
}
