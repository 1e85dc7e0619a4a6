/**
 * PROVIDER and PROVIDER_TRANSACT (PROTOCOL.md 8.2): the provider's side of the
 * handshake, pong answers, and the routing of invoice and pay requests.
 */
import {MoneysocketError} from '../errors.js';
import type {Message} from '../message-codec.js';
import {createNotification, isRequest, type NotificationFields, type Request} from '../message-types.js';
import type {Layer, LayerContext} from './layer.js';

export interface ProviderHandshakeHost {
  /** The NOTIFY_PROVIDER fields, or undefined while the application is not ready. */
  providerFields(): NotificationFields['NOTIFY_PROVIDER'] | undefined;
  /** Silence after the consumer's first ping that means it is gone; 0 = never. */
  livenessTimeoutMs: number;
  waiting(): void;
  announced(): void;
}

export class ProviderLayer implements Layer {
  readonly name = 'PROVIDER';
  readonly #host: ProviderHandshakeHost;
  #context: LayerContext | undefined;
  #announced = false;
  /** A REQUEST_PROVIDER we answered NOT_READY, to answer properly once ready. */
  #deferredUuid: string | undefined;
  #liveness: ReturnType<typeof setInterval> | undefined;
  /** When the consumer was last heard from; undefined until its first ping (py consumers never ping). */
  #lastHeard: number | undefined;

  constructor(host: ProviderHandshakeHost) {
    this.#host = host;
  }

  attach(context: LayerContext): void {
    this.#context = context;
    this.#announced = false;
    this.#deferredUuid = undefined;
    this.#lastHeard = undefined;
    context.status('NEXUS_WAITING');
    this.#host.waiting();
  }

  handle(message: Message): boolean {
    const context = this.#context;
    if (context === undefined) return false;
    if (this.#lastHeard !== undefined) this.#lastHeard = Date.now();
    if (isRequest(message, 'REQUEST_PING')) {
      this.#heardPing();
      // Answered at any time after rendezvous, even before the handshake.
      this.#send(createNotification('NOTIFY_PONG', message.request_uuid, {}));
      return true;
    }
    if (isRequest(message, 'REQUEST_PROVIDER')) {
      this.#answerProvider(message);
      return true;
    }
    return false;
  }

  detach(): void {
    clearInterval(this.#liveness);
    this.#liveness = undefined;
    this.#context = undefined;
    this.#deferredUuid = undefined;
  }

  /** A consumer that pings keeps pinging: from its first ping on, silence means it (or the relay) is gone. */
  #heardPing(): void {
    this.#lastHeard = Date.now();
    const timeout = this.#host.livenessTimeoutMs;
    if (this.#liveness !== undefined || !(timeout > 0) || !Number.isFinite(timeout)) return;
    this.#liveness = setInterval(() => this.#checkLiveness(timeout), Math.max(50, timeout / 4));
  }

  #checkLiveness(timeout: number): void {
    const context = this.#context;
    if (context === undefined || this.#lastHeard === undefined || Date.now() - this.#lastHeard <= timeout) return;
    context.report(new MoneysocketError('REQUEST_TIMEOUT', `nothing heard from the consumer for ${timeout} ms`));
    context.close('liveness-timeout');
  }

  /** The application became ready (or its info changed): tell the consumer. */
  pushInfo(): void {
    if (this.#context === undefined) return;
    const fields = this.#host.providerFields();
    if (fields === undefined) return;
    if (this.#announced) {
      // Later updates reference nothing (py sends null; consumers must not use it).
      this.#send(createNotification('NOTIFY_PROVIDER', null, fields));
    } else if (this.#deferredUuid !== undefined) {
      this.#sendInfo(this.#deferredUuid);
    }
  }

  #answerProvider(message: Request<'REQUEST_PROVIDER'>): void {
    if (this.#host.providerFields() === undefined) {
      this.#deferredUuid = message.request_uuid;
      this.#send(createNotification('NOTIFY_PROVIDER_NOT_READY', message.request_uuid, {}));
      return;
    }
    this.#sendInfo(message.request_uuid);
  }

  #sendInfo(referenceUuid: string): void {
    const fields = this.#host.providerFields();
    if (fields === undefined) return;
    this.#deferredUuid = undefined;
    this.#send(createNotification('NOTIFY_PROVIDER', referenceUuid, fields));
    if (!this.#announced) {
      this.#announced = true;
      this.#context?.announce();
      this.#host.announced();
    }
  }

  #send(message: Message): void {
    const sent = this.#context?.send(message);
    if (sent !== undefined && !sent.ok) this.#context?.report(sent.error);
  }
}

export interface ProviderTransactHost {
  invoiceRequest(message: Request<'REQUEST_INVOICE'>): void;
  payRequest(message: Request<'REQUEST_PAY'>): void;
}

export class ProviderTransactLayer implements Layer {
  readonly name = 'PROVIDER_TRANSACT';
  readonly #host: ProviderTransactHost;
  #context: LayerContext | undefined;

  constructor(host: ProviderTransactHost) {
    this.#host = host;
  }

  /** Nothing to negotiate: announcing at once attaches any application layers above. */
  attach(context: LayerContext): void {
    this.#context = context;
    context.announce();
  }

  handle(message: Message): boolean {
    if (this.#context === undefined) return false;
    if (isRequest(message, 'REQUEST_INVOICE')) this.#host.invoiceRequest(message);
    else if (isRequest(message, 'REQUEST_PAY')) this.#host.payRequest(message);
    else return false;
    return true;
  }

  detach(): void {
    this.#context = undefined;
  }
}
