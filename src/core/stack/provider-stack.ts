/**
 * ProviderStack: what a wallet page runs to serve a consumer. The application
 * supplies provider info and async handlers for invoice and pay requests;
 * the stack answers each request exactly once with the right notification.
 */
import {sha256} from '@noble/hashes/sha2.js';
import {decodeBolt11, type DecodedInvoice} from '../bolt11.js';
import {fromHex, toHex} from '../bytes.js';
import {MoneysocketError, type Result} from '../errors.js';
import type {Message} from '../message.js';
import {createNotification, type NotificationFields, type Request} from '../messages.js';
import {newUuid} from '../uuid.js';
import {checkWadForWire, type Wad} from '../wad.js';
import {BoundedMap} from './bounded-map.js';
import type {ConnectionClosed} from './connection.js';
import type {Layer, LayerContext} from './layer.js';
import {ProviderLayer, ProviderTransactLayer} from './provider-layers.js';
import {RendezvousLayer} from './rendezvous-layer.js';
import {Stack, type StackEvents, type StackOptions, type StackState} from './stack.js';

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

/** Resolves with a BOLT11 invoice for `msats`; a throw is sent back as NOTIFY_ERROR. */
export type InvoiceHandler = (request: InvoiceRequest) => string | Promise<string>;
/** Pays the invoice and resolves with its preimage (hex); a throw is sent back as NOTIFY_ERROR. */
export type PayHandler = (request: PayRequest) => string | Promise<string>;

export interface ProviderStackOptions extends StackOptions {
  /** Null or absent: not ready; consumers are told NOTIFY_PROVIDER_NOT_READY until set. */
  providerInfo?: ProviderInfoInput | null;
  handleInvoiceRequest?: InvoiceHandler;
  handlePayRequest?: PayHandler;
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
  readonly #defaultAccount = newUuid();
  readonly #providerLayer: ProviderLayer;
  readonly #layers: Layer[];
  /** Request uuids already taken on: a replayed request is never acted on twice. */
  readonly #seen = new BoundedMap<string, true>(10_000);
  #info: ProviderInfoInput | null;

  constructor(options: ProviderStackOptions = {}) {
    super(options);
    this.#info = options.providerInfo ?? null;
    this.handleInvoiceRequest = options.handleInvoiceRequest;
    this.handlePayRequest = options.handlePayRequest;
    this.#providerLayer = new ProviderLayer({
      providerFields: () => this.#fields(),
      waiting: () => this.setState('handshaking'),
      announced: () => this.setState('connected'),
    });
    this.#layers = [
      new RendezvousLayer({waiting: () => this.setState('waiting-for-peer'), paired: () => undefined}),
      this.#providerLayer,
      new ProviderTransactLayer({
        invoiceRequest: (m, c) => this.#onInvoiceRequest(m, c),
        payRequest: (m, c) => this.#onPayRequest(m, c),
      }),
    ];
  }

  get providerInfo(): ProviderInfoInput | null {
    return this.#info;
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
   * Tells the connected consumer that an invoice it obtained has been paid:
   * NOTIFY_PREIMAGE with no request reference, as deployed providers push it.
   */
  notifyInvoicePaid(preimage: string): Result<void> {
    if (!/^[0-9a-f]{64}$/.test(preimage)) {
      return {ok: false, error: new MoneysocketError('INVALID_ARGUMENT', 'a preimage is 64 lower-case hex characters')};
    }
    return this.#sendNow(createNotification('NOTIFY_PREIMAGE', null, {preimage, ext: null}));
  }

  protected builtInLayers(): Layer[] {
    return this.#layers;
  }

  protected isReady(state: StackState): boolean {
    return state === 'waiting-for-peer' || state === 'handshaking' || state === 'connected';
  }

  protected sessionEnded(_info: ConnectionClosed): void {
    // Requests being worked on keep going; their answers will find no socket and are reported.
  }

  #fields(): NotificationFields['NOTIFY_PROVIDER'] | undefined {
    const info = this.#info;
    if (info === null) return undefined;
    return {account_uuid: info.accountUuid ?? this.#defaultAccount, payer: info.payer, payee: info.payee, wad: info.wad};
  }

  #sendNow(message: Message): Result<void> {
    const connection = this.connection;
    if (connection === undefined || this.state !== 'connected') {
      return {ok: false, error: new MoneysocketError('NOT_CONNECTED', 'no consumer is connected')};
    }
    return connection.send(message);
  }

  /** True the first time a request uuid is seen; replays are reported and dropped. */
  #firstTime(uuid: string): boolean {
    if (this.#seen.has(uuid)) {
      this.reportError(new MoneysocketError('UNEXPECTED_MESSAGE', `dropped a repeated request ${uuid}: each request is acted on once`));
      return false;
    }
    this.#seen.set(uuid, true);
    return true;
  }

  #onInvoiceRequest(message: Request<'REQUEST_INVOICE'>, context: LayerContext): void {
    const uuid = message.request_uuid;
    if (!this.#firstTime(uuid)) return;
    const refuse = (reason: string) => this.#answerError(context, uuid, 'invoice', reason);
    if (this.#info?.payee !== true) return refuse('this provider does not create invoices for this consumer');
    if (!Number.isSafeInteger(message.msats)) return refuse('msats must be a whole number of millisatoshis');
    const handler = this.handleInvoiceRequest;
    if (handler === undefined) return refuse('this provider does not create invoices');
    const request: InvoiceRequest = {requestUuid: uuid, msats: message.msats};
    this.emit('invoice-request', {request});
    settle(() => handler(request)).then(
      (bolt11) => {
        if (typeof bolt11 !== 'string' || !bolt11.startsWith('lnbc')) return refuse('the wallet produced no usable invoice');
        this.#answer(context, createNotification('NOTIFY_INVOICE', uuid, {bolt11}), 'invoice');
      },
      (error: unknown) => refuse(errorText(error)),
    );
  }

  #onPayRequest(message: Request<'REQUEST_PAY'>, context: LayerContext): void {
    const uuid = message.request_uuid;
    if (!this.#firstTime(uuid)) return;
    const refuse = (reason: string) => this.#answerError(context, uuid, 'pay', reason);
    if (this.#info?.payer !== true) return refuse('this provider does not pay invoices for this consumer');
    const invoice = decodeBolt11(message.bolt11);
    if (!invoice.ok) return refuse(`invalid bolt11: ${invoice.error.message}`);
    // The wording of the deployed Terminus provider.
    if (invoice.value.msats === null) return refuse('bolt11 does not specify amount');
    const handler = this.handlePayRequest;
    if (handler === undefined) return refuse('this provider does not pay invoices');
    const request: PayRequest = {requestUuid: uuid, bolt11: message.bolt11, invoice: invoice.value, msats: invoice.value.msats};
    this.emit('pay-request', {request});
    settle(() => handler(request)).then(
      (preimage) => {
        if (!matchesHash(preimage, invoice.value.paymentHash)) {
          this.reportError(new MoneysocketError('PREIMAGE_MISMATCH', `the pay handler returned a preimage that does not match the invoice for request ${uuid}`));
          return refuse('the wallet could not confirm the payment');
        }
        this.#answer(context, createNotification('NOTIFY_PREIMAGE', uuid, {preimage: preimage.toLowerCase(), ext: null}), 'pay');
      },
      (error: unknown) => refuse(errorText(error)),
    );
  }

  #answerError(context: LayerContext, uuid: string, kind: 'invoice' | 'pay', reason: string): void {
    this.#answer(context, createNotification('NOTIFY_ERROR', uuid, {error_msg: reason}), kind, reason);
  }

  #answer(context: LayerContext, message: Message & {notification_name: string; request_reference_uuid: string | null}, kind: 'invoice' | 'pay', errorMessage?: string): void {
    const uuid = message.request_reference_uuid ?? '';
    const sent = context.send(message);
    if (!sent.ok) {
      this.reportError(new MoneysocketError('DISCONNECTED', `could not deliver the answer to ${kind} request ${uuid}: the consumer is gone`));
      return;
    }
    const notification = message.notification_name as ProviderEvents['answered']['notification'];
    this.emit('answered', errorMessage === undefined ? {requestUuid: uuid, kind, notification} : {requestUuid: uuid, kind, notification, errorMessage});
  }
}

/** Runs a handler, turning a synchronous throw into a rejection. */
function settle<T>(run: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(run()));
}

function matchesHash(preimage: unknown, paymentHash: string): preimage is string {
  if (typeof preimage !== 'string' || !/^[0-9a-fA-F]{64}$/.test(preimage)) return false;
  const bytes = fromHex(preimage);
  return bytes.ok && toHex(sha256(bytes.value)) === paymentHash;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : 'the wallet refused';
  return text.slice(0, 500) || 'the wallet refused';
}
