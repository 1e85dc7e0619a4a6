// The relay state machine's log events and phase queries, exactly: what an
// operator reads in the JSON log, and what the socket layer asks before its
// timeouts. Also every kind of frame from a client that is still waiting
// (issue 12: a waiting client's frame must be dropped, not crash the relay).
import {expect} from 'chai';
import {utf8Encode} from '../../src/core/bytes.js';
import {unwrap} from '../../src/core/errors.js';
import {encodeFrame} from '../../src/core/frame.js';
import {createNotification, createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {RendezvousPairing, type RelayCloseReason, type PairingConnection, type PairingEvent} from '../../src/relay/pairing.js';

class Conn implements PairingConnection {
  readonly sent: Uint8Array[] = [];
  readonly closes: RelayCloseReason[] = [];
  constructor(readonly id: string) {}
  send(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  close(reason: RelayCloseReason): void {
    this.closes.push(reason);
  }
}

const seed = SharedSeed.generate();
const rid = rendezvousIdOf(seed);
const rendezvousFrame = (): Uint8Array => unwrap(encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rid}), null));
const ciphertext = (): Uint8Array => unwrap(encodeFrame(createRequest('REQUEST_PING', {}), seed));
const clearNotification = (): Uint8Array =>
  unwrap(encodeFrame(createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: rid}), null));

function setup(): {pairing: RendezvousPairing; events: PairingEvent[]; conn(id: string): Conn} {
  const events: PairingEvent[] = [];
  const pairing = new RendezvousPairing({onEvent: (e) => events.push(e)});
  return {
    pairing,
    events,
    conn: (id) => {
      const c = new Conn(id);
      pairing.connect(c);
      return c;
    },
  };
}

describe('relay pairing: log events and phases', () => {
  it('names why a paired client\'s invalid clear frame was dropped', () => {
    const {pairing, events, conn} = setup();
    const a = conn('a');
    const b = conn('b');
    pairing.receive(a, rendezvousFrame(), true);
    pairing.receive(b, rendezvousFrame(), true);
    events.length = 0;
    pairing.receive(a, utf8Encode(JSON.stringify(createRequest('REQUEST_PING', {}))), true);
    pairing.receive(a, utf8Encode('[1]'), true);
    expect(events).to.deep.equal([
      {event: 'dropped', conn: 'a', reason: 'invalid clear frame (FRAME_WRONG_CRYPT_LEVEL)'},
      {event: 'dropped', conn: 'a', reason: 'invalid clear frame (MESSAGE_INVALID)'},
    ]);
    expect(b.sent).to.have.length(1); // only its NOTIFY_RENDEZVOUS
  });

  it('logs the reasons of the frames dropped before any rendezvous', () => {
    const {pairing, events, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvousFrame(), false);
    pairing.receive(a, ciphertext(), true);
    pairing.receive(a, clearNotification(), true);
    pairing.receive(a, utf8Encode('{"not": "a message"}'), true);
    expect(events).to.deep.equal([
      {event: 'dropped', conn: 'a', reason: 'text frame'},
      {event: 'dropped', conn: 'a', reason: 'ciphertext before rendezvous'},
      {event: 'dropped', conn: 'a', reason: 'clear message before rendezvous'},
      {event: 'dropped', conn: 'a', reason: 'invalid clear frame (MESSAGE_INVALID)'},
    ]);
    expect(a.sent).to.deep.equal([]);
  });

  it('drops every kind of frame from a client that is waiting, and still pairs it afterwards', () => {
    const {pairing, events, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvousFrame(), true);
    events.length = 0;
    pairing.receive(a, ciphertext(), true);
    pairing.receive(a, clearNotification(), true);
    pairing.receive(a, utf8Encode('not json'), true);
    pairing.receive(a, new Uint8Array(0), true);
    pairing.receive(a, ciphertext(), false);
    expect(events.map((e) => e.reason)).to.deep.equal([
      'ciphertext before rendezvous',
      'clear message before rendezvous',
      'ciphertext before rendezvous',
      'ciphertext before rendezvous',
      'text frame',
    ]);
    expect(a.sent).to.have.length(1); // its NOT_READY, nothing else
    expect(a.closes).to.deep.equal([]);
    expect(pairing.stats()).to.deep.equal({connections: 1, waiting: 1, pairs: 0});
    const b = conn('b');
    pairing.receive(b, rendezvousFrame(), true);
    expect(pairing.isPaired(a) && pairing.isPaired(b)).to.equal(true);
  });

  it('logs a repeated rendezvous and an id in use as rejections, with their reasons', () => {
    const {pairing, events, conn} = setup();
    const [a, b, c] = [conn('a'), conn('b'), conn('c')];
    pairing.receive(a, rendezvousFrame(), true);
    pairing.receive(b, rendezvousFrame(), true);
    events.length = 0;
    pairing.receive(c, rendezvousFrame(), true);
    pairing.receive(a, rendezvousFrame(), true);
    expect(events).to.deep.equal([
      {event: 'rendezvous', conn: 'c', rendezvous_id: rid},
      {event: 'rejected', conn: 'c', rendezvous_id: rid, reason: 'rendezvous id in use'},
      {event: 'rendezvous', conn: 'a', rendezvous_id: rid},
      {event: 'rejected', conn: 'a', rendezvous_id: rid, reason: 'repeated REQUEST_RENDEZVOUS'},
      {event: 'ended', conn: 'b', peer: 'a', rendezvous_id: rid},
    ]);
    expect([a.closes, b.closes, c.closes]).to.deep.equal([['repeated-rendezvous'], ['peer-left'], ['rendezvous-in-use']]);
  });

  it('isPaired is true only between pairing and the end of the session', () => {
    const {pairing, conn} = setup();
    const a = conn('a');
    const b = conn('b');
    const stranger = new Conn('stranger');
    expect([pairing.isPaired(a), pairing.isPaired(stranger)]).to.deep.equal([false, false]);
    pairing.receive(a, rendezvousFrame(), true);
    expect(pairing.isPaired(a)).to.equal(false);
    pairing.receive(b, rendezvousFrame(), true);
    expect([pairing.isPaired(a), pairing.isPaired(b)]).to.deep.equal([true, true]);
    pairing.disconnect(a);
    expect([pairing.isPaired(a), pairing.isPaired(b)]).to.deep.equal([false, false]);
  });

  it('a waiting client that leaves frees its id for the next one, which waits in turn', () => {
    const {pairing, events, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvousFrame(), true);
    pairing.disconnect(a);
    const b = conn('b');
    pairing.receive(b, rendezvousFrame(), true);
    expect(events.filter((e) => e.event === 'waiting').map((e) => e.conn)).to.deep.equal(['a', 'b']);
    expect(pairing.stats()).to.deep.equal({connections: 1, waiting: 1, pairs: 0});
  });
});
