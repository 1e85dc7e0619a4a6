/**
 * OUTGOING_RENDEZVOUS: asks the relay to pair this connection with the peer
 * holding the same rendezvous id (PROTOCOL.md 5.2 and 7).
 */
import {type Message} from '../message.js';
import {createRequest, isNotification} from '../messages.js';
import type {Layer, LayerContext} from './layer.js';

export interface RendezvousEvents {
  /** The relay has no peer for us yet. */
  waiting(): void;
  /** Paired: frames now go to the peer. */
  paired(): void;
}

export class RendezvousLayer implements Layer {
  readonly name = 'OUTGOING_RENDEZVOUS';
  readonly #events: RendezvousEvents;
  #context: LayerContext | undefined;
  #requestUuid: string | undefined;
  #paired = false;

  constructor(events: RendezvousEvents) {
    this.#events = events;
  }

  attach(context: LayerContext): void {
    this.#context = context;
    this.#paired = false;
    const request = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: context.sharedSeed.rendezvousId});
    this.#requestUuid = request.request_uuid;
    const sent = context.send(request);
    if (!sent.ok) context.report(sent.error);
    context.status('NEXUS_WAITING');
  }

  handle(message: Message): boolean {
    const context = this.#context;
    if (context === undefined || message.message_class !== 'NOTIFICATION') return false;
    if (isNotification(message, 'NOTIFY_RENDEZVOUS_END')) {
      context.close('peer-left');
      return true;
    }
    if (this.#paired) return false;
    if (isNotification(message, 'NOTIFY_RENDEZVOUS_NOT_READY')) {
      if (message.request_reference_uuid === this.#requestUuid) this.#events.waiting();
      return true;
    }
    if (isNotification(message, 'NOTIFY_RENDEZVOUS')) {
      if (message.request_reference_uuid !== this.#requestUuid) return false;
      this.#paired = true;
      this.#events.paired();
      context.announce();
      return true;
    }
    return false;
  }

  detach(): void {
    this.#context = undefined;
    this.#requestUuid = undefined;
    this.#paired = false;
  }
}
