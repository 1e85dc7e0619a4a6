/**
 * Layers, as in both reference libraries: each handles the messages of its
 * part of the protocol and "announces" when its handshake is done, which
 * attaches the layer above. Applications add their own layers on top to
 * extend the protocol with their own message types.
 */
import type {MoneysocketError, Result} from '../errors.js';
import type {Message, MessageRegistry} from '../message-codec.js';
import type {SharedSeed} from '../seed.js';

export type LayerStatus = 'NEXUS_CREATED' | 'NEXUS_WAITING' | 'NEXUS_ANNOUNCED' | 'NEXUS_DESTROYED' | 'NEXUS_REVOKED';

/** What a layer can do with the connection it is attached to. */
export interface LayerContext {
  readonly sharedSeed: SharedSeed;
  readonly registry: MessageRegistry;
  /** Encodes (encrypting unless the type is clear) and sends; fails if the socket is gone. */
  send(message: Message): Result<void>;
  /** This layer's handshake is complete: attach the layer above. */
  announce(): void;
  /** Report a layer status (stack events). */
  status(status: LayerStatus): void;
  /** Something went wrong but the session goes on: surfaced as an error event. */
  report(error: MoneysocketError): void;
  /** End this connection (the stack decides whether to reconnect). */
  close(reason: ConnectionCloseReason): void;
  /** The relay announced the end: if the socket now closes, this is why. */
  expectClose(reason: ConnectionCloseReason | undefined): void;
}

/** Why a stack ends one connection; it decides from this whether to reconnect. */
export type ConnectionCloseReason = 'user' | 'peer-left' | 'open-timeout' | 'handshake-timeout' | 'liveness-timeout' | 'protocol-error';

export interface Layer {
  /** Upper-case, as js names them: OUTGOING_RENDEZVOUS, CONSUMER, PROVIDER_TRANSACT... */
  readonly name: string;
  /** Called on each new connection once every layer below has announced. */
  attach(context: LayerContext): void;
  /** Offered each message no layer below consumed; return true to consume it. */
  handle(message: Message): boolean;
  /** The connection is gone; drop per-connection state. */
  detach(): void;
}
