/**
 * Attacks on a live relay over real WebSockets, each as it was measured
 * (issue 11, section 1), with the legitimate pair that must keep working.
 */
import {expect} from 'chai';
import {WebSocket} from 'ws';
import {utf8Encode} from '../../src/core/bytes.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {
  Client,
  ciphertext,
  cleanUp,
  delay,
  droppedFrames,
  expectForwarded,
  opaque,
  pair,
  relay,
  rendezvousFrame,
  until,
  within,
} from './helpers.js';

/** 60 KiB of `[`: the frame that took a core when the relay parsed it. */
const NESTED = utf8Encode('['.repeat(60 * 1024));

/** Sends `frame` until the relay closes the connection, at most `max` times; resolves with how many were sent. */
async function floodUntilClosed(client: Client, frame: Uint8Array | string, max: number): Promise<number> {
  let sent = 0;
  while (client.isOpen && sent < max) {
    client.send(frame);
    sent++;
    if (sent % 10 === 0) await delay(1);
  }
  return sent;
}

/** Opens a WebSocket and resolves with the HTTP status it was refused with, or 101 if it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url, {headers});
  return within(new Promise<number>((resolve) => {
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', () => resolve(-1));
  }), 'the upgrade to be answered');
}

describe('relay under hostile input', () => {
  afterEach(cleanUp);

  for (const waiting of [false, true]) {
    it(`closes a connection flooding nested-JSON clear frames${waiting ? ' after one REQUEST_RENDEZVOUS (waiting)' : ''}, and the pair keeps working`, async () => {
      const {relay: r, logs} = await relay();
      const {a, b} = await pair(r.url);
      const attacker = await Client.open(r.url);
      if (waiting) {
        attacker.send(rendezvousFrame(rendezvousIdOf(SharedSeed.generate())).frame);
        await attacker.notification('NOTIFY_RENDEZVOUS_NOT_READY');
      }
      const sent = await floodUntilClosed(attacker, NESTED, 500);
      expect(await attacker.closedWith('the flooder to be closed')).to.deep.equal({code: 1008, reason: 'too many unusable frames'});
      expect(sent, 'closed within the budget, not by the count bound').to.be.below(500);
      expect(logs).to.deep.include({event: 'rejected', conn: 3, reason: 'too many unusable frames'});
      expect(logs.filter((e) => e['event'] === 'dropped').map((e) => e['reason'])).to.include('clear frame too large');
      const seed = SharedSeed.generate();
      await expectForwarded(a, b, ciphertext(seed));
      await expectForwarded(b, a, ciphertext(seed));
      expect(r.stats()).to.deep.include({pairs: 1, waiting: 0});
    });
  }

  it('closes a connection flooding text frames or ciphertext before pairing', async () => {
    const {relay: r} = await relay({maxDroppedFrames: 4});
    const texts = await Client.open(r.url);
    const early = await Client.open(r.url);
    await floodUntilClosed(texts, 'hello', 100);
    await floodUntilClosed(early, opaque(64), 100);
    expect((await texts.closedWith()).reason).to.equal('too many unusable frames');
    expect((await early.closedWith()).reason).to.equal('too many unusable frames');
  });

  it('forgives a few unusable frames spread out in time', async () => {
    const {relay: r} = await relay({maxDroppedFrames: 2});
    const {a, b} = await pair(r.url);
    a.send('a text frame');
    a.send(utf8Encode('{"not": "a message"}'));
    for (let i = 0; i < 2; i++) {
      await delay(1050); // one more is allowed each second
      a.send(utf8Encode('[]'));
    }
    await expectForwarded(a, b, ciphertext(SharedSeed.generate()));
    expect(a.isOpen).to.equal(true);
  });

  it('forwards ciphertext of any size up to the frame limit, and a clear REQUEST_RENDEZVOUS near the clear limit', async () => {
    const {relay: r} = await relay({maxClearFrameBytes: 600});
    const {a, b} = await pair(r.url);
    for (const size of [32, 601, 2049, 64 * 1024]) await expectForwarded(a, b, opaque(size));
    const waiting = await Client.open(r.url);
    const rid = rendezvousIdOf(SharedSeed.generate());
    const padded = utf8Encode(new TextDecoder().decode(rendezvousFrame(rid).frame).replace('{', '{' + ' '.repeat(300)));
    expect(padded.length).to.be.within(400, 600);
    waiting.send(padded);
    await waiting.notification('NOTIFY_RENDEZVOUS_NOT_READY');
  });
});

describe('relay limits per client address', () => {
  afterEach(cleanUp);

  it('refuses one connection too many from an address with HTTP 429 and a log line naming it', async () => {
    const {relay: r, logs} = await relay({maxConnectionsPerAddress: 3});
    const open = await Promise.all([0, 1, 2].map(() => Client.open(r.url)));
    expect(await upgradeStatus(r.url)).to.equal(429);
    expect(logs).to.deep.include({event: 'refused', addr: '127.0.0.1', status: 429, reason: 'too many connections from this address', count: 1});
    expect(logs.filter((e) => e['event'] === 'connection').map((e) => e['addr'])).to.deep.equal(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    open[0]!.ws.close();
    await open[0]!.closedWith();
    await until(() => r.stats().connections === 2, 'the relay to see the close');
    expect(await upgradeStatus(r.url)).to.equal(101);
  });

  it('still answers 503 when the relay as a whole is full', async () => {
    const {relay: r, logs} = await relay({maxConnections: 2, maxConnectionsPerAddress: 5});
    await Client.open(r.url);
    await Client.open(r.url);
    expect(await upgradeStatus(r.url)).to.equal(503);
    expect(logs).to.deep.include({event: 'refused', addr: '127.0.0.1', status: 503, reason: 'too many connections', count: 1});
  });

  it('closes a connection that would be one waiting connection too many from its address, but lets one pair', async () => {
    // 200 parked connections with random ids once held every slot of the relay.
    const {relay: r, logs} = await relay({maxWaitingPerAddress: 2});
    const rids = [rendezvousIdOf(SharedSeed.generate()), rendezvousIdOf(SharedSeed.generate())];
    const parked: Client[] = [];
    for (const rid of rids) {
      const client = await Client.open(r.url);
      client.send(rendezvousFrame(rid).frame);
      await client.notification('NOTIFY_RENDEZVOUS_NOT_READY');
      parked.push(client);
    }
    const third = await Client.open(r.url);
    third.send(rendezvousFrame(rendezvousIdOf(SharedSeed.generate())).frame);
    expect(await third.closedWith()).to.deep.equal({code: 1008, reason: 'too many waiting connections from this address'});
    expect(logs.some((e) => e['event'] === 'rejected' && e['reason'] === 'too many waiting connections from this address')).to.equal(true);
    expect(r.stats().waiting).to.equal(2);
    // Pairing makes no one wait, so it is never refused.
    const peer = await Client.open(r.url);
    peer.send(rendezvousFrame(rids[0]!).frame);
    await peer.notification('NOTIFY_RENDEZVOUS');
    await parked[0]!.notification('NOTIFY_RENDEZVOUS');
    await expectForwarded(peer, parked[0]!, ciphertext(SharedSeed.generate()));
    expect(r.stats()).to.deep.include({waiting: 1, pairs: 1});
  });

  it('ignores X-Forwarded-For unless the connection comes from a trusted proxy', async () => {
    const {relay: r, logs} = await relay({maxConnectionsPerAddress: 1});
    const ws = new WebSocket(r.url, {headers: {'X-Forwarded-For': '203.0.113.5'}});
    await within(new Promise((resolve) => ws.once('open', resolve)), 'the connection');
    expect(logs.find((e) => e['event'] === 'connection')?.['addr']).to.equal('127.0.0.1');
    expect(await upgradeStatus(r.url, {'X-Forwarded-For': '203.0.113.6'})).to.equal(429);
    ws.terminate();
  });

  it('takes the client address from X-Forwarded-For behind a trusted proxy, and limits by it', async () => {
    const {relay: r, logs} = await relay({maxConnectionsPerAddress: 1, trustProxy: ['127.0.0.1']});
    const first = new WebSocket(r.url, {headers: {'X-Forwarded-For': '198.51.100.1, 203.0.113.5'}});
    await within(new Promise((resolve) => first.once('open', resolve)), 'the connection');
    expect(logs.find((e) => e['event'] === 'connection')?.['addr']).to.equal('203.0.113.5');
    expect(await upgradeStatus(r.url, {'X-Forwarded-For': '203.0.113.5'})).to.equal(429);
    expect(await upgradeStatus(r.url, {'X-Forwarded-For': '203.0.113.6'})).to.equal(101);
    expect(logs).to.deep.include({event: 'refused', addr: '203.0.113.5', status: 429, reason: 'too many connections from this address', count: 1});
    first.terminate();
  });
});

describe('relay log volume', () => {
  afterEach(cleanUp);

  it('writes one line per connection and reason per interval under a flood of dropped frames, with counts', async () => {
    const {relay: r, logs} = await relay({maxDroppedFrames: 1_000_000, logIntervalMs: 300});
    const {a, b} = await pair(r.url);
    const FRAMES = 3000;
    for (let i = 0; i < FRAMES; i++) {
      a.send(i % 2 === 0 ? 'text' : utf8Encode('{"junk": 1}'));
      if (i % 100 === 0) await delay(1);
    }
    await expectForwarded(a, b, ciphertext(SharedSeed.generate())); // everything before it was read
    a.ws.close();
    await a.closedWith();
    await until(() => droppedFrames(logs) === FRAMES, 'every dropped frame to be counted');
    const lines = logs.filter((e) => e['event'] === 'dropped');
    const reasons = new Set(lines.map((e) => e['reason']));
    expect(reasons.size).to.equal(2);
    // The flood takes well under a second: at most a first line, a line per interval and a last one per reason.
    expect(lines.length, JSON.stringify(lines)).to.be.at.most(2 * 8);
  });

  it('logs a slow reader once, and no error lines, when it is cut off', async () => {
    const {relay: r, logs} = await relay({maxBufferedBytes: 256 * 1024});
    const {a, b} = await pair(r.url);
    (b.ws as unknown as {_socket: {pause(): void}})._socket.pause();
    const chunk = new Uint8Array(60_000).fill(0x80);
    for (let i = 0; i < 3000 && a.isOpen; i++) {
      a.send(chunk);
      if (i % 20 === 0) await delay(1);
    }
    await a.closedWith('the rendezvous to end');
    await until(() => r.stats().connections === 0, 'both connections to be gone');
    await delay(100);
    expect(logs.filter((e) => e['event'] === 'slow-reader')).to.have.length(1);
    expect(logs.filter((e) => e['event'] === 'error'), JSON.stringify(logs.filter((e) => e['event'] === 'error').slice(0, 3))).to.have.length(0);
    expect(logs.filter((e) => e['event'] === 'socket-error').length).to.be.at.most(2);
  });
});
