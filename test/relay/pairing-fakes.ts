/**
 * Fakes shared by the rendezvous-machine tests that run it on a cluster
 * backend (pairing-backend.test.ts, pairing-mutants.test.ts).
 */
import {utf8DecodeLenient} from '../../src/core/bytes.js';
import {unwrap} from '../../src/core/errors.js';
import {encodeFrame} from '../../src/core/frame.js';
import {createRequest} from '../../src/core/message-types.js';
import {RendezvousPairing, type PairingConnection, type PairingEvent, type RelayCloseReason} from '../../src/relay/pairing.js';
import type {PairingBackend} from '../../src/relay/pairing-backend.js';

/** Records what the machine did to it: notification names, `frame:N` for other frames, `close:reason`. */
export class RecordingConn implements PairingConnection {
  readonly seen: string[] = [];
  constructor(readonly id: string) {}
  send(frame: Uint8Array): void {
    const text = utf8DecodeLenient(frame);
    this.seen.push(text.startsWith('{') ? (JSON.parse(text) as {notification_name: string}).notification_name : `frame:${frame.length}`);
  }
  close(reason: RelayCloseReason): void {
    this.seen.push(`close:${reason}`);
  }
}

/** A client's REQUEST_RENDEZVOUS frame for `rendezvousId`. */
export const rendezvousFrame = (rendezvousId: string): Uint8Array =>
  unwrap(encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousId}), null));

/** Bytes the relay can only forward: no clear frame starts with 0xff. */
export const ciphertext = new Uint8Array(48).fill(0xff);

export interface PairingSetup {
  pairing: RendezvousPairing<RecordingConn>;
  events: PairingEvent[];
  /** A new connection, already known to the machine. */
  conn(id: string): RecordingConn;
}

/** A machine on `backend` (the local one if none) that logs its events. */
export function pairingWith(backend?: PairingBackend<RecordingConn>): PairingSetup {
  const events: PairingEvent[] = [];
  const pairing = new RendezvousPairing<RecordingConn>({backend, onEvent: (e) => events.push(e)});
  return {
    pairing,
    events,
    conn: (id) => {
      const c = new RecordingConn(id);
      pairing.connect(c);
      return c;
    },
  };
}
