/**
 * What a ConsumerStack does once the session engine is loaded: every request
 * carries its uuid, is matched to its answer, and ends exactly once:
 * answered, failed, or timed out. The stack (consumer-stack.ts) holds the
 * public API and the connection; this holds the rest.
 */
import {decodeBolt11, type DecodedInvoice} from '../bolt11.js';
import {MoneysocketError} from '../errors.js';
import type {Message} from '../message-codec.js';
import {createRequest, type Notification} from '../message-types.js';
import {hashOfPreimage} from '../preimage.js';
import {readErrorText} from './answer-text.js';
import {BoundedMap} from './bounded-map.js';
import type {Connection} from './connection.js';
import {ConsumerLayer, ConsumerTransactLayer} from './consumer-layers.js';
import type {ConsumerEvents, ConsumerStackOptions, ConsumerTimeouts} from './consumer-stack.js';
import type {Layer} from './layer.js';
import {PendingRequests, type RequestKind} from './pending.js';
import {providerInfoFrom, type ProviderInfo} from './provider-info.js';
import {RendezvousLayer} from './rendezvous-layer.js';
import type {StackState} from './stack.js';

/** What the session needs from its stack. */
export interface ConsumerSessionHost {
  setState(state: StackState): void;
  emit<K extends keyof ConsumerEvents & string>(type: K, detail: ConsumerEvents[K]): void;
  reportError(error: MoneysocketError): void;
  connection(): Connection | undefined;
  state(): StackState;
}

interface InvoiceContext {
  msats: number;
}

interface PayContext {
  bolt11: string;
  paymentHash: string;
  requestUuid: string;
  /** Whether the request left: one never sent cannot have moved money. */
  sent: boolean;
}

export class ConsumerSession {
  readonly #host: ConsumerSessionHost;
  readonly #timeouts: ConsumerTimeouts;
  readonly #verifySignatures: boolean;
  readonly #pending = new PendingRequests();
  readonly #layers: Layer[];
  readonly #pingSent = new Map<string, number>();
  /** Invoices we obtained, by payment hash, to recognise when they are paid. */
  readonly #invoices = new BoundedMap<string, {bolt11: string; requestUuid: string}>(1000);
  /** Payment hashes already reported received: a re-delivered notice is not news. */
  readonly #received = new BoundedMap<string, true>(1000);
  /** Payments that ended without a definite outcome, by request uuid, awaiting a late answer. */
  readonly #unresolved = new BoundedMap<string, PayContext>(1000);
  /** Pay requests whose outcome we know, so a re-delivered answer is recognised. */
  readonly #settledPays = new BoundedMap<string, true>(1000);
  /** Payment hashes paid, in flight or of unknown outcome: never send the same invoice twice. */
  readonly #payingOrPaid = new BoundedMap<string, 'paying' | 'paid'>(10_000);
  #providerInfo: ProviderInfo | undefined;

  /** `timeouts` are the options' over the defaults, which the stack fills in (so that the engine does not import the stack). */
  constructor(host: ConsumerSessionHost, options: ConsumerStackOptions, timeouts: ConsumerTimeouts) {
    this.#host = host;
    this.#timeouts = timeouts;
    this.#verifySignatures = options.verifyInvoiceSignatures ?? false;
    const handshake = {
      handshakeTimeoutMs: this.#timeouts.handshakeMs,
      pingIntervalMs: options.pingIntervalMs ?? 3000,
      livenessTimeoutMs: options.livenessTimeoutMs ?? 10_000,
      handshaking: () => host.setState('handshaking'),
      providerNotReady: () => host.setState('handshaking'),
      providerInfo: (m: Notification<'NOTIFY_PROVIDER'>, first: boolean) => this.#onProviderInfo(m, first),
      pong: (m: Notification<'NOTIFY_PONG'>) => this.#onPong(m),
      sendPing: () => void this.ping().catch(() => undefined),
    };
    this.#layers = [
      new RendezvousLayer({waiting: () => host.setState('waiting-for-peer'), paired: () => undefined}),
      new ConsumerLayer(handshake),
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

  /** Built-in layers, bottom to top, above the socket. */
  get layers(): Layer[] {
    return this.#layers;
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
   * SHA-256 is checked against the invoice's payment hash. An invoice is sent
   * again only after a definite refusal (`REQUEST_REFUSED`) or when it never
   * left; after any other ending (`PAYMENT_OUTCOME_UNKNOWN`, `PAYMENT_FAILED`,
   * `PREIMAGE_MISMATCH`) it is refused here, and a late answer is reported
   * through the `preimage` event.
   */
  requestPay(bolt11: string, options: {timeoutMs?: number} = {}): Promise<string> {
    const invoice = checkPayable(bolt11);
    if (!invoice.ok) return Promise.reject(invoice.error);
    const hash = invoice.value.paymentHash;
    const previous = this.#payingOrPaid.get(hash);
    if (previous !== undefined) {
      const what = previous === 'paid' ? 'was already paid' : 'is being paid, or an earlier attempt ended without a known outcome';
      return Promise.reject(new MoneysocketError('INVALID_ARGUMENT', `this invoice ${what}; it is never sent twice`));
    }
    const request = createRequest('REQUEST_PAY', {bolt11});
    const context: PayContext = {bolt11, paymentHash: hash, requestUuid: request.request_uuid, sent: false};
    this.#payingOrPaid.set(hash, 'paying');
    const result = this.#send<string>(request, 'pay', options.timeoutMs ?? this.#timeouts.payMs, context);
    result.then(
      () => this.#payEnded(context, 'paid'),
      (error: MoneysocketError) => this.#payEnded(context, !context.sent || error.code === 'REQUEST_REFUSED' ? 'free' : 'unresolved'),
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
    const connection = this.#host.connection();
    if (connection === undefined || !stateAtLeast(this.#host.state(), minState)) {
      return Promise.reject(new MoneysocketError('NOT_CONNECTED', `not connected to a provider (state: ${this.#host.state()})`));
    }
    const uuid = request.request_uuid;
    const answer = this.#pending.add<T>(uuid, kind, timeoutMs, () => timeoutError(kind, timeoutMs), context);
    const sent = connection.send(request);
    if (!sent.ok) this.#pending.reject(uuid, sent.error);
    else if (kind === 'pay') (context as PayContext).sent = true;
    return answer;
  }

  /** Where an invoice stands once its pay request has ended. */
  #payEnded(context: PayContext, outcome: 'paid' | 'free' | 'unresolved'): void {
    if (outcome === 'unresolved') {
      this.#unresolved.set(context.requestUuid, context);
      return;
    }
    this.#settledPays.set(context.requestUuid, true);
    if (outcome === 'free') this.#payingOrPaid.delete(context.paymentHash);
    else this.#payingOrPaid.set(context.paymentHash, 'paid');
  }

  sessionEnded(): void {
    this.#providerInfo = undefined;
    this.#pending.rejectAll((kind) =>
      kind === 'pay'
        ? new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', 'the connection ended before the provider answered; the payment may or may not have been made')
        : new MoneysocketError('DISCONNECTED', 'the connection ended before the provider answered'),
    );
  }

  #onProviderInfo(message: Notification<'NOTIFY_PROVIDER'>, first: boolean): void {
    this.#providerInfo = providerInfoFrom(message);
    if (first) this.#host.setState('connected');
    this.#host.emit('provider-info', {providerInfo: this.#providerInfo});
  }

  #onPong(message: Notification<'NOTIFY_PONG'>): boolean {
    const uuid = message.request_reference_uuid;
    const sentAt = uuid === null ? undefined : this.#pingSent.get(uuid);
    if (uuid === null || sentAt === undefined) return false;
    const rttMs = Math.round(now() - sentAt);
    if (this.#pending.resolve(uuid, rttMs)) this.#host.emit('ping', {rttMs});
    return true;
  }

  #onInvoice(message: Notification<'NOTIFY_INVOICE'>): void {
    const uuid = message.request_reference_uuid;
    const entry = uuid === null ? undefined : this.#pending.get(uuid);
    if (uuid === null || entry?.kind !== 'invoice') {
      this.#host.reportError(new MoneysocketError('UNEXPECTED_MESSAGE', 'dropped NOTIFY_INVOICE that answers no invoice request of ours'));
      return;
    }
    const invoice = checkInvoice(message.bolt11, (entry.context as InvoiceContext).msats);
    if (!invoice.ok) {
      this.#pending.reject(uuid, invoice.error);
      return;
    }
    const paymentHash = invoice.value.paymentHash;
    if (!this.#verifySignatures) return this.#acceptInvoice(uuid, message.bolt11, paymentHash);
    void signatureProblem(message.bolt11).then((bad) => {
      if (bad !== undefined) this.#pending.reject(uuid, bad);
      else this.#acceptInvoice(uuid, message.bolt11, paymentHash);
    });
  }

  #acceptInvoice(uuid: string, bolt11: string, paymentHash: string): void {
    if (!this.#pending.has(uuid)) return; // timed out while the signature was checked
    this.#invoices.set(paymentHash, {bolt11, requestUuid: uuid});
    this.#pending.resolve(uuid, bolt11);
    this.#host.emit('invoice', {bolt11, requestUuid: uuid});
  }

  #onPreimage(message: Notification<'NOTIFY_PREIMAGE'>): void {
    const uuid = message.request_reference_uuid;
    const paymentHash = hashOfPreimage(message.preimage);
    const entry = uuid === null ? undefined : this.#pending.get(uuid);
    if (uuid !== null && entry?.kind === 'pay') {
      const context = entry.context as PayContext;
      if (paymentHash !== context.paymentHash) {
        this.#pending.reject(uuid, new MoneysocketError('PREIMAGE_MISMATCH', 'the provider answered with a preimage that does not match the invoice\'s payment hash; the invoice is not sent again'));
        return;
      }
      this.#pending.resolve(uuid, message.preimage);
      this.#host.emit('preimage', {preimage: message.preimage, requestUuid: uuid, bolt11: context.bolt11, late: false});
      return;
    }
    if (uuid !== null && this.#settledPays.has(uuid)) return; // re-delivered after a reconnection
    if (this.#latePreimage(uuid, paymentHash, message.preimage)) return;
    this.#onPaymentReceived(message.preimage, paymentHash, uuid);
  }

  /**
   * The answer to a payment whose outcome was unknown: matched by request
   * uuid, or by payment hash (a provider reloaded since may answer under an
   * earlier request's uuid), and always checked against the payment hash.
   */
  #latePreimage(uuid: string | null, paymentHash: string, preimage: string): boolean {
    const late = (uuid === null ? undefined : this.#unresolved.get(uuid)) ?? this.#unresolvedByHash(paymentHash);
    if (late === undefined || late.paymentHash !== paymentHash) return false;
    this.#unresolved.delete(late.requestUuid);
    this.#payEnded(late, 'paid');
    this.#host.emit('preimage', {preimage, requestUuid: late.requestUuid, bolt11: late.bolt11, late: true});
    return true;
  }

  #unresolvedByHash(paymentHash: string): PayContext | undefined {
    for (const context of this.#unresolved.values()) if (context.paymentHash === paymentHash) return context;
    return undefined;
  }

  /** A NOTIFY_PREIMAGE that answers no pay request: one of our invoices was paid (5.5). */
  #onPaymentReceived(preimage: string, paymentHash: string, uuid: string | null): void {
    const invoice = this.#invoices.get(paymentHash);
    if (invoice === undefined || (uuid !== null && invoice.requestUuid !== uuid)) {
      this.#host.reportError(new MoneysocketError('UNMATCHED_NOTIFICATION', 'ignored NOTIFY_PREIMAGE for no invoice or payment of ours'));
      return;
    }
    if (this.#received.has(paymentHash)) return; // re-delivered after a reconnection
    this.#received.set(paymentHash, true);
    this.#host.emit('payment-received', {preimage, paymentHash, bolt11: invoice.bolt11, requestUuid: invoice.requestUuid});
  }

  #onProviderError(message: Notification<'NOTIFY_ERROR'>): void {
    const uuid = message.request_reference_uuid;
    const kind = uuid === null ? undefined : this.#pending.get(uuid)?.kind;
    const error = providerError(message.error_msg, kind);
    if (uuid !== null && this.#pending.reject(uuid, error)) return;
    if (uuid !== null && this.#settledPays.has(uuid)) return;
    const late = uuid === null ? undefined : this.#unresolved.get(uuid);
    if (late !== undefined && readErrorText(message.error_msg).verdict === 'refused') {
      // A refusal re-delivered after a lost connection: nothing was paid.
      this.#unresolved.delete(late.requestUuid);
      this.#payEnded(late, 'free');
    }
    this.#host.reportError(error);
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

/** A NOTIFY_ERROR as the app sees it: what the provider's text says about money. */
function providerError(text: string, kind: RequestKind | undefined): MoneysocketError {
  const {verdict, reason} = readErrorText(text);
  if (verdict === 'refused') return new MoneysocketError('REQUEST_REFUSED', `the provider refused: ${reason}`, text);
  if (verdict === 'unknown') {
    return new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', `the provider cannot tell whether the payment was made: ${reason}`, text);
  }
  if (kind === 'pay') {
    return new MoneysocketError('PAYMENT_FAILED', `the provider reported a failure: ${reason}. It did not say that nothing was paid, so this invoice is not sent again`, text);
  }
  return new MoneysocketError('REQUEST_FAILED', `the provider reported a failure: ${reason}`, text);
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
  if (decoded.value.expiresAt * 1000 <= Date.now()) {
    return {ok: false, error: new MoneysocketError('BOLT11_INVALID', 'the invoice has expired')};
  }
  return decoded;
}

/**
 * The invoice the provider sent for `asked` msats, decoded once, or why it
 * is unusable. Its network needs no check here: message validation already
 * drops a NOTIFY_INVOICE whose bolt11 does not start with "lnbc".
 */
function checkInvoice(bolt11: string, asked: number): {ok: true; value: DecodedInvoice} | {ok: false; error: MoneysocketError} {
  const decoded = decodeBolt11(bolt11);
  const problem = (error: MoneysocketError) => ({ok: false as const, error});
  if (!decoded.ok) return problem(new MoneysocketError('BOLT11_INVALID', `the provider sent an unreadable invoice: ${decoded.error.message}`));
  const {msats, expiresAt} = decoded.value;
  if (msats === null) return problem(new MoneysocketError('REQUEST_FAILED', `the provider's invoice has no amount, not the ${asked} msats asked for`));
  if (msats !== BigInt(asked)) return problem(new MoneysocketError('REQUEST_FAILED', `the provider's invoice is for ${msats} msats, not the ${asked} asked for`));
  if (expiresAt * 1000 <= Date.now()) return problem(new MoneysocketError('BOLT11_INVALID', 'the provider sent an invoice that has already expired'));
  return decoded;
}

async function signatureProblem(bolt11: string): Promise<MoneysocketError | undefined> {
  try {
    const {verifyInvoiceSignature} = await import('../bolt11-signature.js');
    return verifyInvoiceSignature(bolt11) ? undefined : new MoneysocketError('BOLT11_INVALID', 'the provider sent an invoice whose signature does not verify');
  } catch (error) {
    return new MoneysocketError('BOLT11_INVALID', `could not check the invoice's signature: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
