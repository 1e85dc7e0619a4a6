/**
 * The relay's rendezvous state machine (PROTOCOL.md section 7), with no
 * sockets: the relay feeds it connections, frames and closes, and it answers
 * by sending frames and closing connections through the small
 * `PairingConnection` interface. Tests drive it with fake connections.
 */
import {unwrap} from '../core/errors.js';
import {DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame} from '../core/frame.js';
import {createNotification, isRequest} from '../core/messages.js';

/** Why the relay closes a connection; the socket layer maps these to close codes. */
export type CloseReason = 'rendezvous-in-use' | 'repeated-rendezvous' | 'peer-left' | 'idle-timeout' | 'waiting-timeout';

/** What the state machine needs from one client connection. */
export interface PairingConnection {
  /** For logs only. */
  readonly id: string | number;
  /** Sends one binary frame. Must not throw; a failed send is the socket layer's business. */
  send(frame: Uint8Array): void;
  /** Starts closing the socket. The socket layer still calls `disconnect` when it is gone. */
  close(reason: CloseReason): void;
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

export interface PairingOptions {
  onEvent?: (event: PairingEvent) => void;
  /** Passed to the frame decoder; the socket layer enforces the same limit first. */
  maxFrameBytes?: number;
}

export interface PairingStats {
  connections: number;
  waiting: number;
  pairs: number;
}

type ConnState =
  | {phase: 'new'}
  // The request uuid is kept to reference it in NOTIFY_RENDEZVOUS when the peer comes.
  | {phase: 'waiting'; rendezvousId: string; requestUuid: string}
  | {phase: 'paired'; rendezvousId: string; peer: PairingConnection}
  // Being closed by us: everything it still sends is ignored.
  | {phase: 'closing'};

type RelayNotification = 'NOTIFY_RENDEZVOUS' | 'NOTIFY_RENDEZVOUS_NOT_READY' | 'NOTIFY_RENDEZVOUS_END';

/** Builds one of the three clear notifications the relay originates. */
export function rendezvousNotification(name: RelayNotification, reference: string | null, rendezvousId: string): Uint8Array {
  // Cannot fail: the id already passed REQUEST_RENDEZVOUS validation.
  return unwrap(encodeFrame(createNotification(name, reference, {rendezvous_id: rendezvousId}), null));
}

export class RendezvousPairing {
  readonly #conns = new Map<PairingConnection, ConnState>();
  /** Per rendezvous id at most one waiting connection... */
  readonly #waiting = new Map<string, PairingConnection>();
  /** ...and at most one pair (the two never coexist for one id). */
  readonly #pairs = new Map<string, [PairingConnection, PairingConnection]>();
  readonly #onEvent: (event: PairingEvent) => void;
  readonly #maxFrameBytes: number;

  constructor(options: PairingOptions = {}) {
    this.#onEvent = options.onEvent ?? (() => {});
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** A socket opened: tracked, but nothing is sent to it (7.1). */
  connect(conn: PairingConnection): void {
    this.#conns.set(conn, {phase: 'new'});
  }

  /** One WebSocket message from `conn`; `binary` is false for text frames. */
  receive(conn: PairingConnection, data: Uint8Array, binary: boolean): void {
    const state = this.#conns.get(conn);
    if (state === undefined || state.phase === 'closing') return;
    if (!binary) return this.#drop(conn, 'text frame');
    const decoded = decodeFrame(data, null, {maxFrameBytes: this.#maxFrameBytes});
    if (decoded.ok && isRequest(decoded.value, 'REQUEST_RENDEZVOUS')) {
      return this.#rendezvous(conn, state, decoded.value.rendezvous_id, decoded.value.request_uuid);
    }
    // FRAME_NO_SEED is the decoder saying "ciphertext": opaque to the relay.
    const opaque = !decoded.ok && decoded.error.code === 'FRAME_NO_SEED';
    if (state.phase !== 'paired') {
      // 7.1: until paired, ciphertext, invalid clear and other clear messages are all dropped.
      return this.#drop(conn, opaque ? 'ciphertext before rendezvous' : decoded.ok ? 'clear message before rendezvous' : invalidClear(decoded.error.code));
    }
    // 7.3: ciphertext and valid clear frames go to the peer. Clear frames are
    // forwarded verbatim, not re-serialised as py does: receivers must not
    // depend on JSON formatting (4), and the peer's exact bytes are the safest
    // thing to pass on. A clear frame holding an AES-level message fails
    // validation (FRAME_WRONG_CRYPT_LEVEL) and is dropped, where py would
    // forward it; every js receiver rejects such a frame anyway (3.5).
    if (decoded.ok || opaque) return state.peer.send(data);
    this.#drop(conn, invalidClear(decoded.error.code));
  }

  /** The socket is gone, whoever closed it (7.4). */
  disconnect(conn: PairingConnection): void {
    this.#detach(conn);
    this.#conns.delete(conn);
  }

  /**
   * Closes `conn` if it is not paired; true if it did. With `includeWaiting`
   * false, only a connection that never asked for a rendezvous is closed.
   */
  closeIfUnpaired(conn: PairingConnection, reason: CloseReason, includeWaiting = true): boolean {
    const phase = this.#conns.get(conn)?.phase;
    if (phase !== 'new' && !(includeWaiting && phase === 'waiting')) return false;
    this.#close(conn, reason);
    return true;
  }

  isPaired(conn: PairingConnection): boolean {
    return this.#conns.get(conn)?.phase === 'paired';
  }

  stats(): PairingStats {
    return {connections: this.#conns.size, waiting: this.#waiting.size, pairs: this.#pairs.size};
  }

  /** 7.2, for a valid REQUEST_RENDEZVOUS (id R, request uuid U). */
  #rendezvous(conn: PairingConnection, state: ConnState, rendezvousId: string, requestUuid: string): void {
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
    if (waiting === undefined || waitingState?.phase !== 'waiting') return this.#wait(conn, rendezvousId, requestUuid);
    this.#pair(waiting, waitingState.requestUuid, conn, requestUuid, rendezvousId);
  }

  /** 7.2.3: no peer yet. */
  #wait(conn: PairingConnection, rendezvousId: string, requestUuid: string): void {
    this.#waiting.set(rendezvousId, conn);
    this.#conns.set(conn, {phase: 'waiting', rendezvousId, requestUuid});
    this.#onEvent({event: 'waiting', conn: conn.id, rendezvous_id: rendezvousId});
    conn.send(rendezvousNotification('NOTIFY_RENDEZVOUS_NOT_READY', requestUuid, rendezvousId));
  }

  /** 7.2.2: NOTIFY_RENDEZVOUS to the newcomer first, then to the waiting one, each with its own reference. */
  #pair(waiting: PairingConnection, waitingUuid: string, newcomer: PairingConnection, newcomerUuid: string, rendezvousId: string): void {
    this.#waiting.delete(rendezvousId);
    this.#pairs.set(rendezvousId, [waiting, newcomer]);
    this.#conns.set(waiting, {phase: 'paired', rendezvousId, peer: newcomer});
    this.#conns.set(newcomer, {phase: 'paired', rendezvousId, peer: waiting});
    this.#onEvent({event: 'paired', conn: newcomer.id, peer: waiting.id, rendezvous_id: rendezvousId});
    newcomer.send(rendezvousNotification('NOTIFY_RENDEZVOUS', newcomerUuid, rendezvousId));
    waiting.send(rendezvousNotification('NOTIFY_RENDEZVOUS', waitingUuid, rendezvousId));
  }

  /** We decided to close `conn`: forget it everywhere first, then close it. */
  #close(conn: PairingConnection, reason: CloseReason): void {
    this.#detach(conn);
    conn.close(reason);
  }

  /**
   * Takes `conn` out of the waiting/pair tables (so the id is free again at
   * once) and, if it was paired, ends the session for its peer too (7.4).
   */
  #detach(conn: PairingConnection): void {
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

  #drop(conn: PairingConnection, reason: string): void {
    this.#onEvent({event: 'dropped', conn: conn.id, reason});
  }
}

function invalidClear(code: string): string {
  return `invalid clear frame (${code})`;
}
