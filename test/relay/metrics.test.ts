/**
 * GET /metrics: Prometheus' text format, parsed, with the counters moving as
 * a session goes (connections, waiting, pairs, frames and bytes forwarded,
 * dropped frames, refusals and closes by reason), and the cluster's hooks.
 */
import {expect} from 'chai';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {RelayMetrics} from '../../src/relay/metrics.js';
import {Client, ciphertext, cleanUp, expectForwarded, opaque, pair, relay, rendezvousFrame, until} from './helpers.js';
import {httpGet, parseMetrics, sample, scrape, upgrade, type Samples} from './operator-helpers.js';

const M = 'moneysocket_relay_';

/** The relay's own series, for comparing two scrapes. */
function own(samples: Samples): Record<string, number> {
  return Object.fromEntries([...samples].filter(([series]) => series.startsWith(M)));
}

describe('relay /metrics', () => {
  afterEach(cleanUp);

  it('answers in the text format with every series from the start: gauges at 0, counters at 0, Redis not configured; process metrics too', async () => {
    const {relay: r} = await relay();
    const response = await httpGet(r.url, '/metrics');
    expect(response.status).to.equal(200);
    expect(response.type).to.equal('text/plain; version=0.0.4; charset=utf-8');
    const {samples, types} = parseMetrics(response.body);
    expect(own(samples)).to.deep.equal({
      [`${M}connections`]: 0, [`${M}waiting`]: 0, [`${M}pairs`]: 0,
      [`${M}connections_accepted_total`]: 0, [`${M}frames_forwarded_total`]: 0, [`${M}forwarded_bytes_total`]: 0, [`${M}dropped_frames_total`]: 0,
      ...Object.fromEntries(['origin', 'connection-rate', 'address-connections', 'connections', 'shutting-down', 'no-socket'].map((r) => [`${M}refusals_total{reason="${r}"}`, 0])),
      ...Object.fromEntries(['rendezvous-in-use', 'repeated-rendezvous', 'peer-left', 'idle-timeout', 'waiting-timeout', 'unusable-frames', 'waiting-limit', 'slow-reader'].map((r) => [`${M}closes_total{reason="${r}"}`, 0])),
      [`${M}cross_node_frames_total{direction="in"}`]: 0, [`${M}cross_node_frames_total{direction="out"}`]: 0,
      [`${M}redis_state{state="not-configured"}`]: 1, [`${M}redis_state{state="connecting"}`]: 0, [`${M}redis_state{state="ready"}`]: 0, [`${M}redis_state{state="down"}`]: 0,
    });
    expect(types.get(`${M}connections`)).to.equal('gauge');
    expect(types.get(`${M}frames_forwarded_total`)).to.equal('counter');
    expect(types.get(`${M}redis_state`)).to.equal('gauge');
    expect(sample(samples, 'process_resident_memory_bytes')).to.be.above(0);
    // /healthz is as it was.
    const health = await httpGet(r.url, '/healthz');
    expect(JSON.parse(health.body)).to.deep.equal({status: 'ok', connections: 0, waiting: 0, pairs: 0});
  });

  it('moves with a session: accepted, waiting, paired, frames and bytes forwarded both ways, drops, refusals and closes', async () => {
    const {relay: r} = await relay({maxConnectionsPerAddress: 3});
    const waiting = await Client.open(r.url);
    const rid = rendezvousIdOf(SharedSeed.generate());
    waiting.send(rendezvousFrame(rid).frame);
    await waiting.notification('NOTIFY_RENDEZVOUS_NOT_READY');
    let m = await scrape(r.url);
    expect([sample(m, `${M}connections`), sample(m, `${M}waiting`), sample(m, `${M}pairs`), sample(m, `${M}connections_accepted_total`)]).to.deep.equal([1, 1, 0, 1]);

    const newcomer = await Client.open(r.url);
    newcomer.send(rendezvousFrame(rid).frame);
    await newcomer.notification('NOTIFY_RENDEZVOUS');
    await waiting.notification('NOTIFY_RENDEZVOUS');
    m = await scrape(r.url);
    expect([sample(m, `${M}connections`), sample(m, `${M}waiting`), sample(m, `${M}pairs`), sample(m, `${M}connections_accepted_total`)]).to.deep.equal([2, 0, 1, 2]);
    expect(sample(m, `${M}frames_forwarded_total`), 'the relay\'s own notifications are not forwards').to.equal(0);

    const seed = SharedSeed.generate();
    const sizes = [48, 1000, 64 * 1024];
    for (const size of sizes) await expectForwarded(waiting, newcomer, opaque(size));
    await expectForwarded(newcomer, waiting, ciphertext(seed));
    waiting.send('a text frame'); // dropped, not forwarded
    await expectForwarded(waiting, newcomer, ciphertext(seed));
    m = await scrape(r.url);
    expect(sample(m, `${M}frames_forwarded_total`)).to.equal(5);
    expect(sample(m, `${M}forwarded_bytes_total`)).to.equal(sizes.reduce((a, b) => a + b) + 2 * ciphertext(seed).length);
    expect(sample(m, `${M}dropped_frames_total`)).to.equal(1);

    // A third client for the paired id is closed; one more from the address is refused before the upgrade.
    const third = await Client.open(r.url);
    third.send(rendezvousFrame(rid).frame);
    expect((await third.closedWith()).reason).to.equal('rendezvous id in use');
    await until(() => r.stats().connections === 2, 'the third to be gone');
    const extra = await Client.open(r.url);
    expect((await upgrade(r.url)).status).to.equal(429);
    extra.ws.terminate();

    waiting.ws.close();
    expect((await newcomer.closedWith()).code).to.equal(1000);
    await until(() => r.stats().connections === 0, 'everyone to be gone');
    m = await scrape(r.url);
    expect([sample(m, `${M}connections`), sample(m, `${M}waiting`), sample(m, `${M}pairs`), sample(m, `${M}connections_accepted_total`)]).to.deep.equal([0, 0, 0, 4]);
    expect(sample(m, `${M}closes_total{reason="rendezvous-in-use"}`)).to.equal(1);
    expect(sample(m, `${M}closes_total{reason="peer-left"}`)).to.equal(1);
    expect(sample(m, `${M}refusals_total{reason="address-connections"}`)).to.equal(1);
    expect(sample(m, `${M}refusals_total{reason="origin"}`)).to.equal(0);
  });

  it('counts refusals by reason: origin, connection rate', async () => {
    const {relay: r} = await relay({allowOrigin: ['https://app.example.com'], connectionRatePerAddress: 1, connectionBurstPerAddress: 3});
    expect((await upgrade(r.url, {origin: 'https://evil.example'})).status).to.equal(403);
    expect((await upgrade(r.url, {origin: 'https://evil.example'})).status).to.equal(403);
    expect((await upgrade(r.url, {origin: 'https://app.example.com'})).status).to.equal(101);
    expect((await upgrade(r.url)).status).to.equal(429);
    const m = await scrape(r.url);
    expect(sample(m, `${M}refusals_total{reason="origin"}`)).to.equal(2);
    expect(sample(m, `${M}refusals_total{reason="connection-rate"}`)).to.equal(1);
    expect(sample(m, `${M}connections_accepted_total`)).to.equal(1);
  });

  it('keeps each relay\'s counts apart in one process', async () => {
    const {relay: one} = await relay();
    const {relay: two} = await relay();
    const {a, b} = await pair(one.url);
    await expectForwarded(a, b, opaque(100));
    expect(sample(await scrape(one.url), `${M}frames_forwarded_total`)).to.equal(1);
    expect(sample(await scrape(two.url), `${M}frames_forwarded_total`)).to.equal(0);
  });

  it('gives the cluster its hooks: cross-node frames by direction, and the Redis state as one gauge per state', async () => {
    const metrics = new RelayMetrics(() => ({connections: 3, waiting: 1, pairs: 1}));
    metrics.crossNodeFrame('out');
    metrics.crossNodeFrame('out');
    metrics.crossNodeFrame('in');
    metrics.setRedisState('ready');
    const {samples} = parseMetrics(await metrics.text());
    expect(sample(samples, `${M}cross_node_frames_total{direction="out"}`)).to.equal(2);
    expect(sample(samples, `${M}cross_node_frames_total{direction="in"}`)).to.equal(1);
    expect(sample(samples, `${M}redis_state{state="ready"}`)).to.equal(1);
    expect(sample(samples, `${M}redis_state{state="not-configured"}`)).to.equal(0);
    expect(sample(samples, `${M}connections`)).to.equal(3);
  });
});
