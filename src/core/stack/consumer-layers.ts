/**
 * CONSUMER and CONSUMER_TRANSACT (PROTOCOL.md 8.2): the consumer's side of the
 * provider handshake, the ping timer, and the invoice/payment answers. They
 * parse and route; the ConsumerStack decides what each answer means.
 */
import {MoneysocketError} from '../errors.js';
import type {Message} from '../message-codec.js';
import {createRequest, isNotification, type Notification} from '../message-types.js';
import type {Layer, LayerContext} from './layer.js';

export interface ConsumerHandshakeHost {
  handshakeTimeoutMs: number;
  pingIntervalMs: number;
  livenessTimeoutMs: number;
  handshaking(): void;
  providerNotReady(): void;
  providerInfo(message: Notification<'NOTIFY_PROVIDER'>, first: boolean): void;
  pong(message: Notification<'NOTIFY_PONG'>): boolean;
  /** Sends a ping whose pong the host awaits. */
  sendPing(): void;
}

export class ConsumerLayer implements Layer {
  readonly name = 'CONSUMER';
  readonly #host: ConsumerHandshakeHost;
  #context: LayerContext | undefined;
  #announced = false;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #lastHeard = 0;

  constructor(host: ConsumerHandshakeHost) {
    this.#host = host;
  }

  attach(context: LayerContext): void {
    this.#context = context;
    this.#announced = false;
    this.#lastHeard = Date.now();
    this.#host.handshaking();
    const sent = context.send(createRequest('REQUEST_PROVIDER', {}));
    if (!sent.ok) context.report(sent.error);
    this.#handshakeTimer = setTimeout(() => {
      context.report(new MoneysocketError('REQUEST_TIMEOUT', `no answer to REQUEST_PROVIDER within ${this.#host.handshakeTimeoutMs} ms`));
      context.close('handshake-timeout');
    }, this.#host.handshakeTimeoutMs);
  }

  handle(message: Message): boolean {
    this.#lastHeard = Date.now();
    if (isNotification(message, 'NOTIFY_PROVIDER')) {
      const first = !this.#announced;
      if (first) this.#announce();
      this.#host.providerInfo(message, first);
      if (first) this.#firstPing();
      return true;
    }
    if (isNotification(message, 'NOTIFY_PROVIDER_NOT_READY')) {
      // The provider promised to come back: the handshake may now take as long as it needs.
      clearTimeout(this.#handshakeTimer);
      if (!this.#announced) this.#host.providerNotReady();
      return true;
    }
    if (isNotification(message, 'NOTIFY_PONG')) {
      if (!this.#host.pong(message)) {
        this.#context?.report(new MoneysocketError('UNEXPECTED_MESSAGE', 'dropped NOTIFY_PONG for a ping we did not send'));
      }
      return true;
    }
    return false;
  }

  detach(): void {
    clearTimeout(this.#handshakeTimer);
    clearInterval(this.#pingTimer);
    this.#context = undefined;
  }

  #announce(): void {
    this.#announced = true;
    clearTimeout(this.#handshakeTimer);
    this.#context?.announce();
    // Ping right away (see #firstPing) and then periodically, as js does; silence means the peer is gone.
    this.#pingTimer = setInterval(() => this.#tick(), this.#host.pingIntervalMs);
  }

  /**
   * The first ping goes out a microtask after the host has read the
   * provider's info, and so after whoever awaits connect() has resumed: an
   * app's first request need not wait for it.
   */
  #firstPing(): void {
    const context = this.#context;
    queueMicrotask(() => {
      if (this.#context === context) this.#host.sendPing();
    });
  }

  #tick(): void {
    const context = this.#context;
    if (context === undefined) return;
    if (Date.now() - this.#lastHeard > this.#host.livenessTimeoutMs) {
      context.report(new MoneysocketError('REQUEST_TIMEOUT', `nothing heard from the provider for ${this.#host.livenessTimeoutMs} ms`));
      context.close('liveness-timeout');
      return;
    }
    this.#host.sendPing();
  }
}

export interface ConsumerTransactHost {
  invoice(message: Notification<'NOTIFY_INVOICE'>): void;
  preimage(message: Notification<'NOTIFY_PREIMAGE'>): void;
  providerError(message: Notification<'NOTIFY_ERROR'>): void;
}

export class ConsumerTransactLayer implements Layer {
  readonly name = 'CONSUMER_TRANSACT';
  readonly #host: ConsumerTransactHost;

  constructor(host: ConsumerTransactHost) {
    this.#host = host;
  }

  /** Nothing to negotiate: announcing at once attaches any application layers above. */
  attach(context: LayerContext): void {
    context.announce();
  }

  handle(message: Message): boolean {
    if (isNotification(message, 'NOTIFY_INVOICE')) this.#host.invoice(message);
    else if (isNotification(message, 'NOTIFY_PREIMAGE')) this.#host.preimage(message);
    else if (isNotification(message, 'NOTIFY_ERROR')) this.#host.providerError(message);
    else return false;
    return true;
  }

  detach(): void {}
}
