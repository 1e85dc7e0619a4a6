// Survivors of the mutation run over rendezvous-layer.ts (issue 12): the
// OUTGOING_RENDEZVOUS layer on its own, on a fake context and a fake clock.
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {createNotification} from '../../../src/core/message-types.js';
import {SharedSeed} from '../../../src/core/seed.js';
import {rendezvousIdOf} from '../../../src/core/seed-keys.js';
import {RendezvousLayer} from '../../../src/core/stack/rendezvous-layer.js';
import {recordingContext} from './recording-context.js';

type Clock = ReturnType<typeof FakeTimers.install>;

function setup() {
  const sharedSeed = SharedSeed.generate();
  const {context, log: seen} = recordingContext(sharedSeed);
  // The host's calls go in the same log as the context's.
  const log = Object.assign(seen, {waiting: 0, paired: 0});
  const layer = new RendezvousLayer({waiting: () => void log.waiting++, paired: () => void log.paired++}, {answerTimeoutMs: 1000, endGraceMs: 500});
  const id = rendezvousIdOf(sharedSeed);
  return {layer, context, log, id};
}

type Setup = ReturnType<typeof setup>;

/** The uuid of the REQUEST_RENDEZVOUS the layer sent. */
const ourRequest = (s: Setup) => String(s.log.sent[0]!['request_uuid']);

/** The relay's notification `name`, answering `uuid` (our request's unless given). */
function fromRelay(s: Setup, name: 'NOTIFY_RENDEZVOUS' | 'NOTIFY_RENDEZVOUS_NOT_READY' | 'NOTIFY_RENDEZVOUS_END', uuid?: string | null) {
  return createNotification(name, uuid === undefined ? ourRequest(s) : uuid, {rendezvous_id: s.id});
}

const OTHER_UUID = '00000000-0000-4000-8000-000000000001';

describe('rendezvous layer survivors, killed', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = FakeTimers.install({now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date']});
  });
  afterEach(() => clock.uninstall());

  // :49 (the timeout callback → {}), :50 (its text → ``): an unanswered rendezvous is given up on, in words.
  it('gives up on a relay that does not answer within its timeout, and says so', () => {
    const s = setup();
    s.layer.attach(s.context);
    clock.tick(999);
    expect(s.log.closes).to.deep.equal([]);
    clock.tick(1);
    expect(s.log.reports).to.deep.equal(['the relay did not answer REQUEST_RENDEZVOUS within 1000 ms']);
    expect(s.log.closes).to.deep.equal(['handshake-timeout']);
  });

  // :80 (detach → {}): a detached layer's timeout never fires and it handles nothing.
  it('forgets its timeout and handles nothing once detached', () => {
    const s = setup();
    s.layer.attach(s.context);
    s.layer.detach();
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS'))).to.equal(false);
    clock.tick(5000);
    expect(s.log.closes).to.deep.equal([]);
    expect(s.log.paired).to.equal(0);
  });

  // :64 (`return true` → false): a NOT_READY for another request is swallowed, and tells no one.
  it('consumes a NOTIFY_RENDEZVOUS_NOT_READY for another request without reporting waiting', () => {
    const s = setup();
    s.layer.attach(s.context);
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS_NOT_READY', OTHER_UUID))).to.equal(true);
    expect(s.log.waiting).to.equal(0);
    s.layer.detach();
  });

  // :70 (→ false, `return false` → true): a NOTIFY_RENDEZVOUS for another request pairs nothing and is passed on.
  it('passes on a NOTIFY_RENDEZVOUS for another request, unpaired', () => {
    const s = setup();
    s.layer.attach(s.context);
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS', OTHER_UUID))).to.equal(false);
    expect(s.log.paired).to.equal(0);
    expect(s.log.announces).to.equal(0);
    s.layer.detach();
  });

  // :69 (→ true), :77 (`return false` → true): another notification naming our request is not a pairing, and is passed on.
  it('passes on another notification that references our request, unpaired', () => {
    const s = setup();
    s.layer.attach(s.context);
    expect(s.layer.handle(createNotification('NOTIFY_PONG', ourRequest(s), {}))).to.equal(false);
    expect(s.log.paired).to.equal(0);
    s.layer.detach();
  });

  // :62 (→ false): once paired, a repeated NOTIFY_RENDEZVOUS or NOT_READY is not ours to handle.
  it('passes on rendezvous notifications once paired, pairing once', () => {
    const s = setup();
    s.layer.attach(s.context);
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS'))).to.equal(true);
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS'))).to.equal(false);
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS_NOT_READY'))).to.equal(false);
    expect([s.log.paired, s.log.announces, s.log.waiting]).to.deep.equal([1, 1, 0]);
    s.layer.detach();
  });

  // :94 (→ false, its block → {}): before pairing, the relay's end closes the connection at once.
  it('closes at once on an end before pairing', () => {
    const s = setup();
    s.layer.attach(s.context);
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS_END', null))).to.equal(true);
    expect(s.log.closes).to.deep.equal(['peer-left']);
    expect(s.log.expected).to.deep.equal([]);
    s.layer.detach();
  });

  // :100 (the grace callback → {}), :102 (its text → ""): after pairing, an end the relay does not follow
  // with a close is reported as forged once the grace period is over, and no close is expected any more.
  it('after pairing, expects the close, then calls an end with no close forged', () => {
    const s = setup();
    s.layer.attach(s.context);
    s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS'));
    expect(s.layer.handle(fromRelay(s, 'NOTIFY_RENDEZVOUS_END', null))).to.equal(true);
    expect(s.log.closes).to.deep.equal([]);
    expect(s.log.expected).to.deep.equal(['peer-left']);
    clock.tick(500);
    expect(s.log.expected).to.deep.equal(['peer-left', undefined]);
    expect(s.log.reports).to.deep.equal(['ignored a NOTIFY_RENDEZVOUS_END that the relay did not follow with a close: forged by the peer?']);
    s.layer.detach();
  });
});
