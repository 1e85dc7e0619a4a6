/**
 * ProviderStack: what a wallet page runs to serve a consumer. The application
 * supplies provider info and async handlers for invoice and pay requests;
 * the stack answers each request exactly once with the right notification,
 * and keeps the rules that stop money moving twice: replayed requests are
 * refused, one payment hash is paid at most once, and answers lost with a
 * connection are delivered after the next handshake.
 */
import {decodeBolt11, type DecodedInvoice} from '../bolt11.js';
import {MoneysocketError, type Result} from '../errors.js';
import type {Message} from '../message-codec.js';
import {createNotification, type NotificationFields, type Request} from '../message-types.js';
import {normalizePreimage, preimagePays} from '../preimage.js';
import {newUuid} from '../uuid.js';
import {bitcoinWad, checkWadForWire, type Wad} from '../wad.js';
import {errorText, refusal, verdictOfThrow, type ErrorVerdict} from './answer-text.js';
import type {ConnectionClosed} from './connection.js';
import type {Layer} from './layer.js';
import {ProviderLayer, ProviderTransactLayer} from './provider-layers.js';
import {ProviderMemory, type ProviderMemoryOptions} from './provider-memory.js';
import {RendezvousLayer} from './rendezvous-layer.js';
import {Stack, type StackEvents, type StackOptions, type StackState} from './stack.js';
import {BoundedMap} from './bounded-map.js';
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

type Kind = 'invoice' | 'pay';
type Answer = Message & {notification_name: string; request_reference_uuid: string | null};

/** Ledger entries outlive their invoice's expiry by this much, for clocks that disagree. */
const LEDGER_MARGIN_MS = 60 * 60 * 1000;

export class ProviderStack extends Stack<ProviderEvents> {
  handleInvoiceRequest: InvoiceHandler | undefined;
  handlePayRequest: PayHandler | undefined;
  readonly #defaultAccount = newUuid();
  readonly #providerLayer: ProviderLayer;
  readonly #layers: Layer[];
  readonly #memory: ProviderMemory;
  /** Payment hashes of invoices the backend made for our consumer: their payment is news to it. */
  readonly #madeInvoices = new BoundedMap<string, true>(1000);
  #info: ProviderInfoInput | null;
  #backend: WalletBackend | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: ProviderStackOptions = {}) {
    super(options);
    this.#info = options.providerInfo ?? null;
    this.handleInvoiceRequest = options.handleInvoiceRequest;
    this.handlePayRequest = options.handlePayRequest;
    this.backend = options.backend;
    this.#memory = new ProviderMemory(options, (error) => this.reportError(error));
    this.#providerLayer = new ProviderLayer({
      providerFields: () => this.#fields(),
      livenessTimeoutMs: options.livenessTimeoutMs ?? 15_000,
      waiting: () => this.setState('handshaking'),
      announced: () => this.#announced(),
    });
    this.#layers = [
      new RendezvousLayer({waiting: () => this.setState('waiting-for-peer'), paired: () => undefined}),
      this.#providerLayer,
      new ProviderTransactLayer({
        invoiceRequest: (m) => this.#onInvoiceRequest(m),
        payRequest: (m) => this.#onPayRequest(m),
      }),
    ];
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
    this.#providerLayer.pushInfo();
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
    this.#deliver(createNotification('NOTIFY_PREIMAGE', null, {preimage, ext: null}));
    return {ok: true, value: undefined};
  }

  protected builtInLayers(): Layer[] {
    return this.#layers;
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

  protected sessionEnded(_info: ConnectionClosed): void {
    // Requests being worked on keep going; their answers wait in the outbox for the next handshake.
  }

  #fields(): NotificationFields['NOTIFY_PROVIDER'] | undefined {
    const info = this.#info;
    if (info === null) return undefined;
    return {account_uuid: info.accountUuid ?? this.#defaultAccount, payer: info.payer, payee: info.payee, wad: info.wad};
  }

  /** The consumer has our info: deliver what it missed while it was away. */
  #announced(): void {
    this.setState('connected');
    const consumer = this.beacon?.sharedSeed.rendezvousId;
    if (consumer !== undefined) this.#memory.outbox.flush(consumer, (message) => this.#sendNow(message as unknown as Message).ok);
  }

  #sendNow(message: Message): Result<void> {
    const connection = this.connection;
    if (connection === undefined || this.state !== 'connected') {
      return {ok: false, error: new MoneysocketError('NOT_CONNECTED', 'no consumer is connected')};
    }
    return connection.send(message);
  }

  /** Sends a money answer if a consumer is there, and keeps it for re-delivery after the next handshake. */
  #deliver(message: Answer): boolean {
    const sent = this.#sendNow(message).ok;
    const consumer = this.beacon?.sharedSeed.rendezvousId;
    if (consumer !== undefined) this.#memory.outbox.add(consumer, message, sent);
    return sent;
  }

  /** Admits a request once, inside the replay window; duplicates are dropped, stale ones refused. */
  #admit(message: Request<'REQUEST_INVOICE'> | Request<'REQUEST_PAY'>, kind: Kind): boolean {
    const verdict = this.#memory.replay.admit(message.request_uuid, message.timestamp);
    if (verdict.ok) return true;
    this.reportError(new MoneysocketError('UNEXPECTED_MESSAGE', `dropped ${kind} request ${message.request_uuid}: ${verdict.reason}`));
    // A duplicate gets no answer: the first copy's answer is the one that counts.
    if (!verdict.duplicate) this.#answerError(message.request_uuid, kind, 'refused', verdict.reason);
    return false;
  }

  #onInvoiceRequest(message: Request<'REQUEST_INVOICE'>): void {
    const uuid = message.request_uuid;
    if (!this.#admit(message, 'invoice')) return;
    const refuse = (reason: string) => this.#answerError(uuid, 'invoice', 'refused', reason);
    if (this.#info?.payee !== true) return refuse('this wallet does not make invoices for this app');
    if (!Number.isSafeInteger(message.msats) || message.msats <= 0) return refuse('msats must be a positive whole number of millisatoshis');
    const handler = this.handleInvoiceRequest ?? (this.#backend && ((r: InvoiceRequest) => this.invoiceFromBackend(r)));
    if (handler === undefined) return refuse('this wallet does not make invoices');
    const request: InvoiceRequest = {requestUuid: uuid, msats: message.msats};
    this.emit('invoice-request', {request});
    runAsPromise(() => handler(request)).then(
      (bolt11) => {
        const problem = invoiceProblem(bolt11, message.msats);
        if (problem !== undefined) return this.#answerError(uuid, 'invoice', 'failed', problem);
        this.#answer(createNotification('NOTIFY_INVOICE', uuid, {bolt11: bolt11 as string}), 'invoice');
      },
      (error: unknown) => {
        const {verdict, reason} = verdictOfThrow(error);
        this.#answerError(uuid, 'invoice', verdict === 'refused' ? 'refused' : 'failed', reason);
      },
    );
  }

  #onPayRequest(message: Request<'REQUEST_PAY'>): void {
    const uuid = message.request_uuid;
    if (!this.#admit(message, 'pay')) return;
    const refuse = (reason: string) => this.#answerError(uuid, 'pay', 'refused', reason);
    if (this.#info?.payer !== true) return refuse('this wallet does not pay invoices for this app');
    const invoice = decodeBolt11(message.bolt11);
    if (!invoice.ok) return refuse(`invalid bolt11: ${invoice.error.message}`);
    // The wording of the deployed Terminus provider.
    if (invoice.value.msats === null) return refuse('bolt11 does not specify amount');
    if (invoice.value.expiresAt * 1000 <= Date.now()) return refuse('the invoice has expired');
    const handler = this.handlePayRequest ?? (this.#backend && ((r: PayRequest) => this.payFromBackend(r)));
    if (handler === undefined) return refuse('this wallet does not pay invoices');
    if (this.#answerKnownPayment(uuid, invoice.value.paymentHash)) return;
    const request: PayRequest = {requestUuid: uuid, bolt11: message.bolt11, invoice: invoice.value, msats: invoice.value.msats};
    this.#memory.ledger.begin(invoice.value.paymentHash, invoice.value.expiresAt * 1000 + LEDGER_MARGIN_MS);
    this.emit('pay-request', {request});
    runAsPromise(() => handler(request)).then(
      (result) => this.#paid(uuid, invoice.value.paymentHash, result),
      (error: unknown) => this.#payFailed(uuid, invoice.value.paymentHash, error),
    );
  }

  /** A hash already paid is answered with its preimage; one in flight or unknown is never paid again. */
  #answerKnownPayment(uuid: string, paymentHash: string): boolean {
    const known = this.#memory.ledger.get(paymentHash);
    if (known === undefined) return false;
    if (known.state === 'paid' && known.preimage !== undefined) {
      this.#answer(createNotification('NOTIFY_PREIMAGE', uuid, {preimage: known.preimage, ext: null}), 'pay');
    } else {
      const why = known.state === 'paying' ? 'this invoice is being paid by an earlier request' : 'an earlier attempt to pay this invoice ended without a known outcome';
      this.#answerError(uuid, 'pay', 'unknown', `${why}; it is never paid twice`);
    }
    return true;
  }

  #paid(uuid: string, paymentHash: string, result: unknown): void {
    const preimage = normalizePreimage(result);
    if (preimage === undefined || !preimagePays(preimage, paymentHash)) {
      // The wallet says it paid, so money may have moved: never "failed".
      this.#memory.ledger.unknown(paymentHash);
      this.reportError(new MoneysocketError('PREIMAGE_MISMATCH', `the pay handler returned a preimage that does not match the invoice for request ${uuid}`));
      return this.#answerError(uuid, 'pay', 'unknown', 'the wallet reported the payment done, but its preimage does not match the invoice');
    }
    this.#memory.ledger.paid(paymentHash, preimage);
    this.#answer(createNotification('NOTIFY_PREIMAGE', uuid, {preimage, ext: null}), 'pay');
  }

  #payFailed(uuid: string, paymentHash: string, error: unknown): void {
    const {verdict, reason} = verdictOfThrow(error);
    if (verdict === 'refused') this.#memory.ledger.release(paymentHash);
    else this.#memory.ledger.unknown(paymentHash);
    this.#answerError(uuid, 'pay', verdict, reason);
  }

  #answerError(uuid: string, kind: Kind, verdict: ErrorVerdict, reason: string): void {
    const text = errorText(verdict, reason);
    this.#answer(createNotification('NOTIFY_ERROR', uuid, {error_msg: text}), kind, text);
  }

  #answer(message: Answer, kind: Kind, errorMessage?: string): void {
    const uuid = message.request_reference_uuid ?? '';
    // Invoice answers are not kept: a lost one moved no money, and the app asks again.
    const sent = kind === 'pay' ? this.#deliver(message) : this.#sendNow(message).ok;
    if (!sent) {
      const later = kind === 'pay' ? '; it is kept and sent again after the next handshake' : '';
      this.reportError(new MoneysocketError('DISCONNECTED', `could not deliver the answer to ${kind} request ${uuid}: the consumer is gone${later}`));
      return;
    }
    const notification = message.notification_name as ProviderEvents['answered']['notification'];
    this.emit('answered', errorMessage === undefined ? {requestUuid: uuid, kind, notification} : {requestUuid: uuid, kind, notification, errorMessage});
  }
}

/** Runs a handler, turning a synchronous throw into a rejection. */
function runAsPromise<T>(run: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(run()));
}

/** Why a handler's invoice cannot be sent, or undefined when it can. */
function invoiceProblem(bolt11: unknown, msats: number): string | undefined {
  if (typeof bolt11 !== 'string' || !bolt11.startsWith('lnbc')) return 'the wallet produced no usable invoice';
  const decoded = decodeBolt11(bolt11);
  if (!decoded.ok) return `the wallet produced an unreadable invoice: ${decoded.error.message}`;
  if (decoded.value.msats !== BigInt(msats)) return `the wallet made an invoice for ${decoded.value.msats ?? 'no'} msats, not ${msats}`;
  return undefined;
}
