/**
 * The relay's rendezvous state machine (PROTOCOL.md section 7), with no
 * sockets: the relay feeds it connections, frames and closes, and it answers
 * by sending frames and closing connections through the small
 * `PairingConnection` interface. Tests drive it with fake connections.
 */
import {unwrap} from '../core/errors.js';
import {DEFAULT_MAX_FRAME_BYTES, encodeFrame} from '../core/frame.js';
import {createNotification} from '../core/message-types.js';
import {Budget} from './budget.js';
import {MemoryPairingBackend, type ClaimAnswer, type Holding, type PairingBackend, type PairingMachine, type RemotePeer} from './pairing-backend.js';
import {DEFAULT_MAX_CLEAR_FRAME_BYTES, readRelayFrame, type RelayFrameLimits} from './relay-frame.js';

/** Why the relay closes a connection; the socket layer maps these to close codes. */
export type RelayCloseReason =
  | 'rendezvous-in-use'
  | 'repeated-rendezvous'
  | 'peer-left'
  | 'idle-timeout'
  | 'waiting-timeout'
  | 'unusable-frames'
  | 'waiting-limit';

/** Frames the relay cannot use that one connection may send at once... */
export const DEFAULT_MAX_DROPPED_FRAMES = 16;
/** ...and how often it earns one more. */
export const DEFAULT_DROPPED_FRAME_REFILL_MS = 1000;

/** What the state machine needs from one client connection. */
export interface PairingConnection {
  /** For logs only. */
  readonly id: string | number;
  /** Sends one binary frame. Must not throw; a failed send is the socket layer's business. */
  send(frame: Uint8Array): void;
  /** Starts closing the socket. The socket layer still calls `disconnect` when it is gone. */
  close(reason: RelayCloseReason): void;
}

/**
 * Something worth a log line. Carries connection ids, the rendezvous id and
 * reason codes only — never frame contents.
 */
export interface PairingEvent {
  event: 'rendezvous' | 'waiting' | 'paired' | 'rejected' | 'ended' | 'dropped';
  conn: string | number;
  rendezvous_id?: string;
  peer?: string | number;
  reason?: string;
}

export interface PairingOptions<C extends PairingConnection = PairingConnection> {
  onEvent?: (event: PairingEvent) => void;
  /** Larger frames are dropped; the socket layer enforces the same limit first. */
  maxFrameBytes?: number;
  /** Clear frames above this are dropped without being parsed. */
  maxClearFrameBytes?: number;
  /**
   * A connection that sends more frames the relay cannot use (text, invalid
   * clear, anything before pairing) than this at once, beyond one per
   * `droppedFrameRefillMs`, is closed with 'unusable-frames'.
   */
  maxDroppedFrames?: number;
  droppedFrameRefillMs?: number;
  /**
   * Asked before a connection is made to wait for its peer; false closes it
   * with 'waiting-limit'. The relay uses it for its per-address limit.
   */
  mayWait?: (conn: C) => boolean;
  /** Clock for the budgets, in ms; tests may pass their own. */
  now?: () => number;
  /** Who holds which rendezvous id; default: this process alone (`MemoryPairingBackend`). */
  backend?: PairingBackend<C>;
}

export interface PairingStats {
  connections: number;
  waiting: number;
  pairs: number;
}

/** A paired connection's peer: on this node, or on another node of the cluster. */
type Peer<C> = {local: C} | {remote: RemotePeer};

type ConnState<C> =
  | {phase: 'new'}
  // Asked the backend for the id; `notified` once NOT_READY was sent (asking again after
  // losing the shared record). `endedBy`: the remote peer left before the answer came.
  | {phase: 'claiming'; rendezvousId: string; requestUuid: string; notified: boolean; attempt: number; endedBy?: RemotePeer}
  // The request uuid is kept to reference it in NOTIFY_RENDEZVOUS when the peer comes.
  | {phase: 'waiting'; rendezvousId: string; requestUuid: string}
  | {phase: 'paired'; rendezvousId: string; requestUuid: string; peer: Peer<C>}
  // Being closed by us: everything it still sends is ignored.
  | {phase: 'closing'};

type RelayNotification = 'NOTIFY_RENDEZVOUS' | 'NOTIFY_RENDEZVOUS_NOT_READY' | 'NOTIFY_RENDEZVOUS_END';

/** Builds one of the three clear notifications the relay originates. */
export function rendezvousNotification(name: RelayNotification, reference: string | null, rendezvousId: string): Uint8Array {
  // Cannot fail: the id already passed REQUEST_RENDEZVOUS validation.
  return unwrap(encodeFrame(createNotification(name, reference, {rendezvous_id: rendezvousId}), null));
}

/** How often a machine asks the backend again when it named a local waiter that is already gone. */
const MAX_CLAIM_ATTEMPTS = 3;

export class RendezvousPairing<C extends PairingConnection = PairingConnection> implements PairingMachine<C> {
  readonly #conns = new Map<C, ConnState<C>>();
  /** By `String(conn.id)`, for the backend's notices about connections of this node. */
  readonly #byId = new Map<string, C>();
  /** Who waits for and who holds each id; in this process unless a cluster backend is given. */
  readonly #backend: PairingBackend<C>;
  /** Created at a connection's first dropped frame. */
  readonly #budgets = new Map<C, Budget>();
  readonly #onEvent: (event: PairingEvent) => void;
  readonly #limits: RelayFrameLimits;
  readonly #maxDropped: number;
  readonly #refillMs: number;
  readonly #mayWait: (conn: C) => boolean;
  readonly #now: () => number;

  constructor(options: PairingOptions<C> = {}) {
    this.#onEvent = options.onEvent ?? (() => {});
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#limits = {maxFrameBytes, maxClearFrameBytes: Math.min(maxFrameBytes, options.maxClearFrameBytes ?? DEFAULT_MAX_CLEAR_FRAME_BYTES)};
    this.#maxDropped = options.maxDroppedFrames ?? DEFAULT_MAX_DROPPED_FRAMES;
    this.#refillMs = options.droppedFrameRefillMs ?? DEFAULT_DROPPED_FRAME_REFILL_MS;
    this.#mayWait = options.mayWait ?? (() => true);
    this.#now = options.now ?? (() => performance.now());
    this.#backend = options.backend ?? new MemoryPairingBackend<C>();
    this.#backend.bind(this);
  }

  /** A socket opened: tracked, but nothing is sent to it (7.1). */
  connect(conn: C): void {
    this.#conns.set(conn, {phase: 'new'});
    this.#byId.set(String(conn.id), conn);
  }

  /** One WebSocket message from `conn`; `binary` is false for text frames. */
  receive(conn: C, data: Uint8Array, binary: boolean): void {
    const state = this.#conns.get(conn);
    if (state === undefined || state.phase === 'closing') return;
    if (!binary) return this.#drop(conn, 'text frame');
    const frame = readRelayFrame(data, this.#limits);
    if (frame.kind === 'rendezvous') return this.#rendezvous(conn, state, frame.rendezvousId, frame.requestUuid);
    if (frame.kind === 'invalid') return this.#drop(conn, frame.reason);
    if (state.phase !== 'paired') {
      // 7.1: until paired, ciphertext and clear messages other than REQUEST_RENDEZVOUS are dropped.
      return this.#drop(conn, frame.kind === 'opaque' ? 'ciphertext before rendezvous' : 'clear message before rendezvous');
    }
    // 7.3: ciphertext and valid clear frames go to the peer. Clear frames are
    // forwarded verbatim, not re-serialised as py does: receivers must not
    // depend on JSON formatting (4), and the peer's exact bytes are the safest
    // thing to pass on. A clear frame holding an AES-level message fails
    // validation (FRAME_WRONG_CRYPT_LEVEL) and is dropped, where py would
    // forward it; every js receiver rejects such a frame anyway (3.5).
    const peer = state.peer;
    if ('local' in peer) peer.local.send(data);
    else this.#backend.forward(peer.remote, data);
  }

  /** The socket is gone, whoever closed it (7.4). */
  disconnect(conn: C): void {
    this.#detach(conn);
    this.#conns.delete(conn);
    this.#byId.delete(String(conn.id));
    this.#budgets.delete(conn);
  }

  /**
   * Closes `conn` if it is not paired; true if it did. With `includeWaiting`
   * false, only a connection that never asked for a rendezvous is closed.
   */
  closeIfUnpaired(conn: C, reason: RelayCloseReason, includeWaiting = true): boolean {
    const phase = this.#conns.get(conn)?.phase;
    if (phase !== 'new' && !(includeWaiting && (phase === 'waiting' || phase === 'claiming'))) return false;
    this.#close(conn, reason);
    return true;
  }

  isWaiting(conn: C): boolean {
    return this.#conns.get(conn)?.phase === 'waiting';
  }

  isPaired(conn: C): boolean {
    return this.#conns.get(conn)?.phase === 'paired';
  }

  /** Pairs count once per pair on this node; a pair across nodes counts on each of its two nodes. */
  stats(): PairingStats {
    let waiting = 0;
    let localPaired = 0;
    let remotePaired = 0;
    for (const state of this.#conns.values()) {
      if (state.phase === 'waiting') waiting++;
      else if (state.phase === 'paired') {
        if ('local' in state.peer) localPaired++;
        else remotePaired++;
      }
    }
    return {connections: this.#conns.size, waiting, pairs: localPaired / 2 + remotePaired};
  }

  /** 7.2, for a valid REQUEST_RENDEZVOUS (id R, request uuid U). */
  #rendezvous(conn: C, state: ConnState<C>, rendezvousId: string, requestUuid: string): void {
    this.#onEvent({event: 'rendezvous', conn: conn.id, rendezvous_id: rendezvousId});
    if (state.phase !== 'new') {
      // A repeat. The deployed relay treats it as a new request, which on a
      // waiting connection pairs the connection with itself (7.2) and on a
      // paired one closes it. We close it in both cases: a self-pair would
      // echo every frame back to its sender and hold the id forever.
      this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: 'repeated REQUEST_RENDEZVOUS'});
      return this.#close(conn, 'repeated-rendezvous');
    }
    this.#claim(conn, rendezvousId, requestUuid, false, 1);
  }

  /** Asks the backend for the id; a single relay answers at once, a cluster later. */
  #claim(conn: C, rendezvousId: string, requestUuid: string, notified: boolean, attempt: number): void {
    this.#conns.set(conn, {phase: 'claiming', rendezvousId, requestUuid, notified, attempt});
    const answer = this.#backend.claim(conn, rendezvousId, requestUuid);
    if (!(answer instanceof Promise)) return this.#answered(conn, rendezvousId, answer);
    answer.then(
      (value) => this.#answered(conn, rendezvousId, value),
      // Backends fall back to a local answer rather than fail; this is a backend bug.
      (error: unknown) => this.#answered(conn, rendezvousId, this.localAnswer(conn, rendezvousId, error)),
    );
  }

  #answered(conn: C, rendezvousId: string, answer: ClaimAnswer<C>): void {
    const state = this.#conns.get(conn);
    // Gone (its release follows the claim), or a remote peer's notice came first.
    if (state?.phase !== 'claiming' || state.rendezvousId !== rendezvousId) return;
    if (answer.kind === 'in-use') {
      // 7.2.1: the client only sees the close, meaning "rendezvous id in use".
      this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: 'rendezvous id in use'});
      return this.#close(conn, 'rendezvous-in-use');
    }
    if (answer.kind === 'pair-remote') return this.#pairRemote(conn, state, answer.peer);
    if (answer.kind === 'pair') {
      const waiterState = answer.waiter === undefined ? undefined : this.#conns.get(answer.waiter);
      if (answer.waiter !== undefined && waiterState?.phase === 'waiting' && waiterState.rendezvousId === rendezvousId) {
        return this.#pair(answer.waiter, waiterState.requestUuid, conn, state.requestUuid, rendezvousId);
      }
      // The waiter named has just left; its release is already on its way, so asking again finds the id free.
      if (state.attempt < MAX_CLAIM_ATTEMPTS) return this.#claim(conn, rendezvousId, state.requestUuid, state.notified, state.attempt + 1);
      this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: 'rendezvous id in use'});
      return this.#close(conn, 'rendezvous-in-use');
    }
    if (!state.notified && !this.#mayWait(conn)) {
      this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: 'too many waiting connections from this address'});
      return this.#close(conn, 'waiting-limit');
    }
    this.#wait(conn, rendezvousId, state.requestUuid, state.notified);
  }

  /** 7.2.3: no peer yet. */
  #wait(conn: C, rendezvousId: string, requestUuid: string, notified: boolean): void {
    this.#conns.set(conn, {phase: 'waiting', rendezvousId, requestUuid});
    if (notified) return;
    this.#onEvent({event: 'waiting', conn: conn.id, rendezvous_id: rendezvousId});
    conn.send(rendezvousNotification('NOTIFY_RENDEZVOUS_NOT_READY', requestUuid, rendezvousId));
  }

  /** 7.2.2: NOTIFY_RENDEZVOUS to the newcomer first, then to the waiting one, each with its own reference. */
  #pair(waiting: C, waitingUuid: string, newcomer: C, newcomerUuid: string, rendezvousId: string): void {
    this.#conns.set(waiting, {phase: 'paired', rendezvousId, requestUuid: waitingUuid, peer: {local: newcomer}});
    this.#conns.set(newcomer, {phase: 'paired', rendezvousId, requestUuid: newcomerUuid, peer: {local: waiting}});
    this.#onEvent({event: 'paired', conn: newcomer.id, peer: waiting.id, rendezvous_id: rendezvousId});
    newcomer.send(rendezvousNotification('NOTIFY_RENDEZVOUS', newcomerUuid, rendezvousId));
    waiting.send(rendezvousNotification('NOTIFY_RENDEZVOUS', waitingUuid, rendezvousId));
  }

  /** 7.2.2 across nodes: the newcomer here is told first, then the waiter's node. */
  #pairRemote(conn: C, state: Extract<ConnState<C>, {phase: 'claiming'}>, peer: RemotePeer): void {
    const {rendezvousId, requestUuid} = state;
    this.#conns.set(conn, {phase: 'paired', rendezvousId, requestUuid, peer: {remote: peer}});
    this.#onEvent({event: 'paired', conn: conn.id, peer: remoteName(peer), rendezvous_id: rendezvousId});
    conn.send(rendezvousNotification('NOTIFY_RENDEZVOUS', requestUuid, rendezvousId));
    this.#backend.announce(conn, rendezvousId, peer);
    if (state.endedBy !== undefined) this.remoteEnded(conn, rendezvousId, {left: state.endedBy});
  }

  /** PairingMachine: see pairing-backend.ts. */
  connection(id: string): C | undefined {
    return this.#byId.get(id);
  }

  remotePaired(conn: C, rendezvousId: string, peer: RemotePeer): void {
    const state = this.#conns.get(conn);
    if ((state?.phase !== 'waiting' && state?.phase !== 'claiming') || state.rendezvousId !== rendezvousId) return;
    // The notice can overtake the backend's own answer: this connection came first, so it hears NOT_READY first.
    if (state.phase === 'claiming' && !state.notified) this.#wait(conn, rendezvousId, state.requestUuid, false);
    this.#conns.set(conn, {phase: 'paired', rendezvousId, requestUuid: state.requestUuid, peer: {remote: peer}});
    this.#onEvent({event: 'paired', conn: conn.id, peer: remoteName(peer), rendezvous_id: rendezvousId});
    conn.send(rendezvousNotification('NOTIFY_RENDEZVOUS', state.requestUuid, rendezvousId));
  }

  remoteEnded(conn: C, rendezvousId: string, cause: {left: RemotePeer} | 'lost'): void {
    const state = this.#conns.get(conn);
    if (state === undefined || state.phase === 'new' || state.phase === 'closing' || state.rendezvousId !== rendezvousId) return;
    if (state.phase === 'claiming') {
      if (cause !== 'lost') state.endedBy = cause.left;
      return;
    }
    // Paired by a node whose connection left before telling us: the id is free again, wait on.
    if (state.phase === 'waiting') return this.reclaim(conn);
    if (!('remote' in state.peer)) return;
    if (cause !== 'lost' && !samePeer(cause.left, state.peer.remote)) return;
    this.#conns.set(conn, {phase: 'closing'});
    this.#backend.release(conn, rendezvousId);
    const peerName = remoteName(state.peer.remote);
    this.#onEvent({event: 'ended', conn: conn.id, peer: peerName, rendezvous_id: rendezvousId, ...(cause === 'lost' ? {reason: 'peer node lost'} : {})});
    conn.send(rendezvousNotification('NOTIFY_RENDEZVOUS_END', null, rendezvousId));
    conn.close('peer-left');
  }

  remoteFrame(conn: C, frame: Uint8Array): void {
    const state = this.#conns.get(conn);
    if (state?.phase === 'paired' && 'remote' in state.peer) conn.send(frame);
  }

  reclaim(conn: C): void {
    const state = this.#conns.get(conn);
    if (state?.phase !== 'waiting') return;
    this.#claim(conn, state.rendezvousId, state.requestUuid, true, 1);
  }

  /** The rule a single relay applies, over this node's connections only (no shared store to ask). */
  localAnswer(conn: C, rendezvousId: string, error?: unknown): ClaimAnswer<C> {
    if (error !== undefined) this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: `pairing backend failed: ${String(error)}`});
    let waiter: C | undefined;
    for (const [other, state] of this.#conns) {
      if (other === conn || state.phase === 'new' || state.phase === 'closing' || state.rendezvousId !== rendezvousId) continue;
      if (state.phase === 'paired') return {kind: 'in-use'};
      if (state.phase === 'waiting') waiter = other;
    }
    return waiter === undefined ? {kind: 'wait'} : {kind: 'pair', waiter};
  }

  *holdings(): Iterable<Holding<C>> {
    for (const [conn, state] of this.#conns) {
      if (state.phase === 'waiting') yield {conn, rendezvousId: state.rendezvousId, requestUuid: state.requestUuid, phase: 'waiting'};
      else if (state.phase === 'paired') yield {conn, rendezvousId: state.rendezvousId, requestUuid: state.requestUuid, phase: 'paired', peer: state.peer};
    }
  }

  /** We decided to close `conn`: forget it everywhere first, then close it. */
  #close(conn: C, reason: RelayCloseReason): void {
    this.#detach(conn);
    conn.close(reason);
  }

  /**
   * Takes `conn` out of the backend's records (so the id is free again at
   * once) and, if it was paired, ends the session for its peer too (7.4):
   * here, or through the backend when the peer is on another node.
   */
  #detach(conn: C): void {
    const state = this.#conns.get(conn);
    if (state === undefined) return;
    this.#conns.set(conn, {phase: 'closing'});
    if (state.phase === 'new' || state.phase === 'closing') return;
    this.#backend.release(conn, state.rendezvousId);
    if (state.phase !== 'paired' || !('local' in state.peer)) return;
    const peer = state.peer.local;
    if (this.#conns.get(peer)?.phase !== 'paired') return;
    this.#conns.set(peer, {phase: 'closing'});
    this.#onEvent({event: 'ended', conn: peer.id, peer: conn.id, rendezvous_id: state.rendezvousId});
    peer.send(rendezvousNotification('NOTIFY_RENDEZVOUS_END', null, state.rendezvousId));
    peer.close('peer-left');
  }

  /** A frame the relay cannot use: logged, and paid for from the connection's budget. */
  #drop(conn: C, reason: string): void {
    this.#onEvent({event: 'dropped', conn: conn.id, reason});
    let budget = this.#budgets.get(conn);
    if (budget === undefined) {
      budget = new Budget(this.#maxDropped, this.#refillMs, this.#now);
      this.#budgets.set(conn, budget);
    }
    if (budget.take()) return;
    this.#onEvent({event: 'rejected', conn: conn.id, reason: 'too many unusable frames'});
    this.#close(conn, 'unusable-frames');
  }
}

function remoteName(peer: RemotePeer): string {
  return `${peer.node}/${peer.conn}`;
}

function samePeer(a: RemotePeer, b: RemotePeer): boolean {
  return a.node === b.node && a.conn === b.conn;
}
