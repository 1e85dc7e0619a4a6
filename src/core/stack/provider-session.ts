/**
 * What a ProviderStack does once the session engine is loaded: it answers
 * each request exactly once with the right notification, and keeps the rules
 * that stop money moving twice: replayed requests are refused, one payment
 * hash is paid at most once, and answers lost with a connection are
 * delivered after the next handshake. The stack (provider-stack.ts) holds the
 * public API, the wallet and the connection; this holds the rest.
 */
import type {Beacon} from '../beacon.js';
import {decodeBolt11} from '../bolt11.js';
import {MoneysocketError, type Result} from '../errors.js';
import type {Message} from '../message-codec.js';
import {createNotification, type NotificationFields, type Request} from '../message-types.js';
import {normalizePreimage, preimagePays} from '../preimage.js';
import {rendezvousIdOf} from '../seed-keys.js';
import {errorText, verdictOfThrow, type ErrorVerdict} from './answer-text.js';
import type {Connection} from './connection.js';
import type {Layer} from './layer.js';
import {ProviderLayer, ProviderTransactLayer} from './provider-layers.js';
import {ProviderMemory} from './provider-memory.js';
import type {InvoiceHandler, InvoiceRequest, PayHandler, PayRequest, ProviderEvents, ProviderInfoInput, ProviderStackOptions} from './provider-stack.js';
import {RendezvousLayer} from './rendezvous-layer.js';
import type {StackState} from './stack.js';

/** What the session needs from its stack. */
export interface ProviderSessionHost {
  setState(state: StackState): void;
  emit<K extends keyof ProviderEvents & string>(type: K, detail: ProviderEvents[K]): void;
  reportError(error: MoneysocketError): void;
  connection(): Connection | undefined;
  state(): StackState;
  beacon(): Beacon | undefined;
  info(): ProviderInfoInput | null;
  providerFields(): NotificationFields['NOTIFY_PROVIDER'] | undefined;
  /** The handler for invoice requests (the application's, else the wallet's), if any. */
  invoiceHandler(): InvoiceHandler | undefined;
  payHandler(): PayHandler | undefined;
}

type Kind = 'invoice' | 'pay';
type Answer = Message & {notification_name: string; request_reference_uuid: string | null};

/** Ledger entries outlive their invoice's expiry by this much, for clocks that disagree. */
const LEDGER_MARGIN_MS = 60 * 60 * 1000;

export class ProviderSession {
  readonly #host: ProviderSessionHost;
  readonly #memory: ProviderMemory;
  readonly #providerLayer: ProviderLayer;
  readonly #layers: Layer[];

  constructor(host: ProviderSessionHost, options: ProviderStackOptions) {
    this.#host = host;
    this.#memory = new ProviderMemory(options, (error) => host.reportError(error));
    this.#providerLayer = new ProviderLayer({
      providerFields: () => host.providerFields(),
      livenessTimeoutMs: options.livenessTimeoutMs ?? 15_000,
      waiting: () => host.setState('handshaking'),
      announced: () => this.#announced(),
    });
    this.#layers = [
      new RendezvousLayer({waiting: () => host.setState('waiting-for-peer'), paired: () => undefined}),
      this.#providerLayer,
      new ProviderTransactLayer({
        invoiceRequest: (m) => this.#onInvoiceRequest(m),
        payRequest: (m) => this.#onPayRequest(m),
      }),
    ];
  }

  /** Built-in layers, bottom to top, above the socket. */
  get layers(): Layer[] {
    return this.#layers;
  }

  /** The application's info changed: tell a connected consumer. */
  pushInfo(): void {
    this.#providerLayer.pushInfo();
  }

  /** NOTIFY_PREIMAGE with no request reference, kept for re-delivery when no consumer is there. */
  notifyInvoicePaid(preimage: string): void {
    this.#deliver(createNotification('NOTIFY_PREIMAGE', null, {preimage, ext: null}));
  }

  /** The consumer has our info: deliver what it missed while it was away. */
  #announced(): void {
    this.#host.setState('connected');
    const seed = this.#host.beacon()?.sharedSeed;
    if (seed !== undefined) this.#memory.outbox.flush(rendezvousIdOf(seed), (message) => this.#sendNow(message as unknown as Message).ok);
  }

  #sendNow(message: Message): Result<void> {
    const connection = this.#host.connection();
    if (connection === undefined || this.#host.state() !== 'connected') {
      return {ok: false, error: new MoneysocketError('NOT_CONNECTED', 'no consumer is connected')};
    }
    return connection.send(message);
  }

  /** Sends a money answer if a consumer is there, and keeps it for re-delivery after the next handshake. */
  #deliver(message: Answer): boolean {
    const sent = this.#sendNow(message).ok;
    const seed = this.#host.beacon()?.sharedSeed;
    if (seed !== undefined) this.#memory.outbox.add(rendezvousIdOf(seed), message, sent);
    return sent;
  }

  /** Admits a request once, inside the replay window; duplicates are dropped, stale ones refused. */
  #admit(message: Request<'REQUEST_INVOICE'> | Request<'REQUEST_PAY'>, kind: Kind): boolean {
    const verdict = this.#memory.replay.admit(message.request_uuid, message.timestamp);
    if (verdict.ok) return true;
    this.#host.reportError(new MoneysocketError('UNEXPECTED_MESSAGE', `dropped ${kind} request ${message.request_uuid}: ${verdict.reason}`));
    // A duplicate gets no answer: the first copy's answer is the one that counts.
    if (!verdict.duplicate) this.#answerError(message.request_uuid, kind, 'refused', verdict.reason);
    return false;
  }

  #onInvoiceRequest(message: Request<'REQUEST_INVOICE'>): void {
    const uuid = message.request_uuid;
    if (!this.#admit(message, 'invoice')) return;
    const refuse = (reason: string) => this.#answerError(uuid, 'invoice', 'refused', reason);
    if (this.#host.info()?.payee !== true) return refuse('this wallet does not make invoices for this app');
    if (!Number.isSafeInteger(message.msats) || message.msats <= 0) return refuse('msats must be a positive whole number of millisatoshis');
    const handler = this.#host.invoiceHandler();
    if (handler === undefined) return refuse('this wallet does not make invoices');
    const request: InvoiceRequest = {requestUuid: uuid, msats: message.msats};
    this.#host.emit('invoice-request', {request});
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
    if (this.#host.info()?.payer !== true) return refuse('this wallet does not pay invoices for this app');
    const invoice = decodeBolt11(message.bolt11);
    if (!invoice.ok) return refuse(`invalid bolt11: ${invoice.error.message}`);
    // The wording of the deployed Terminus provider.
    if (invoice.value.msats === null) return refuse('bolt11 does not specify amount');
    if (invoice.value.expiresAt * 1000 <= Date.now()) return refuse('the invoice has expired');
    const handler = this.#host.payHandler();
    if (handler === undefined) return refuse('this wallet does not pay invoices');
    if (this.#answerKnownPayment(uuid, invoice.value.paymentHash)) return;
    const request: PayRequest = {requestUuid: uuid, bolt11: message.bolt11, invoice: invoice.value, msats: invoice.value.msats};
    this.#memory.ledger.begin(invoice.value.paymentHash, invoice.value.expiresAt * 1000 + LEDGER_MARGIN_MS);
    this.#host.emit('pay-request', {request});
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
      this.#host.reportError(new MoneysocketError('PREIMAGE_MISMATCH', `the pay handler returned a preimage that does not match the invoice for request ${uuid}`));
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
      this.#host.reportError(new MoneysocketError('DISCONNECTED', `could not deliver the answer to ${kind} request ${uuid}: the consumer is gone${later}`));
      return;
    }
    const notification = message.notification_name as ProviderEvents['answered']['notification'];
    this.#host.emit('answered', errorMessage === undefined ? {requestUuid: uuid, kind, notification} : {requestUuid: uuid, kind, notification, errorMessage});
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
