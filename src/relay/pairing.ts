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
}

export interface PairingStats {
  connections: number;
  waiting: number;
  pairs: number;
}

type ConnState<C> =
  | {phase: 'new'}
  // The request uuid is kept to reference it in NOTIFY_RENDEZVOUS when the peer comes.
  | {phase: 'waiting'; rendezvousId: string; requestUuid: string}
  | {phase: 'paired'; rendezvousId: string; peer: C}
  // Being closed by us: everything it still sends is ignored.
  | {phase: 'closing'};

type RelayNotification = 'NOTIFY_RENDEZVOUS' | 'NOTIFY_RENDEZVOUS_NOT_READY' | 'NOTIFY_RENDEZVOUS_END';

/** Builds one of the three clear notifications the relay originates. */
export function rendezvousNotification(name: RelayNotification, reference: string | null, rendezvousId: string): Uint8Array {
  // Cannot fail: the id already passed REQUEST_RENDEZVOUS validation.
  return unwrap(encodeFrame(createNotification(name, reference, {rendezvous_id: rendezvousId}), null));
}

export class RendezvousPairing<C extends PairingConnection = PairingConnection> {
  readonly #conns = new Map<C, ConnState<C>>();
  /** Per rendezvous id at most one waiting connection... */
  readonly #waiting = new Map<string, C>();
  /** ...and at most one pair (the two never coexist for one id). */
  readonly #pairs = new Map<string, [C, C]>();
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
  }

  /** A socket opened: tracked, but nothing is sent to it (7.1). */
  connect(conn: C): void {
    this.#conns.set(conn, {phase: 'new'});
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
    state.peer.send(data);
  }

  /** The socket is gone, whoever closed it (7.4). */
  disconnect(conn: C): void {
    this.#detach(conn);
    this.#conns.delete(conn);
    this.#budgets.delete(conn);
  }

  /**
   * Closes `conn` if it is not paired; true if it did. With `includeWaiting`
   * false, only a connection that never asked for a rendezvous is closed.
   */
  closeIfUnpaired(conn: C, reason: RelayCloseReason, includeWaiting = true): boolean {
    const phase = this.#conns.get(conn)?.phase;
    if (phase !== 'new' && !(includeWaiting && phase === 'waiting')) return false;
    this.#close(conn, reason);
    return true;
  }

  isWaiting(conn: C): boolean {
    return this.#conns.get(conn)?.phase === 'waiting';
  }

  isPaired(conn: C): boolean {
    return this.#conns.get(conn)?.phase === 'paired';
  }

  stats(): PairingStats {
    return {connections: this.#conns.size, waiting: this.#waiting.size, pairs: this.#pairs.size};
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
    if (this.#pairs.has(rendezvousId)) {
      // 7.2.1: the client only sees the close, meaning "rendezvous id in use".
      this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: 'rendezvous id in use'});
      return this.#close(conn, 'rendezvous-in-use');
    }
    const waiting = this.#waiting.get(rendezvousId);
    const waitingState = waiting === undefined ? undefined : this.#conns.get(waiting);
    if (waiting !== undefined && waitingState?.phase === 'waiting') {
      return this.#pair(waiting, waitingState.requestUuid, conn, requestUuid, rendezvousId);
    }
    if (!this.#mayWait(conn)) {
      this.#onEvent({event: 'rejected', conn: conn.id, rendezvous_id: rendezvousId, reason: 'too many waiting connections from this address'});
      return this.#close(conn, 'waiting-limit');
    }
    this.#wait(conn, rendezvousId, requestUuid);
  }

  /** 7.2.3: no peer yet. */
  #wait(conn: C, rendezvousId: string, requestUuid: string): void {
    this.#waiting.set(rendezvousId, conn);
    this.#conns.set(conn, {phase: 'waiting', rendezvousId, requestUuid});
    this.#onEvent({event: 'waiting', conn: conn.id, rendezvous_id: rendezvousId});
    conn.send(rendezvousNotification('NOTIFY_RENDEZVOUS_NOT_READY', requestUuid, rendezvousId));
  }

  /** 7.2.2: NOTIFY_RENDEZVOUS to the newcomer first, then to the waiting one, each with its own reference. */
  #pair(waiting: C, waitingUuid: string, newcomer: C, newcomerUuid: string, rendezvousId: string): void {
    this.#waiting.delete(rendezvousId);
    this.#pairs.set(rendezvousId, [waiting, newcomer]);
    this.#conns.set(waiting, {phase: 'paired', rendezvousId, peer: newcomer});
    this.#conns.set(newcomer, {phase: 'paired', rendezvousId, peer: waiting});
    this.#onEvent({event: 'paired', conn: newcomer.id, peer: waiting.id, rendezvous_id: rendezvousId});
    newcomer.send(rendezvousNotification('NOTIFY_RENDEZVOUS', newcomerUuid, rendezvousId));
    waiting.send(rendezvousNotification('NOTIFY_RENDEZVOUS', waitingUuid, rendezvousId));
  }

  /** We decided to close `conn`: forget it everywhere first, then close it. */
  #close(conn: C, reason: RelayCloseReason): void {
    this.#detach(conn);
    conn.close(reason);
  }

  /**
   * Takes `conn` out of the waiting/pair tables (so the id is free again at
   * once) and, if it was paired, ends the session for its peer too (7.4).
   */
  #detach(conn: C): void {
    const state = this.#conns.get(conn);
    if (state === undefined) return;
    this.#conns.set(conn, {phase: 'closing'});
    if (state.phase === 'waiting' && this.#waiting.get(state.rendezvousId) === conn) {
      this.#waiting.delete(state.rendezvousId);
    }
    if (state.phase !== 'paired') return;
    this.#pairs.delete(state.rendezvousId);
    const peer = state.peer;
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
