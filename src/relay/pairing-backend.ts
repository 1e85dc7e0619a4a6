/**
 * Where the rendezvous state machine (`RendezvousPairing`) keeps who waits
 * for and who holds each rendezvous id. The default keeps it in this process
 * (`MemoryPairingBackend`); the Redis backend shares it between relay nodes,
 * which is why an answer may come later and a peer may sit on another node.
 */
import type {PairingConnection} from './pairing.js';

/** A connection held by another relay node. */
export interface RemotePeer {
  /** The node instance holding it: the node id plus a suffix new at each start (and after each loss of Redis). */
  readonly node: string;
  readonly conn: string;
}

/** What a REQUEST_RENDEZVOUS gets, decided atomically for the whole cluster. */
export type ClaimAnswer<C> =
  /** Nobody else has the id: the connection now waits for it. */
  | {kind: 'wait'}
  /** Two connections already hold the id. */
  | {kind: 'in-use'}
  /**
   * Paired with a connection waiting on this node. `undefined`: the backend
   * named a local waiter that is already gone; the machine asks again.
   */
  | {kind: 'pair'; waiter: C | undefined}
  /** Paired with a connection waiting on another node. */
  | {kind: 'pair-remote'; peer: RemotePeer};

/** One id a connection of this node holds, as the machine knows it. */
export interface Holding<C> {
  conn: C;
  rendezvousId: string;
  requestUuid: string;
  phase: 'waiting' | 'paired';
  /** For 'paired': the peer, here or on another node. */
  peer?: {local: C} | {remote: RemotePeer};
}

/** How a backend reports what happened on other nodes; implemented by the state machine. */
export interface PairingMachine<C> {
  /** The local connection with this id (`String(conn.id)`), if it is still open. */
  connection(id: string): C | undefined;
  /** A connection of another node paired with `conn`, which waited here. */
  remotePaired(conn: C, rendezvousId: string, peer: RemotePeer): void;
  /**
   * `conn`'s remote peer is gone: it left ('left', with its identity, so a
   * stale notice does not end a newer pairing) or its node did ('lost').
   */
  remoteEnded(conn: C, rendezvousId: string, cause: {left: RemotePeer} | 'lost'): void;
  /** A frame from `conn`'s remote peer. */
  remoteFrame(conn: C, frame: Uint8Array): void;
  /** Asks again for a waiting connection's id, after the shared record of it was lost. */
  reclaim(conn: C): void;
  /** Decides from this node's connections alone: for when the shared store cannot be reached. */
  localAnswer(conn: C, rendezvousId: string): ClaimAnswer<C>;
  /** Every id held by a connection of this node. */
  holdings(): Iterable<Holding<C>>;
}

export interface PairingBackend<C extends PairingConnection> {
  /** Called once, before anything else, with the machine that owns this backend. */
  bind(machine: PairingMachine<C>): void;
  /** REQUEST_RENDEZVOUS from `conn`; the answer records it (waiting, or paired) unless it is 'in-use'. */
  claim(conn: C, rendezvousId: string, requestUuid: string): ClaimAnswer<C> | Promise<ClaimAnswer<C>>;
  /** `conn` was paired with a remote waiter ('pair-remote'): tell the waiter's node. */
  announce(conn: C, rendezvousId: string, peer: RemotePeer): void;
  /** `conn` no longer holds `rendezvousId`; a remote peer, if any, is told it left. */
  release(conn: C, rendezvousId: string): void;
  /** A frame for a remote peer; frames for one peer arrive in the order given. */
  forward(peer: RemotePeer, frame: Uint8Array): void;
}

/**
 * The single relay: per rendezvous id at most one waiting connection or one
 * pair (never both), decided synchronously. No shared store, no remote peers.
 */
export class MemoryPairingBackend<C extends PairingConnection> implements PairingBackend<C> {
  readonly #waiting = new Map<string, C>();
  readonly #pairs = new Map<string, [C, C]>();

  bind(): void {}

  claim(conn: C, rendezvousId: string): ClaimAnswer<C> {
    if (this.#pairs.has(rendezvousId)) return {kind: 'in-use'};
    const waiter = this.#waiting.get(rendezvousId);
    if (waiter !== undefined) {
      this.#waiting.delete(rendezvousId);
      this.#pairs.set(rendezvousId, [waiter, conn]);
      return {kind: 'pair', waiter};
    }
    this.#waiting.set(rendezvousId, conn);
    return {kind: 'wait'};
  }

  announce(): void {
    throw new Error('a single relay has no remote peers');
  }

  release(conn: C, rendezvousId: string): void {
    if (this.#waiting.get(rendezvousId) === conn) this.#waiting.delete(rendezvousId);
    const pair = this.#pairs.get(rendezvousId);
    if (pair !== undefined && (pair[0] === conn || pair[1] === conn)) this.#pairs.delete(rendezvousId);
  }

  forward(): void {
    throw new Error('a single relay has no remote peers');
  }
}
