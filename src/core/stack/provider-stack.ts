/**
 * ProviderStack: what a wallet page runs to serve a consumer. The application
 * supplies provider info and async handlers for invoice and pay requests
 * (or a wallet backend); the stack answers each request exactly once with the
 * right notification, and keeps the rules that stop money moving twice:
 * replayed requests are refused, one payment hash is paid at most once, and
 * answers lost with a connection are delivered after the next handshake.
 * That work is the session engine's (provider-session.ts), loaded on first
 * need; this class is the API and holds the wallet and the connection.
 */
import type {DecodedInvoice} from '../bolt11.js';
import {MoneysocketError, type Result} from '../errors.js';
import type {NotificationFields} from '../message-types.js';
import {newUuid} from '../uuid.js';
import {bitcoinWad, checkWadForWire, type Wad} from '../wad.js';
import {refusal, verdictOfThrow} from './answer-text.js';
import {BoundedMap} from './bounded-map.js';
import type {Layer} from './layer.js';
import {loadEngine, withEngine, type Engine} from './lazy-engine.js';
import type {ProviderMemoryOptions} from './provider-memory.js';
import type {ProviderSession} from './provider-session.js';
import {Stack, type StackEvents, type StackOptions, type StackState} from './stack.js';
import type {WalletBackend, WalletEvent} from './wallet-backend.js';

export interface ProviderInfoInput {
  /** Defaults to a uuid fixed for the life of this stack. */
  accountUuid?: string;
  payer: boolean;
  payee: boolean;
  wad: Wad;
}

export interface InvoiceRequest {
  requestUuid: string;
  msats: number;
}

export interface PayRequest {
  requestUuid: string;
  bolt11: string;
  invoice: DecodedInvoice;
  msats: bigint;
}

/**
 * Resolves with a BOLT11 invoice for `msats`. A throw is sent back as
 * NOTIFY_ERROR (a MoneysocketError `REQUEST_REFUSED` reads as a refusal).
 */
export type InvoiceHandler = (request: InvoiceRequest) => string | Promise<string>;
/**
 * Pays the invoice and resolves with its preimage: hex in either case, base64,
 * or bytes. Throw a MoneysocketError `REQUEST_REFUSED` when nothing was
 * attempted (the app may try again), `PAYMENT_OUTCOME_UNKNOWN` when the
 * wallet cannot tell; any other throw is a failure that may have moved money.
 */
export type PayHandler = (request: PayRequest) => unknown;

export interface ProviderStackOptions extends StackOptions, ProviderMemoryOptions {
  /** Null or absent: not ready; consumers are told NOTIFY_PROVIDER_NOT_READY until set. */
  providerInfo?: ProviderInfoInput | null;
  handleInvoiceRequest?: InvoiceHandler;
  handlePayRequest?: PayHandler;
  /**
   * The wallet that answers requests no handler is given for, and whose
   * balance the consumer is shown (refreshed after every payment and on the
   * wallet's own notices). Without `providerInfo`, the provider both pays and
   * makes invoices.
   */
  backend?: WalletBackend;
  /**
   * A consumer that has pinged and then stays silent this long is taken for
   * gone (a frozen relay looks the same): the connection is dropped and
   * dialled again. Consumers ping every 3 s. Default 15 s; 0 turns it off.
   */
  livenessTimeoutMs?: number;
}

export interface ProviderEvents extends StackEvents {
  'invoice-request': {request: InvoiceRequest};
  'pay-request': {request: PayRequest};
  /** How a request ended: the notification that went back. */
  answered: {requestUuid: string; kind: 'invoice' | 'pay'; notification: 'NOTIFY_INVOICE' | 'NOTIFY_PREIMAGE' | 'NOTIFY_ERROR'; errorMessage?: string};
}

export class ProviderStack extends Stack<ProviderEvents> {
  handleInvoiceRequest: InvoiceHandler | undefined;
  handlePayRequest: PayHandler | undefined;
  readonly #options: ProviderStackOptions;
  readonly #defaultAccount = newUuid();
  /** Payment hashes of invoices the backend made for our consumer: their payment is news to it. */
  readonly #madeInvoices = new BoundedMap<string, true>(1000);
  #session: ProviderSession | undefined;
  #info: ProviderInfoInput | null;
  #backend: WalletBackend | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: ProviderStackOptions = {}) {
    super(options);
    this.#options = options;
    this.#info = options.providerInfo ?? null;
    this.handleInvoiceRequest = options.handleInvoiceRequest;
    this.handlePayRequest = options.handlePayRequest;
    this.backend = options.backend;
  }

  get providerInfo(): ProviderInfoInput | null {
    return this.#info;
  }

  get backend(): WalletBackend | undefined {
    return this.#backend;
  }

  /** Serves from this wallet from now on (or from the handlers alone, with undefined). */
  set backend(backend: WalletBackend | undefined) {
    if (backend === this.#backend) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#backend = backend;
    if (backend === undefined) return;
    this.#info ??= {payer: true, payee: true, wad: bitcoinWad(0)};
    this.#unsubscribe = backend.subscribe?.((event) => this.#walletEvent(event));
    void this.refreshBalance();
  }

  /** An invoice from the backend, remembered so that its payment is told to the consumer. */
  async invoiceFromBackend(request: InvoiceRequest): Promise<string> {
    const backend = this.#backend;
    if (backend === undefined) throw refusal('this wallet does not make invoices');
    const {bolt11} = await backend.makeInvoice({msats: request.msats});
    const {decodeBolt11} = await loadEngine();
    const decoded = decodeBolt11(bolt11);
    if (decoded.ok) this.#madeInvoices.set(decoded.value.paymentHash, true);
    return bolt11;
  }

  /** A payment made by the backend; the balance shown is refreshed however it ends. */
  async payFromBackend(request: PayRequest): Promise<unknown> {
    const backend = this.#backend;
    if (backend === undefined) throw refusal('this wallet does not pay invoices');
    try {
      return (await backend.payInvoice({bolt11: request.bolt11, msats: request.msats})).preimage;
    } finally {
      void this.refreshBalance();
    }
  }

  /** Reads the backend's balance and shows it to the consumer. */
  async refreshBalance(): Promise<void> {
    const backend = this.#backend;
    if (backend?.getBalance === undefined) return;
    try {
      const {msats} = await backend.getBalance();
      if (this.#info !== null && backend === this.#backend) this.#setWad(msats);
    } catch (error) {
      this.reportError(new MoneysocketError('REQUEST_FAILED', `could not read the wallet's balance: ${verdictOfThrow(error).reason}`));
    }
  }

  /**
   * Sets what the consumer is told (balance, permissions). Pushed at once to
   * a connected consumer; a consumer told "not ready" gets it now. Null means
   * not ready. A wad py peers would reject is refused.
   */
  setProviderInfo(info: ProviderInfoInput | null): Result<void> {
    if (info !== null) {
      const wad = checkWadForWire(info.wad);
      if (!wad.ok) return wad;
    }
    this.#info = info;
    this.#session?.pushInfo();
    return {ok: true, value: undefined};
  }

  /**
   * Tells the consumer that an invoice it obtained has been paid:
   * NOTIFY_PREIMAGE with no request reference, as deployed providers push it.
   * With no consumer connected, it is kept and delivered after the next handshake.
   */
  notifyInvoicePaid(preimage: string): Result<void> {
    if (!/^[0-9a-f]{64}$/.test(preimage)) {
      return {ok: false, error: new MoneysocketError('INVALID_ARGUMENT', 'a preimage is 64 lower-case hex characters')};
    }
    // At once when the session engine is loaded; else once it is (it holds the outbox).
    void withEngine((engine) => this.#sessionOf(engine).notifyInvoicePaid(preimage));
    return {ok: true, value: undefined};
  }

  protected builtInLayers(engine: Engine): Layer[] {
    return this.#sessionOf(engine).layers;
  }

  #setWad(msats: number): void {
    if (this.#info === null || !Number.isSafeInteger(msats) || msats < 0) return;
    const set = this.setProviderInfo({...this.#info, wad: bitcoinWad(msats)});
    if (!set.ok) this.reportError(set.error);
  }

  #walletEvent(event: WalletEvent): void {
    if (event.type === 'balance-changed') {
      if (event.msats === undefined) void this.refreshBalance();
      else this.#setWad(event.msats);
      return;
    }
    if (this.#madeInvoices.delete(event.paymentHash)) {
      const told = this.notifyInvoicePaid(event.preimage.toLowerCase());
      if (!told.ok) this.reportError(told.error);
    }
    void this.refreshBalance();
  }

  protected isReady(state: StackState): boolean {
    return state === 'waiting-for-peer' || state === 'handshaking' || state === 'connected';
  }

  protected sessionEnded(): void {
    // Requests being worked on keep going; their answers wait in the outbox for the next handshake.
  }

  #fields(): NotificationFields['NOTIFY_PROVIDER'] | undefined {
    const info = this.#info;
    if (info === null) return undefined;
    return {account_uuid: info.accountUuid ?? this.#defaultAccount, payer: info.payer, payee: info.payee, wad: info.wad};
  }

  #sessionOf(engine: Engine): ProviderSession {
    this.#session ??= new engine.ProviderSession(
      {
        setState: (state) => this.setState(state),
        emit: (type, detail) => this.emit(type, detail),
        reportError: (error) => this.reportError(error),
        connection: () => this.connection,
        state: () => this.state,
        beacon: () => this.beacon,
        info: () => this.#info,
        providerFields: () => this.#fields(),
        invoiceHandler: () => this.handleInvoiceRequest ?? (this.#backend && ((r: InvoiceRequest) => this.invoiceFromBackend(r))),
        payHandler: () => this.handlePayRequest ?? (this.#backend && ((r: PayRequest) => this.payFromBackend(r))),
      },
      this.#options,
    );
    return this.#session;
  }
}
