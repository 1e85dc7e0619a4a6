/**
 * OUTGOING_RENDEZVOUS: asks the relay to pair this connection with the peer
 * holding the same rendezvous id (PROTOCOL.md 5.2 and 7).
 */
import {MoneysocketError} from '../errors.js';
import {type Message} from '../message-codec.js';
import {createRequest, isNotification} from '../message-types.js';
import {rendezvousIdOf} from '../seed-keys.js';
import type {Layer, LayerContext} from './layer.js';

export interface RendezvousEvents {
  /** The relay has no peer for us yet. */
  waiting(): void;
  /** Paired: frames now go to the peer. */
  paired(): void;
}

export interface RendezvousOptions {
  /** A relay that does not answer REQUEST_RENDEZVOUS this long is given up on. Default 10 s. */
  answerTimeoutMs?: number;
  /** How long a NOTIFY_RENDEZVOUS_END may go without the relay's close before it is called forged. Default 2 s. */
  endGraceMs?: number;
}

export class RendezvousLayer implements Layer {
  readonly name = 'OUTGOING_RENDEZVOUS';
  readonly #events: RendezvousEvents;
  readonly #answerTimeoutMs: number;
  readonly #endGraceMs: number;
  #context: LayerContext | undefined;
  #requestUuid: string | undefined;
  #paired = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(events: RendezvousEvents, options: RendezvousOptions = {}) {
    this.#events = events;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
    this.#endGraceMs = options.endGraceMs ?? 2_000;
  }

  attach(context: LayerContext): void {
    this.#context = context;
    this.#paired = false;
    const request = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousIdOf(context.sharedSeed)});
    this.#requestUuid = request.request_uuid;
    const sent = context.send(request);
    if (!sent.ok) context.report(sent.error);
    context.status('NEXUS_WAITING');
    this.#timer = setTimeout(() => {
      context.report(new MoneysocketError('REQUEST_TIMEOUT', `the relay did not answer REQUEST_RENDEZVOUS within ${this.#answerTimeoutMs} ms`));
      context.close('handshake-timeout');
    }, this.#answerTimeoutMs);
  }

  handle(message: Message): boolean {
    const context = this.#context;
    if (context === undefined || message.message_class !== 'NOTIFICATION') return false;
    if (isNotification(message, 'NOTIFY_RENDEZVOUS_END')) {
      this.#ended(context);
      return true;
    }
    if (this.#paired) return false;
    if (isNotification(message, 'NOTIFY_RENDEZVOUS_NOT_READY')) {
      if (message.request_reference_uuid !== this.#requestUuid) return true;
      clearTimeout(this.#timer);
      this.#events.waiting();
      return true;
    }
    if (isNotification(message, 'NOTIFY_RENDEZVOUS')) {
      if (message.request_reference_uuid !== this.#requestUuid) return false;
      clearTimeout(this.#timer);
      this.#paired = true;
      this.#events.paired();
      context.announce();
      return true;
    }
    return false;
  }

  detach(): void {
    clearTimeout(this.#timer);
    this.#context = undefined;
    this.#requestUuid = undefined;
    this.#paired = false;
  }

  /**
   * Before pairing, only the relay can speak to us: its end is final. After
   * pairing, the peer can send a clear NOTIFY_RENDEZVOUS_END through the relay
   * as well, so the message alone ends nothing: the relay always closes the
   * socket after its own, and that close is what ends the session.
   */
  #ended(context: LayerContext): void {
    if (!this.#paired) {
      context.close('peer-left');
      return;
    }
    context.expectClose('peer-left');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      context.expectClose(undefined);
      context.report(new MoneysocketError('UNEXPECTED_MESSAGE', 'ignored a NOTIFY_RENDEZVOUS_END that the relay did not follow with a close: forged by the peer?'));
    }, this.#endGraceMs);
  }
}
