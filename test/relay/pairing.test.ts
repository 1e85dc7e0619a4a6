import {expect} from 'chai';
import {utf8DecodeLenient, utf8Encode} from '../../src/core/bytes.js';
import {encodeFrame} from '../../src/core/frame.js';
import type {NotificationEnvelope} from '../../src/core/message-codec.js';
import {createNotification, createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {hex, loadVectors, unhex} from '../vectors.js';
import {RendezvousPairing, type RelayCloseReason, type PairingConnection, type PairingEvent, type PairingOptions} from '../../src/relay/pairing.js';

/** Everything the machine did to any fake connection, in order. */
type Action = {to: string; sent: Uint8Array} | {to: string; closed: RelayCloseReason};

class FakeConnection implements PairingConnection {
  readonly sent: Uint8Array[] = [];
  closed: RelayCloseReason | undefined;
  constructor(
    readonly id: string,
    private readonly actions: Action[],
  ) {}
  send(frame: Uint8Array): void {
    this.sent.push(frame);
    this.actions.push({to: this.id, sent: frame});
  }
  close(reason: RelayCloseReason): void {
    this.closed = reason;
    this.actions.push({to: this.id, closed: reason});
  }
}

const seed = SharedSeed.generate();
const rid = rendezvousIdOf(seed);

function rendezvous(id = rid, uuid?: string): {frame: Uint8Array; uuid: string} {
  const request = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: id}, uuid === undefined ? {} : {uuid});
  const frame = encodeFrame(request, null);
  if (!frame.ok) throw frame.error;
  return {frame: frame.value, uuid: request.request_uuid};
}

function ciphertext(): Uint8Array {
  const frame = encodeFrame(createRequest('REQUEST_PING', {}), seed);
  if (!frame.ok) throw frame.error;
  return frame.value;
}

function notification(frame: Uint8Array | undefined): NotificationEnvelope {
  expect(frame, 'a frame was sent').to.not.equal(undefined);
  return JSON.parse(utf8DecodeLenient(frame!)) as NotificationEnvelope;
}

function setup(options: PairingOptions<FakeConnection> = {}): {
  pairing: RendezvousPairing<FakeConnection>;
  actions: Action[];
  events: PairingEvent[];
  conn(id: string): FakeConnection;
} {
  const actions: Action[] = [];
  const events: PairingEvent[] = [];
  const pairing = new RendezvousPairing<FakeConnection>({onEvent: (e) => events.push(e), ...options});
  const conn = (id: string): FakeConnection => {
    const c = new FakeConnection(id, actions);
    pairing.connect(c);
    return c;
  };
  return {pairing, actions, events, conn};
}

/** Connects two clients and pairs them: `first` waits, `second` arrives. */
function paired(): ReturnType<typeof setup> & {first: FakeConnection; second: FakeConnection} {
  const s = setup();
  const first = s.conn('first');
  const second = s.conn('second');
  s.pairing.receive(first, rendezvous().frame, true);
  s.pairing.receive(second, rendezvous().frame, true);
  // Start each test from a clean slate: the notifications are checked elsewhere.
  s.actions.length = 0;
  first.sent.length = 0;
  second.sent.length = 0;
  return {...s, first, second};
}

interface SessionEvent {
  seq: number;
  event: string;
  from?: string;
  to?: string;
  conn?: string;
  initiated_by?: string;
  frame_hex?: string;
  encrypted?: boolean;
}

const sessions = (await loadVectors<{name: string; transcript: SessionEvent[]}>('sessions.json')).vectors;

/** Replays the clients' side of a recorded session; returns what the machine sent, in order. */
function replay(transcript: SessionEvent[]): Array<{to: string; frame: Uint8Array}> {
  const {pairing, actions, conn} = setup();
  const conns = new Map<string, FakeConnection>();
  for (const e of transcript) {
    if (e.event === 'ws_open') conns.set(e.from!, conn(e.from!));
    if (e.event === 'frame' && e.to === 'relay') pairing.receive(conns.get(e.from!)!, unhex(e.frame_hex!), true);
    if (e.event === 'ws_closed' && e.initiated_by === 'relay') expect(conns.get(e.conn!)!.closed).to.equal('peer-left');
    if (e.event === 'ws_closed') pairing.disconnect(conns.get(e.conn!)!);
  }
  return actions.flatMap((a) => ('sent' in a ? [{to: a.to, frame: a.sent}] : []));
}

describe('relay pairing state machine', () => {
  for (const session of sessions) {
    it(`reproduces every relay frame of the recorded session "${session.name}"`, () => {
      const expected = session.transcript.filter((e) => e.event === 'frame' && e.from === 'relay');
      const sent = replay(session.transcript);
      expect(sent.map((f) => f.to)).to.deep.equal(expected.map((e) => e.to));
      expected.forEach((e, i) => {
        const got = sent[i]!.frame;
        if (e.encrypted) return expect(hex(got)).to.equal(e.frame_hex);
        // Relay-originated notifications: fresh uuid and timestamp, same meaning.
        const want = notification(unhex(e.frame_hex!));
        const have = notification(got);
        for (const key of ['message_class', 'notification_name', 'request_reference_uuid', 'rendezvous_id', 'protocol', 'protocol_version']) {
          expect(have[key], `${key} of relay frame #${e.seq}`).to.deep.equal(want[key]);
        }
      });
    });
  }

  it('answers a first REQUEST_RENDEZVOUS with NOT_READY referencing it, and sends nothing before', () => {
    const {pairing, conn} = setup();
    const a = conn('a');
    expect(a.sent).to.have.length(0);
    const req = rendezvous();
    pairing.receive(a, req.frame, true);
    const n = notification(a.sent[0]);
    expect(n.notification_name).to.equal('NOTIFY_RENDEZVOUS_NOT_READY');
    expect(n.request_reference_uuid).to.equal(req.uuid);
    expect(n['rendezvous_id']).to.equal(rid);
    expect(pairing.stats()).to.deep.equal({connections: 1, waiting: 1, pairs: 0});
  });

  it('pairs with NOTIFY_RENDEZVOUS to the newcomer first, then the waiting one, each with its own reference', () => {
    const {pairing, actions, conn} = setup();
    const waiting = conn('waiting');
    const newcomer = conn('newcomer');
    const w = rendezvous();
    const n = rendezvous();
    pairing.receive(waiting, w.frame, true);
    actions.length = 0;
    pairing.receive(newcomer, n.frame, true);
    expect(actions.map((a) => a.to)).to.deep.equal(['newcomer', 'waiting']);
    const toNewcomer = notification(newcomer.sent[0]);
    const toWaiting = notification(waiting.sent[1]);
    expect([toNewcomer.notification_name, toWaiting.notification_name]).to.deep.equal(['NOTIFY_RENDEZVOUS', 'NOTIFY_RENDEZVOUS']);
    expect(toNewcomer.request_reference_uuid).to.equal(n.uuid);
    expect(toWaiting.request_reference_uuid).to.equal(w.uuid);
    expect(toNewcomer['rendezvous_id']).to.equal(rid);
    expect(toNewcomer.notification_uuid).to.not.equal(toWaiting.notification_uuid);
    expect(pairing.stats()).to.deep.equal({connections: 2, waiting: 0, pairs: 1});
    expect(pairing.isPaired(newcomer) && pairing.isPaired(waiting)).to.equal(true);
  });

  it('does not pair different rendezvous ids', () => {
    const {pairing, conn} = setup();
    const a = conn('a');
    const b = conn('b');
    pairing.receive(a, rendezvous().frame, true);
    pairing.receive(b, rendezvous(rendezvousIdOf(SharedSeed.generate())).frame, true);
    expect(notification(b.sent[0]).notification_name).to.equal('NOTIFY_RENDEZVOUS_NOT_READY');
    expect(pairing.stats()).to.deep.equal({connections: 2, waiting: 2, pairs: 0});
  });

  it('forwards ciphertext byte-for-byte both ways once paired', () => {
    const {pairing, first, second} = paired();
    const one = ciphertext();
    const two = ciphertext();
    pairing.receive(first, one, true);
    pairing.receive(second, two, true);
    expect(second.sent).to.deep.equal([one]);
    expect(first.sent).to.deep.equal([two]);
  });

  it('forwards valid clear frames verbatim, drops invalid clear and text frames once paired', () => {
    const {pairing, first, second, events} = paired();
    const spaced = utf8Encode(JSON.stringify(createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: rid}), null, 1));
    pairing.receive(first, spaced, true);
    pairing.receive(first, utf8Encode('{"message_class": "REQUEST"}'), true);
    pairing.receive(first, utf8Encode('[]'), true);
    pairing.receive(first, ciphertext(), false);
    expect(second.sent).to.have.length(1);
    expect(second.sent[0]).to.equal(spaced);
    expect(events.filter((e) => e.event === 'dropped')).to.have.length(3);
    expect(second.closed).to.equal(undefined);
  });

  it('drops everything but REQUEST_RENDEZVOUS before pairing and stays usable', () => {
    const {pairing, conn, events} = setup();
    const a = conn('a');
    const junk = [
      ciphertext(),
      utf8Encode('not json at all'),
      utf8Encode('{"message_class": "REQUEST", "request_name": "REQUEST_RENDEZVOUS"}'),
      unwrapFrame(encodeFrame(createNotification('NOTIFY_RENDEZVOUS', null, {rendezvous_id: rid}), null)),
      utf8Encode(JSON.stringify(createRequest('REQUEST_PING', {}))), // AES-level message in clear
      new Uint8Array(0),
    ];
    for (const frame of junk) pairing.receive(a, frame, true);
    pairing.receive(a, rendezvous().frame, false); // a text frame, even a valid request, is dropped
    expect(a.sent).to.have.length(0);
    expect(a.closed).to.equal(undefined);
    expect(events.filter((e) => e.event === 'dropped')).to.have.length(junk.length + 1);
    pairing.receive(a, rendezvous().frame, true);
    expect(notification(a.sent[0]).notification_name).to.equal('NOTIFY_RENDEZVOUS_NOT_READY');
  });

  it('closes a third client for the same id as "in use" and keeps the pair working', () => {
    const {pairing, conn, first, second, actions} = paired();
    const third = conn('third');
    pairing.receive(third, rendezvous().frame, true);
    expect(actions).to.deep.equal([{to: 'third', closed: 'rendezvous-in-use'}]);
    pairing.disconnect(third);
    const frame = ciphertext();
    pairing.receive(first, frame, true);
    expect(second.sent).to.deep.equal([frame]);
    expect(pairing.stats()).to.deep.equal({connections: 2, waiting: 0, pairs: 1});
  });

  it('ends the session for the survivor when one side leaves, and frees the id at once', () => {
    const {pairing, conn, first, second, actions} = paired();
    pairing.disconnect(first);
    expect(actions.map((a) => ('closed' in a ? `close ${a.to}` : `send ${a.to}`))).to.deep.equal(['send second', 'close second']);
    const end = notification(second.sent[0]);
    expect(end.notification_name).to.equal('NOTIFY_RENDEZVOUS_END');
    expect(end.request_reference_uuid).to.equal(null);
    expect(end['rendezvous_id']).to.equal(rid);
    expect(second.closed).to.equal('peer-left');
    expect(pairing.stats()).to.deep.equal({connections: 1, waiting: 0, pairs: 0});
    pairing.receive(second, ciphertext(), true); // the survivor is closing: ignored
    pairing.disconnect(second);
    expect(actions).to.have.length(2);
    const again = [conn('c'), conn('d')];
    for (const c of again) pairing.receive(c, rendezvous().frame, true);
    expect(notification(again[0]!.sent[1]).notification_name).to.equal('NOTIFY_RENDEZVOUS');
  });

  it('forgets a waiting connection that leaves, without telling anyone', () => {
    const {pairing, conn, actions} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous().frame, true);
    actions.length = 0;
    pairing.disconnect(a);
    expect(actions).to.deep.equal([]);
    expect(pairing.stats()).to.deep.equal({connections: 0, waiting: 0, pairs: 0});
    const b = conn('b');
    pairing.receive(b, rendezvous().frame, true);
    expect(notification(b.sent[0]).notification_name).to.equal('NOTIFY_RENDEZVOUS_NOT_READY');
  });

  it('closes a waiting connection that repeats REQUEST_RENDEZVOUS instead of pairing it with itself', () => {
    const {pairing, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous().frame, true);
    pairing.receive(a, rendezvous().frame, true);
    expect(a.sent).to.have.length(1); // only the first NOT_READY
    expect(a.closed).to.equal('repeated-rendezvous');
    expect(pairing.stats()).to.deep.equal({connections: 1, waiting: 0, pairs: 0});
  });

  it('closes a paired connection that repeats REQUEST_RENDEZVOUS and ends its peer', () => {
    const {pairing, first, second} = paired();
    pairing.receive(first, rendezvous().frame, true);
    expect(first.closed).to.equal('repeated-rendezvous');
    expect(notification(second.sent[0]).notification_name).to.equal('NOTIFY_RENDEZVOUS_END');
    expect(second.closed).to.equal('peer-left');
    expect(pairing.stats().pairs).to.equal(0);
  });

  it('closeIfUnpaired closes new and waiting connections only', () => {
    const {pairing, conn, first, second} = paired();
    const fresh = conn('fresh');
    const waiting = conn('waiting');
    pairing.receive(waiting, rendezvous(rendezvousIdOf(SharedSeed.generate())).frame, true);
    expect(pairing.closeIfUnpaired(fresh, 'idle-timeout')).to.equal(true);
    expect(pairing.closeIfUnpaired(waiting, 'idle-timeout')).to.equal(true);
    expect(pairing.closeIfUnpaired(first, 'idle-timeout')).to.equal(false);
    expect([fresh.closed, waiting.closed, first.closed, second.closed]).to.deep.equal(['idle-timeout', 'idle-timeout', undefined, undefined]);
    expect(pairing.stats().waiting).to.equal(0);
  });

  it('logs only connection ids, the rendezvous id and reason codes', () => {
    const {pairing, conn, first, events} = paired();
    pairing.receive(first, utf8Encode('{"secret": "do not log me"}'), true);
    pairing.receive(conn('x'), ciphertext(), true);
    const text = JSON.stringify(events);
    expect(text).to.not.contain('do not log me');
    for (const e of events) expect(Object.keys(e)).to.satisfy((keys: string[]) => keys.every((k) => ['event', 'conn', 'peer', 'rendezvous_id', 'reason'].includes(k)));
  });

  it('drops what a waiting connection sends, with the reason, and neither throws nor forwards', () => {
    // A waiting connection has no peer: reading it as paired would throw.
    const {pairing, conn, events, actions} = setup();
    const waiting = conn('waiting');
    pairing.receive(waiting, rendezvous().frame, true);
    actions.length = 0;
    const clear = unwrapFrame(encodeFrame(createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: rid}), null));
    expect(() => pairing.receive(waiting, ciphertext(), true)).to.not.throw();
    expect(() => pairing.receive(waiting, clear, true)).to.not.throw();
    expect(events.filter((e) => e.event === 'dropped').map((e) => e.reason)).to.deep.equal([
      'ciphertext before rendezvous',
      'clear message before rendezvous',
    ]);
    expect(actions).to.deep.equal([]);
    expect(pairing.isWaiting(waiting)).to.equal(true);
  });

  it('never hands a clear frame above the clear limit, nor ciphertext, to JSON.parse', () => {
    const {pairing, first, second, events} = paired();
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      parsed++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      pairing.receive(first, utf8Encode('['.repeat(60 * 1024)), true);
      pairing.receive(first, utf8Encode(' '.repeat(3000) + '{}'), true);
      const big = new Uint8Array(64 * 1024).fill(0x80);
      pairing.receive(first, big, true);
      pairing.receive(first, ciphertext(), true);
      expect(parsed).to.equal(0);
      expect(second.sent).to.have.length(2); // the two ciphertexts
      expect(events.filter((e) => e.event === 'dropped').map((e) => e.reason)).to.deep.equal(['clear frame too large', 'clear frame too large']);
      pairing.receive(first, utf8Encode('['.repeat(1000)), true);
      expect(parsed, 'small clear frames are parsed').to.equal(1);
    } finally {
      JSON.parse = parse;
    }
  });

  it('closes a connection past its budget of unusable frames, frees its waiting place, and refills the budget over time', () => {
    let now = 0;
    const {pairing, conn, events} = setup({maxDroppedFrames: 3, droppedFrameRefillMs: 1000, now: () => now});
    const patient = conn('patient');
    for (let i = 0; i < 3; i++) pairing.receive(patient, utf8Encode('[]'), true);
    now += 2000; // two more
    for (let i = 0; i < 2; i++) pairing.receive(patient, utf8Encode('[]'), true);
    expect(patient.closed).to.equal(undefined);
    const flooder = conn('flooder');
    pairing.receive(flooder, rendezvous().frame, true);
    expect(pairing.stats().waiting).to.equal(1);
    for (let i = 0; i < 10; i++) pairing.receive(flooder, utf8Encode('[[[]]]'), false);
    expect(flooder.closed).to.equal('unusable-frames');
    expect(events.filter((e) => e.event === 'dropped' && e.conn === 'flooder')).to.have.length(4); // then it is closing: ignored
    expect(events).to.deep.include({event: 'rejected', conn: 'flooder', reason: 'too many unusable frames'});
    expect(pairing.stats().waiting).to.equal(0);
  });

  it('asks mayWait before making a connection wait, never before pairing it', () => {
    const asked: string[] = [];
    const {pairing, conn, events} = setup({mayWait: (c) => (asked.push(c.id), c.id !== 'refused')});
    const refused = conn('refused');
    pairing.receive(refused, rendezvous().frame, true);
    expect(refused.closed).to.equal('waiting-limit');
    expect(events).to.deep.include({event: 'rejected', conn: 'refused', rendezvous_id: rid, reason: 'too many waiting connections from this address'});
    const waiting = conn('waiting');
    pairing.receive(waiting, rendezvous().frame, true);
    const newcomer = conn('newcomer');
    pairing.receive(newcomer, rendezvous().frame, true);
    expect(asked).to.deep.equal(['refused', 'waiting']);
    expect(pairing.isPaired(newcomer)).to.equal(true);
  });
});

function unwrapFrame(result: ReturnType<typeof encodeFrame>): Uint8Array {
  if (!result.ok) throw result.error;
  return result.value;
}
