/**
 * Who may connect: the Origin allow-list (HTTP 403) and the rate of new
 * connections per client address (HTTP 429), on live relays.
 */
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {MoneysocketError} from '../../src/core/errors.js';
import {Admission, admissionSettingsFrom, normalizeOrigin} from '../../src/relay/admission.js';
import {startRelay} from '../../src/relay/index.js';
import {cleanUp, delay, relay, until} from './helpers.js';
import {upgrade} from './operator-helpers.js';

type Logs = Array<Record<string, unknown>>;
const refusals = (logs: Logs, status: number): Logs => logs.filter((e) => e['event'] === 'refused' && e['status'] === status);
/** How many refusals the (aggregated) lines stand for. */
const refusedCount = (logs: Logs, status: number): number => refusals(logs, status).reduce((n, e) => n + (e['count'] as number), 0);

describe('relay Origin allow-list', () => {
  afterEach(cleanUp);

  it('lets in the listed origins, as browsers serialize them, and refuses others with 403 and a log line naming the origin', async () => {
    const {relay: r, logs} = await relay({allowOrigin: ['https://app.example.com', 'http://localhost:8080/']});
    expect((await upgrade(r.url, {origin: 'https://app.example.com'})).status).to.equal(101);
    expect((await upgrade(r.url, {origin: 'http://localhost:8080'})).status).to.equal(101);
    expect((await upgrade(r.url, {origin: 'https://APP.example.com:443'})).status).to.equal(101);
    expect((await upgrade(r.url, {origin: 'https://evil.example'})).status).to.equal(403);
    expect((await upgrade(r.url, {origin: 'http://app.example.com'})).status, 'another scheme is another origin').to.equal(403);
    expect((await upgrade(r.url, {origin: 'https://app.example.com:8443'})).status, 'another port too').to.equal(403);
    expect((await upgrade(r.url, {origin: 'null'})).status, 'sandboxed pages, unless "null" is listed').to.equal(403);
    expect((await upgrade(r.url, {origin: 'not an origin'})).status).to.equal(403);
    expect(refusals(logs, 403)[0]).to.deep.include({event: 'refused', addr: '127.0.0.1', status: 403, reason: 'origin not allowed', origin: 'https://evil.example', count: 1});
    expect(r.stats().connections).to.equal(0);
  });

  it('lets in clients that send no Origin (non-browser providers and consumers), which could forge one anyway', async () => {
    const {relay: r} = await relay({allowOrigin: ['https://app.example.com']});
    expect((await upgrade(r.url)).status).to.equal(101);
  });

  it('lets any origin in when no allow-list is given, as before', async () => {
    const {relay: r} = await relay();
    expect((await upgrade(r.url, {origin: 'https://anywhere.example'})).status).to.equal(101);
  });

  it('sums up a flood of refusals from one address and origin in one line per interval', async () => {
    const {relay: r, logs} = await relay({allowOrigin: ['https://app.example.com'], logIntervalMs: 200});
    for (let i = 0; i < 20; i++) expect((await upgrade(r.url, {origin: 'https://evil.example'})).status).to.equal(403);
    await until(() => refusedCount(logs, 403) === 20, 'the counts to be written');
    expect(refusals(logs, 403).length).to.be.at.most(3);
  });

  it('accepts "null" when listed, and refuses entries that are not origins', async () => {
    expect(normalizeOrigin('null')).to.equal('null');
    const {relay: r} = await relay({allowOrigin: ['null']});
    expect((await upgrade(r.url, {origin: 'null'})).status).to.equal(101);
    expect(normalizeOrigin(' HTTPS://App.Example.com:443/ ')).to.equal('https://app.example.com');
    for (const entry of ['app.example.com', 'https://app.example.com/path', 'ftp://app.example.com', 'https://user@app.example.com', 'https://app.example.com/?q']) {
      const error = await startRelay({port: 0, log: () => {}, allowOrigin: [entry]}).then(async (h) => void (await h.close()), (e: unknown) => e);
      expect(error, entry).to.be.instanceOf(MoneysocketError);
      expect((error as MoneysocketError).code).to.equal('INVALID_ARGUMENT');
      expect((error as MoneysocketError).message).to.contain('is not an origin');
    }
  });
});

describe('relay rate of new connections per address', () => {
  afterEach(cleanUp);

  it('refuses connections past the rate with 429, Retry-After and a log line, and lets them in again after', async () => {
    const {relay: r, logs} = await relay({connectionRatePerAddress: 2});
    expect((await upgrade(r.url)).status).to.equal(101);
    expect((await upgrade(r.url)).status).to.equal(101);
    expect(await upgrade(r.url)).to.deep.equal({status: 429, retryAfter: '1'});
    expect(await upgrade(r.url)).to.deep.equal({status: 429, retryAfter: '1'});
    expect(refusals(logs, 429)[0]).to.deep.include({addr: '127.0.0.1', reason: 'too many new connections from this address', count: 1});
    await delay(600); // one more every 500 ms
    expect((await upgrade(r.url)).status).to.equal(101);
  });

  it('counts each client address on its own (behind a trusted proxy, by X-Forwarded-For)', async () => {
    const {relay: r} = await relay({connectionRatePerAddress: 1, connectionBurstPerAddress: 2, trustProxy: ['127.0.0.1']});
    const from = (addr: string) => ({headers: {'X-Forwarded-For': addr}});
    expect((await upgrade(r.url, from('203.0.113.1'))).status).to.equal(101);
    expect((await upgrade(r.url, from('203.0.113.1'))).status).to.equal(101);
    expect((await upgrade(r.url, from('203.0.113.1'))).status).to.equal(429);
    expect((await upgrade(r.url, from('203.0.113.2'))).status).to.equal(101);
    expect((await upgrade(r.url, from('2001:db8:1:2::1'))).status).to.equal(101);
    expect((await upgrade(r.url, from('2001:db8:1:2::99'))).status).to.equal(101);
    expect((await upgrade(r.url, from('2001:db8:1:2:ffff::1'))).status, 'one /64 is one address').to.equal(429);
  });

  it('is off by default: a burst of connections from one address gets in, as before', async () => {
    const {relay: r} = await relay();
    const statuses = await Promise.all(Array.from({length: 30}, () => upgrade(r.url)));
    expect(statuses.map((s) => s.status)).to.deep.equal(Array(30).fill(101));
  });

  it('forgets an address once its bucket is full again, so addresses seen once do not pile up', () => {
    const clock = FakeTimers.install({toFake: ['setInterval', 'clearInterval', 'performance']});
    try {
      const admission = new Admission(admissionSettingsFrom({connectionRatePerAddress: 10, connectionBurstPerAddress: 5}));
      for (let i = 0; i < 100; i++) expect(admission.check(`198.51.100.${i}`, undefined)).to.equal(undefined);
      expect(admission.trackedAddresses).to.equal(100);
      clock.tick(400);
      expect(admission.check('198.51.100.7', undefined)).to.equal(undefined);
      clock.tick(1000); // a bucket of 5 at 10/s is full after 500 ms; the sweep runs every 1000 ms
      expect(admission.trackedAddresses).to.equal(1);
      clock.tick(1000);
      expect(admission.trackedAddresses).to.equal(0);
      admission.close();
    } finally {
      clock.uninstall();
    }
  });

  it('refuses a negative rate and a burst of 0 with a rate', async () => {
    for (const options of [{connectionRatePerAddress: -1}, {connectionRatePerAddress: 1.5}, {connectionRatePerAddress: 5, connectionBurstPerAddress: 0}]) {
      const error = await startRelay({port: 0, log: () => {}, ...options}).then(async (h) => void (await h.close()), (e: unknown) => e);
      expect(error, JSON.stringify(options)).to.be.instanceOf(MoneysocketError);
      expect((error as MoneysocketError).code).to.equal('INVALID_ARGUMENT');
    }
  });
});
