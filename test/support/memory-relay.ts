/**
 * The relay's own pairing machine behind in-memory sockets: real stacks talk
 * through it with no network and no real timers, so tests can run them under
 * a fake clock and play faults (cut every link, drop, duplicate or replay a
 * frame) at exact points. Frames are delivered in order, on microtasks.
 */
import {RendezvousPairing, type RelayCloseReason, type PairingConnection} from '../../src/relay/pairing.js';
import type {SocketFactory, SocketLike} from '../../src/core/stack/socket.js';

const CLOSE_CODES: Record<RelayCloseReason, number> = {
  'rendezvous-in-use': 1008,
  'repeated-rendezvous': 1008,
  'idle-timeout': 1008,
  'waiting-timeout': 1008,
  'unusable-frames': 1008,
  'waiting-limit': 1008,
  'peer-left': 1000,
};

/** Decides, per frame a client sends, what reaches the relay: 0 drops it, 2 duplicates it. */
export type FrameFault = (frame: Uint8Array, from: MemorySocket) => number;

export class MemoryRelay {
  readonly pairing = new RendezvousPairing();
  readonly sockets = new Set<MemorySocket>();
  /** Every frame clients sent, in order, for replay attacks. */
  readonly sent: {frame: Uint8Array; from: MemorySocket}[] = [];
  fault: FrameFault | undefined;
  /** While down, new sockets fail to open (a relay that is restarting). */
  down = false;
  #nextId = 1;

  readonly socketFactory: SocketFactory = () => new MemorySocket(this, this.#nextId++);

  /** Every socket dies at once, as when the relay process is killed. */
  cutAll(): void {
    for (const socket of [...this.sockets]) socket.drop(1006);
  }

  /** Sends `frame` to the relay as if `from` had sent it again. */
  replay(frame: Uint8Array, from: MemorySocket): void {
    from.deliverToRelay(frame.slice());
  }
}

export class MemorySocket implements SocketLike {
  binaryType = 'arraybuffer';
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: {data: unknown}) => void) | null = null;
  onclose: ((event: {code?: number; reason?: string; wasClean?: boolean}) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly #relay: MemoryRelay;
  readonly conn: PairingConnection;

  constructor(relay: MemoryRelay, id: number) {
    this.#relay = relay;
    this.conn = {
      id,
      send: (frame) => this.#fromRelay(frame.slice()),
      close: (reason) => this.#closedByRelay(CLOSE_CODES[reason]),
    };
    queueMicrotask(() => this.#open());
  }

  send(data: Uint8Array): void {
    if (this.readyState !== 1) throw new Error('socket not open');
    const frame = data.slice();
    this.#relay.sent.push({frame, from: this});
    const copies = this.#relay.fault?.(frame, this) ?? 1;
    for (let i = 0; i < copies; i++) this.deliverToRelay(frame);
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    queueMicrotask(() => this.drop(code));
  }

  deliverToRelay(frame: Uint8Array): void {
    queueMicrotask(() => {
      if (this.readyState === 1) this.#relay.pairing.receive(this.conn, frame, true);
    });
  }

  /** The connection is gone for both ends. */
  drop(code: number): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.#relay.sockets.delete(this);
    this.#relay.pairing.disconnect(this.conn);
    queueMicrotask(() => this.onclose?.({code}));
  }

  #open(): void {
    if (this.readyState !== 0) return;
    if (this.#relay.down) {
      this.drop(1006);
      return;
    }
    this.readyState = 1;
    this.#relay.sockets.add(this);
    this.#relay.pairing.connect(this.conn);
    this.onopen?.({});
  }

  #fromRelay(frame: Uint8Array): void {
    queueMicrotask(() => {
      if (this.readyState === 1) this.onmessage?.({data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength)});
    });
  }

  #closedByRelay(code: number): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    queueMicrotask(() => this.drop(code));
  }
}
