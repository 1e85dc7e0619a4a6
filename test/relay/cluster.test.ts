/**
 * The relay as a cluster: three relay processes sharing rendezvous ids
 * through a throwaway Redis. Every pairing rule of a single relay holds
 * across nodes; two nodes racing for one id pair it once; a restarted Redis
 * leaves same-node pairs alone and cross-node pairing works again after.
 */
import {expect} from 'chai';
import {randomBytes} from '../../src/core/bytes.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {hex} from '../vectors.js';
import {CLAIM_TTL_MS, CLUSTER_WAIT_MS, crossPair, firstOutcome, health, startCluster, untilHealth, waiter, type TestCluster} from './cluster-helpers.js';
import {Client, ciphertext, expectForwarded, opaque, rendezvousFrame, terminateClients, within} from './helpers.js';
import {sample, scrape} from './operator-helpers.js';

const M = 'moneysocket_relay_';

/** A node's cross-node frame counters and its Redis state, from /metrics. */
async function clusterMetrics(url: string): Promise<{in: number; out: number; redis: string[]}> {
  const m = await scrape(url);
  const states = ['not-configured', 'connecting', 'ready', 'down'].filter((s) => sample(m, `${M}redis_state{state="${s}"}`) === 1);
  return {in: sample(m, `${M}cross_node_frames_total{direction="in"}`), out: sample(m, `${M}cross_node_frames_total{direction="out"}`), redis: states};
}

const IN_USE = {code: 1008, reason: 'rendezvous id in use'};
const ENDED = {code: 1000, reason: 'rendezvous ended'};

/** Sends `frames` from one client and checks the other gets exactly them, in order. */
async function streamInOrder(from: Client, to: Client, frames: Uint8Array[]): Promise<void> {
  for (const frame of frames) from.send(frame);
  for (const [i, frame] of frames.entries()) {
    const got = await within(to.next(`frame ${i}`), `frame ${i}`, CLUSTER_WAIT_MS);
    expect(got.binary).to.equal(true);
    expect(hex(got.data), `frame ${i}`).to.equal(hex(frame));
  }
}

describe('relay cluster on Redis (three relay processes)', function () {
  this.timeout(120000);
  let cluster: TestCluster;
  let A: string, B: string, C: string;

  before(async () => {
    cluster = await startCluster(['node-a', 'node-b', 'node-c']);
    [A, B, C] = cluster.nodes.map((n) => n.url) as [string, string, string];
  });
  after(async () => {
    terminateClients();
    await cluster?.stop();
  });
  afterEach(() => terminateClients());

  it('reports its node and Redis on /healthz', async () => {
    const h = await health(B);
    expect(h.status).to.equal('ok');
    expect(h.cluster).to.include({node: 'node-b', redis: 'up'});
  });

  it('keeps every pairing rule across nodes: NOT_READY, RENDEZVOUS, early frames dropped, a third client refused on any node, frames unchanged and in order, END, reuse', async () => {
    const seed = SharedSeed.generate();
    const rid = rendezvousIdOf(seed);
    const first = await Client.open(A);
    first.send(ciphertext(seed)); // before any rendezvous: dropped
    const r1 = rendezvousFrame(rid);
    first.send(r1.frame);
    expect((await first.notification('NOTIFY_RENDEZVOUS_NOT_READY')).request_reference_uuid).to.equal(r1.uuid);
    first.send(opaque(64)); // waiting: dropped too

    const second = await Client.open(B);
    second.send(ciphertext(seed));
    const r2 = rendezvousFrame(rid);
    second.send(r2.frame);
    // The second client hears first, then the first, each with its own request's uuid.
    expect((await second.notification('NOTIFY_RENDEZVOUS')).request_reference_uuid).to.equal(r2.uuid);
    expect((await first.notification('NOTIFY_RENDEZVOUS')).request_reference_uuid).to.equal(r1.uuid);

    for (const url of [C, A, B]) {
      const third = await Client.open(url);
      third.send(rendezvousFrame(rid).frame);
      expect(await third.closedWith(`a third client on ${url} refused`)).to.deep.equal(IN_USE);
    }

    // Nothing sent before pairing arrived: the first frame each side gets is the first sent after.
    const sizes = [1, 2, 15, 16, 17, 100, 1000, 4096, 30000, 60000];
    const aToB = Array.from({length: 60}, (_, i) => opaque(sizes[i % sizes.length]!));
    const bToA = Array.from({length: 60}, (_, i) => ciphertext(seed).slice(0, 16 + (i % 5) * 16).map((v, j) => (j === 0 ? 0xff : v)));
    await Promise.all([streamInOrder(first, second, aToB), streamInOrder(second, first, bToA)]);
    expect(first.pending() + second.pending()).to.equal(0);

    first.ws.close();
    expect((await second.notification('NOTIFY_RENDEZVOUS_END')).notification_name).to.equal('NOTIFY_RENDEZVOUS_END');
    expect(await second.closedWith()).to.deep.equal(ENDED);

    // The id is free again, on any nodes.
    const again = await crossPair(C, B, rid);
    await expectForwarded(again.a, again.b, opaque(32));
    again.b.ws.close();
    await again.a.notification('NOTIFY_RENDEZVOUS_END');
    expect(await again.a.closedWith()).to.deep.equal(ENDED);
  });

  it('forwards bursts of many pairs between two nodes at once whole and in order, and a leaving sender\'s END after its frames', async () => {
    const pairs = await Promise.all(Array.from({length: 20}, () => crossPair(A, B, rendezvousIdOf(SharedSeed.generate()))));
    const bursts = pairs.map(() => Array.from({length: 30}, (_, i) => opaque(16 + ((i * 7) % 300))));
    // Every sender writes its whole burst and leaves in the same turn: every frame reaches its peer, then the END.
    pairs.forEach(({a}, i) => {
      for (const frame of bursts[i]!) a.send(frame);
      a.ws.close();
    });
    await Promise.all(pairs.map(async ({b}, i) => {
      for (const [j, frame] of bursts[i]!.entries()) {
        const got = await within(b.next(`pair ${i} frame ${j}`), `pair ${i} frame ${j}`, CLUSTER_WAIT_MS);
        expect(hex(got.data), `pair ${i} frame ${j}`).to.equal(hex(frame));
      }
      expect((await b.notification('NOTIFY_RENDEZVOUS_END')).notification_name).to.equal('NOTIFY_RENDEZVOUS_END');
      expect(await b.closedWith()).to.deep.equal(ENDED);
    }));
  });

  it('counts frames across nodes on /metrics, by direction on each node, and shows Redis ready', async () => {
    const before = await Promise.all([A, B, C].map(clusterMetrics));
    const {a, b} = await crossPair(A, B, rendezvousIdOf(SharedSeed.generate()));
    const local = await crossPair(C, C, rendezvousIdOf(SharedSeed.generate()));
    for (let i = 0; i < 5; i++) await expectForwarded(a, b, opaque(20 + i));
    for (let i = 0; i < 3; i++) await expectForwarded(b, a, opaque(30 + i));
    await expectForwarded(local.a, local.b, opaque(40));
    const after = await Promise.all([A, B, C].map(clusterMetrics));
    const moved = after.map((m, i) => ({in: m.in - before[i]!.in, out: m.out - before[i]!.out}));
    expect(moved).to.deep.equal([{in: 3, out: 5}, {in: 5, out: 3}, {in: 0, out: 0}]);
    for (const m of after) expect(m.redis).to.deep.equal(['ready']);
  });

  it('pairs an id exactly once when two nodes race for it, 200 times', async () => {
    const urls = [A, B, C];
    let round = 0;
    const race = async (i: number): Promise<void> => {
      const rid = rendezvousIdOf(SharedSeed.generate());
      const [home, x, y] = [urls[i % 3]!, urls[(i + 1) % 3]!, urls[(i + 2) % 3]!];
      const first = await waiter(home, rid);
      const racers = await Promise.all([Client.open(x), Client.open(y)]);
      for (const racer of racers) racer.send(rendezvousFrame(rid).frame);
      const outcomes = await Promise.all(racers.map((racer, n) => firstOutcome(racer, `racer ${n} of race ${i}`)));
      const winners = racers.filter((_, n) => 'frame' in outcomes[n]!);
      expect(winners.length, `race ${i}: exactly one racer paired`).to.equal(1);
      const loser = outcomes.find((o) => 'closed' in o);
      expect(loser && 'closed' in loser ? loser.closed : undefined).to.deep.equal(IN_USE);
      await first.notification('NOTIFY_RENDEZVOUS');
      // Paired with each other, and the waiter heard NOTIFY_RENDEZVOUS once: the next thing it gets is the winner's frame.
      const frame = opaque(48);
      winners[0]!.send(frame);
      expect(hex((await first.next('the winner\'s frame')).data)).to.equal(hex(frame));
      first.ws.terminate();
      winners[0]!.ws.terminate();
      round++;
    };
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({length: 20}, (_, j) => race(batch * 20 + j)));
      terminateClients();
    }
    expect(round).to.equal(200);
  });

  it('pairs two clients that ask at the same moment on two nodes: one waits, both are paired, 20 times', async () => {
    for (let i = 0; i < 20; i++) {
      const rid = rendezvousIdOf(SharedSeed.generate());
      const [x, y] = await Promise.all([Client.open(A), Client.open(B)]);
      x.send(rendezvousFrame(rid).frame);
      y.send(rendezvousFrame(rid).frame);
      const seen = await Promise.all([x, y].map((c) => namesUntilPaired(c)));
      expect(seen.map((names) => names.join()).sort()).to.deep.equal(['NOTIFY_RENDEZVOUS', 'NOTIFY_RENDEZVOUS_NOT_READY,NOTIFY_RENDEZVOUS']);
      await expectForwarded(x, y, opaque(20));
      await expectForwarded(y, x, opaque(20));
      terminateClients();
    }
  });

  it('ends the pairs of a node frozen past half the claim TTL; thawed, it comes back as a new instance and its waiters pair again', async () => {
    const node = cluster.nodes[1]!;
    const before = (await health(B)).cluster?.instance;
    const across = await crossPair(A, B);
    const rid = rendezvousIdOf(SharedSeed.generate());
    const waiting = await waiter(B, rid);
    await node.relay.freeze();
    try {
      await within(across.a.notification('NOTIFY_RENDEZVOUS_END'), 'END on A for the frozen node\'s peer', CLAIM_TTL_MS);
      expect(await across.a.closedWith()).to.deep.equal(ENDED);
    } finally {
      await node.relay.thaw();
    }
    // Its own side of the pair is ended too once it runs again, and it takes a new instance name.
    await within(across.b.notification('NOTIFY_RENDEZVOUS_END'), 'END on B after the thaw', CLUSTER_WAIT_MS);
    const after = await untilHealth(B, (h) => h.cluster?.redis === 'up' && h.cluster.instance !== before, 'a new instance');
    expect(after.cluster?.node).to.equal('node-b');
    const peer = await Client.open(A);
    peer.send(rendezvousFrame(rid).frame);
    await peer.notification('NOTIFY_RENDEZVOUS');
    await waiting.notification('NOTIFY_RENDEZVOUS');
    await expectForwarded(peer, waiting, opaque(24));
  });

  it('survives a Redis restart: same-node pairs go on, cross-node pairs end, waiters on two nodes meet once it is back', async () => {
    const local = await crossPair(A, A);
    const across = await crossPair(A, B);
    await cluster.redis.kill();
    // Both halves of the cross-node pair are ended; the same-node pair is not.
    for (const c of [across.a, across.b]) {
      await within(c.notification('NOTIFY_RENDEZVOUS_END'), 'END for a cross-node pair', CLUSTER_WAIT_MS);
      expect(await c.closedWith()).to.deep.equal(ENDED);
    }
    await expectForwarded(local.a, local.b, opaque(40));
    for (const url of [A, B]) expect((await untilHealth(url, (h) => h.status === 'degraded', 'degraded health')).cluster?.redis).to.equal('down');
    for (const url of [A, B]) expect((await clusterMetrics(url)).redis, `${url} /metrics`).to.deep.equal(['down']);

    // Without Redis: pairs on one node still form; two waiters on two nodes cannot meet yet.
    const alone = await crossPair(B, B);
    await expectForwarded(alone.b, alone.a, opaque(40));
    const rid = rendezvousIdOf(SharedSeed.generate());
    const onA = await waiter(A, rid);
    const onB = await waiter(B, rid);

    await cluster.redis.start();
    for (const url of [A, B, C]) await untilHealth(url, (h) => h.status === 'ok' && h.cluster?.redis === 'up', `${url} back up`);
    for (const url of [A, B, C]) expect((await clusterMetrics(url)).redis, `${url} /metrics`).to.deep.equal(['ready']);
    // The two waiters are written back and meet across nodes.
    await within(onA.notification('NOTIFY_RENDEZVOUS'), 'waiter on A paired after recovery', CLUSTER_WAIT_MS);
    await within(onB.notification('NOTIFY_RENDEZVOUS'), 'waiter on B paired after recovery', CLUSTER_WAIT_MS);
    await expectForwarded(onA, onB, opaque(40));
    // The same-node pair was written back too: a third client elsewhere is refused.
    const third = await Client.open(C);
    third.send(rendezvousFrame(local.rid).frame);
    expect(await third.closedWith()).to.deep.equal(IN_USE);
    await expectForwarded(local.b, local.a, opaque(40));
    // New cross-node pairs work.
    const fresh = await crossPair(C, A);
    await expectForwarded(fresh.a, fresh.b, randomBytes(1).fill(0xff));
    fresh.a.ws.close();
    await fresh.b.notification('NOTIFY_RENDEZVOUS_END');
  });
});

/** Notification names a client gets until it is paired (at most two). */
async function namesUntilPaired(client: Client): Promise<string[]> {
  const names: string[] = [];
  while (names.length < 2) {
    const {data} = await within(client.next('a notification'), 'a notification', CLUSTER_WAIT_MS);
    const name = (JSON.parse(data.toString()) as {notification_name: string}).notification_name;
    names.push(name);
    if (name === 'NOTIFY_RENDEZVOUS') break;
  }
  return names;
}
