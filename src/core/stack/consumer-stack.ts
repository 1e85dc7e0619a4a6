/**
 * ConsumerStack: what an app (a game, a paywall, a shop) runs to use a
 * provider's wallet. Every request carries its uuid, is matched to its
 * answer, and ends exactly once: answered, failed, or timed out.
 */
import {sha256} from '@noble/hashes/sha2.js';
import {decodeBolt11, type DecodedInvoice} from '../bolt11.js';
import {fromHex, toHex} from '../bytes.js';
import {MoneysocketError} from '../errors.js';
import type {Message} from '../message.js';
import {createRequest, type Notification} from '../messages.js';
import type {ConnectionClosed} from './connection.js';
import {ConsumerLayer, ConsumerTransactLayer} from './consumer-layers.js';
import type {Layer} from './layer.js';
import {PendingRequests, type RequestKind} from './pending.js';
import {providerInfoFrom, type ProviderInfo} from './provider-info.js';
import {RendezvousLayer} from './rendezvous-layer.js';
import {Stack, type StackEvents, type StackOptions, type StackState} from './stack.js';
import {BoundedMap} from './bounded-map.js';

export interface ConsumerTimeouts {
  /** REQUEST_PROVIDER → NOTIFY_PROVIDER (or NOT_READY). */
  handshakeMs: number;
  invoiceMs: number;
  payMs: number;
  pingMs: number;
}

export interface ConsumerStackOptions extends StackOptions {
  timeouts?: Partial<ConsumerTimeouts>;
  /** js pings every 3 s; so do we. */
  pingIntervalMs?: number;
  /** Silence longer than this closes the socket and reconnects. */
  livenessTimeoutMs?: number;
}

export interface ConsumerEvents extends StackEvents {
  'provider-info': {providerInfo: ProviderInfo};
  invoice: {bolt11: string; requestUuid: string};
  /** A payment we asked for succeeded; `late` when it arrived after we gave up waiting. */
  preimage: {preimage: string; requestUuid: string; bolt11: string; late: boolean};
  /** An invoice we obtained (or any, when unmatched) was paid to the provider. */
  'payment-received': {preimage: string; paymentHash: string; bolt11: string | undefined; requestUuid: string | undefined};
  ping: {rttMs: number};
}

interface InvoiceContext {
  msats: number;
}

interface PayContext {
  bolt11: string;
  paymentHash: string;
}

const DEFAULT_TIMEOUTS: ConsumerTimeouts = {handshakeMs: 10_000, invoiceMs: 10_000, payMs: 60_000, pingMs: 10_000};

export class ConsumerStack extends Stack<ConsumerEvents> {
  readonly #timeouts: ConsumerTimeouts;
  readonly #pending = new PendingRequests();
  readonly #layers: Layer[];
  readonly #pingSent = new Map<string, number>();
  /** Invoices we obtained, by payment hash, to recognise when they are paid. */
  readonly #invoices = new BoundedMap<string, {bolt11: string; requestUuid: string}>(1000);
  /** Payments whose outcome we could not learn, to report a late preimage. */
  readonly #unknownPays = new BoundedMap<string, PayContext>(1000);
  /** Payment hashes paid or in flight: never send the same invoice twice. */
  readonly #payingOrPaid = new BoundedMap<string, 'paying' | 'paid'>(10_000);
  #providerInfo: ProviderInfo | undefined;

  constructor(options: ConsumerStackOptions = {}) {
    super(options);
    this.#timeouts = {...DEFAULT_TIMEOUTS, ...options.timeouts};
    const host = {
      handshakeTimeoutMs: this.#timeouts.handshakeMs,
      pingIntervalMs: options.pingIntervalMs ?? 3000,
      livenessTimeoutMs: options.livenessTimeoutMs ?? 10_000,
      handshaking: () => this.setState('handshaking'),
      providerNotReady: () => this.setState('handshaking'),
      providerInfo: (m: Notification<'NOTIFY_PROVIDER'>, first: boolean) => this.#onProviderInfo(m, first),
      pong: (m: Notification<'NOTIFY_PONG'>) => this.#onPong(m),
      sendPing: () => void this.ping().catch(() => undefined),
    };
    this.#layers = [
      new RendezvousLayer({waiting: () => this.setState('waiting-for-peer'), paired: () => undefined}),
      new ConsumerLayer(host),
      new ConsumerTransactLayer({
        invoice: (m) => this.#onInvoice(m),
        preimage: (m) => this.#onPreimage(m),
        providerError: (m) => this.#onProviderError(m),
      }),
    ];
  }

  /** The latest provider info, while connected. */
  get providerInfo(): ProviderInfo | undefined {
    return this.#providerInfo;
  }

  protected builtInLayers(): Layer[] {
    return this.#layers;
  }

  protected isReady(state: StackState): boolean {
    return state === 'connected';
  }

  /** Asks the provider for an invoice; resolves with the BOLT11 string. */
  requestInvoice(msats: number, options: {description?: string; timeoutMs?: number} = {}): Promise<string> {
    if (!Number.isSafeInteger(msats) || msats <= 0) {
      return Promise.reject(new MoneysocketError('AMOUNT_INVALID', `msats must be a positive whole number, got ${msats}`));
    }
    // v0 has no description on the wire (js's API accepts and ignores one too).
    void options.description;
    const request = createRequest('REQUEST_INVOICE', {msats});
    return this.#send(request, 'invoice', options.timeoutMs ?? this.#timeouts.invoiceMs, {msats} satisfies InvoiceContext);
  }

  /**
   * Asks the provider to pay an invoice; resolves with the preimage once its
   * SHA-256 is checked against the invoice's payment hash. Never re-sent: if
   * the answer is lost, it fails with PAYMENT_OUTCOME_UNKNOWN.
   */
  requestPay(bolt11: string, options: {timeoutMs?: number} = {}): Promise<string> {
    const invoice = checkPayable(bolt11);
    if (!invoice.ok) return Promise.reject(invoice.error);
    const hash = invoice.value.paymentHash;
    const previous = this.#payingOrPaid.get(hash);
    if (previous !== undefined) {
      const what = previous === 'paid' ? 'was already paid' : 'is already being paid';
      return Promise.reject(new MoneysocketError('INVALID_ARGUMENT', `this invoice ${what}; it is never sent twice`));
    }
    const request = createRequest('REQUEST_PAY', {bolt11});
    const context: PayContext = {bolt11, paymentHash: hash};
    this.#payingOrPaid.set(hash, 'paying');
    const result = this.#send<string>(request, 'pay', options.timeoutMs ?? this.#timeouts.payMs, context);
    result.then(
      () => this.#payingOrPaid.set(hash, 'paid'),
      (error: MoneysocketError) => {
        // Only a definite failure frees the invoice for another try.
        if (error.code === 'PAYMENT_OUTCOME_UNKNOWN') this.#unknownPays.set(request.request_uuid, context);
        else this.#payingOrPaid.delete(hash);
      },
    );
    return result;
  }

  /** Round trip to the provider in milliseconds. */
  ping(options: {timeoutMs?: number} = {}): Promise<number> {
    const request = createRequest('REQUEST_PING', {});
    this.#pingSent.set(request.request_uuid, now());
    const result = this.#send<number>(request, 'ping', options.timeoutMs ?? this.#timeouts.pingMs, undefined, 'handshaking');
    const forget = () => this.#pingSent.delete(request.request_uuid);
    result.then(forget, forget);
    return result;
  }

  /** Sends any request (including an application's own types) and awaits its matched answer. */
  #send<T>(request: Message & {request_uuid: string}, kind: RequestKind, timeoutMs: number, context?: unknown, minState: StackState = 'connected'): Promise<T> {
    const connection = this.connection;
    if (connection === undefined || !stateAtLeast(this.state, minState)) {
      return Promise.reject(new MoneysocketError('NOT_CONNECTED', `not connected to a provider (state: ${this.state})`));
    }
    const uuid = request.request_uuid;
    const answer = this.#pending.add<T>(uuid, kind, timeoutMs, () => timeoutError(kind, timeoutMs), context);
    const sent = connection.send(request);
    if (!sent.ok) this.#pending.reject(uuid, sent.error);
    return answer;
  }

  protected sessionEnded(_info: ConnectionClosed): void {
    this.#providerInfo = undefined;
    this.#pending.rejectAll((kind) =>
      kind === 'pay'
        ? new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', 'the connection ended before the provider answered; the payment may or may not have been made')
        : new MoneysocketError('DISCONNECTED', 'the connection ended before the provider answered'),
    );
  }

  #onProviderInfo(message: Notification<'NOTIFY_PROVIDER'>, first: boolean): void {
    this.#providerInfo = providerInfoFrom(message);
    if (first) this.setState('connected');
    this.emit('provider-info', {providerInfo: this.#providerInfo});
  }

  #onPong(message: Notification<'NOTIFY_PONG'>): boolean {
    const uuid = message.request_reference_uuid;
    const sentAt = uuid === null ? undefined : this.#pingSent.get(uuid);
    if (uuid === null || sentAt === undefined) return false;
    const rttMs = Math.round(now() - sentAt);
    if (this.#pending.resolve(uuid, rttMs)) this.emit('ping', {rttMs});
    return true;
  }

  #onInvoice(message: Notification<'NOTIFY_INVOICE'>): void {
    const uuid = message.request_reference_uuid;
    const entry = uuid === null ? undefined : this.#pending.get(uuid);
    if (uuid === null || entry?.kind !== 'invoice') {
      this.reportError(new MoneysocketError('UNEXPECTED_MESSAGE', 'dropped NOTIFY_INVOICE that answers no invoice request of ours'));
      return;
    }
    const decoded = decodeBolt11(message.bolt11);
    if (!decoded.ok) {
      this.#pending.reject(uuid, new MoneysocketError('BOLT11_INVALID', `the provider sent an unreadable invoice: ${decoded.error.message}`));
      return;
    }
    const asked = (entry.context as InvoiceContext).msats;
    if (decoded.value.msats !== null && decoded.value.msats !== BigInt(asked)) {
      this.#pending.reject(uuid, new MoneysocketError('REQUEST_FAILED', `the provider's invoice is for ${decoded.value.msats} msats, not the ${asked} asked for`));
      return;
    }
    this.#invoices.set(decoded.value.paymentHash, {bolt11: message.bolt11, requestUuid: uuid});
    this.#pending.resolve(uuid, message.bolt11);
    this.emit('invoice', {bolt11: message.bolt11, requestUuid: uuid});
  }

  #onPreimage(message: Notification<'NOTIFY_PREIMAGE'>): void {
    const uuid = message.request_reference_uuid;
    const paymentHash = hashOfPreimage(message.preimage);
    const entry = uuid === null ? undefined : this.#pending.get(uuid);
    if (uuid !== null && entry?.kind === 'pay') {
      const context = entry.context as PayContext;
      if (paymentHash !== context.paymentHash) {
        this.#pending.reject(uuid, new MoneysocketError('PREIMAGE_MISMATCH', 'the provider answered with a preimage that does not match the invoice\'s payment hash'));
        return;
      }
      this.#pending.resolve(uuid, message.preimage);
      this.emit('preimage', {preimage: message.preimage, requestUuid: uuid, bolt11: context.bolt11, late: false});
      return;
    }
    const late = uuid === null ? undefined : this.#unknownPays.get(uuid);
    if (uuid !== null && late !== undefined && late.paymentHash === paymentHash) {
      this.#unknownPays.delete(uuid);
      this.#payingOrPaid.set(paymentHash, 'paid');
      this.emit('preimage', {preimage: message.preimage, requestUuid: uuid, bolt11: late.bolt11, late: true});
      return;
    }
    this.#onPaymentReceived(message.preimage, paymentHash, uuid);
  }

  /** A NOTIFY_PREIMAGE that answers no pay request: one of our invoices was paid (5.5). */
  #onPaymentReceived(preimage: string, paymentHash: string, uuid: string | null): void {
    const invoice = this.#invoices.get(paymentHash);
    if (uuid !== null && invoice?.requestUuid !== uuid) {
      this.reportError(new MoneysocketError('UNEXPECTED_MESSAGE', 'dropped NOTIFY_PREIMAGE that answers no request of ours'));
      return;
    }
    this.emit('payment-received', {preimage, paymentHash, bolt11: invoice?.bolt11, requestUuid: invoice?.requestUuid});
  }

  #onProviderError(message: Notification<'NOTIFY_ERROR'>): void {
    const uuid = message.request_reference_uuid;
    const failed = new MoneysocketError('REQUEST_FAILED', `the provider refused: ${message.error_msg}`, message.error_msg);
    if (uuid !== null && this.#pending.reject(uuid, failed)) return;
    this.reportError(failed);
  }
}

const STATE_ORDER: StackState[] = ['disconnected', 'reconnecting', 'connecting', 'waiting-for-peer', 'handshaking', 'connected'];

function stateAtLeast(state: StackState, min: StackState): boolean {
  return STATE_ORDER.indexOf(state) >= STATE_ORDER.indexOf(min);
}

function timeoutError(kind: RequestKind, timeoutMs: number): MoneysocketError {
  if (kind === 'pay') {
    return new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', `no answer to the payment within ${timeoutMs} ms; it may or may not have been made`);
  }
  return new MoneysocketError('REQUEST_TIMEOUT', `no answer to the ${kind} request within ${timeoutMs} ms`);
}

/** What the wire and the provider require of an invoice before we ask for it to be paid. */
function checkPayable(bolt11: string): {ok: true; value: DecodedInvoice} | {ok: false; error: MoneysocketError} {
  if (typeof bolt11 !== 'string' || !bolt11.startsWith('lnbc')) {
    return {ok: false, error: new MoneysocketError('BOLT11_INVALID', 'only lower-case mainnet (lnbc…) or regtest (lnbcrt…) invoices can be paid over Moneysocket v0')};
  }
  const decoded = decodeBolt11(bolt11);
  if (!decoded.ok) return decoded;
  if (decoded.value.msats === null) {
    return {ok: false, error: new MoneysocketError('AMOUNT_INVALID', 'the invoice has no amount; v0 cannot say how much to pay')};
  }
  if (decoded.value.expiresAt * 1000 < Date.now()) {
    return {ok: false, error: new MoneysocketError('BOLT11_INVALID', 'the invoice has expired')};
  }
  return decoded;
}

function hashOfPreimage(preimage: string): string {
  const bytes = fromHex(preimage);
  return bytes.ok ? toHex(sha256(bytes.value)) : '';
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
