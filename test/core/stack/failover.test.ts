/**
 * Beacons with several relay locations: the stacks start on the first,
 * move on to the next when one cannot be reached or drops (reporting each
 * switch as a `location` event), and give up on connect() only once every
 * location failed. Independent relay processes, no cluster; in Node and in Chromium.
 */
import {expect} from 'chai';
import {createBeacon, encodeBeacon} from '../../../src/core/beacon.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {parseWebSocketUrl} from '../../../src/core/location.js';
import type {LocationSwitchReason} from '../../../src/core/stack/stack.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';
import {startTestRelay, type TestRelay} from '../../support/relay.js';
import {makeConsumer, until, walletProvider} from './fixtures.js';

const FAST = {backoff: {initialMs: 50, maxMs: 300}, openTimeoutMs: 2000};

function beaconOf(...urls: string[]): string {
  return encodeBeacon(createBeacon(urls.map((url) => {
    const location = parseWebSocketUrl(url);
    if (!location.ok) throw location.error;
    return location.value;
  })));
}

/** The address of a relay process killed at once: nothing listens there. */
async function deadUrl(): Promise<string> {
  const relay = await startTestRelay();
  await relay.stop();
  return relay.url;
}

describe('stacks fail over across the beacon\'s locations', function () {
  this.timeout(60000);
  const relays: TestRelay[] = [];
  const stacks: Array<{disconnect(): Promise<void>}> = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.disconnect()));
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  it('skips a location that cannot be reached, and says so', async () => {
    const relay = await startTestRelay();
    relays.push(relay);
    const dead = await deadUrl();
    const consumer = await makeConsumer(FAST);
    stacks.push(consumer);
    const switches: Array<{url: string; previous: string; reason: LocationSwitchReason}> = [];
    consumer.on('location', (s) => switches.push(s));
    const network = new InMemoryDemoNetwork();
    const provider = await walletProvider(new DemoLedger({id: 'w', balanceMsats: 5000, network}), FAST);
    stacks.push(provider);
    const beacon = beaconOf(dead, relay.url);
    await provider.connect(beacon);
    await consumer.connect(beacon);
    expect(consumer.state).to.equal('connected');
    expect(switches).to.deep.equal([{url: relay.url, previous: dead, reason: 'unreachable'}]);
  });

  it('rejects connect() only once every location failed', async () => {
    const urls = [await deadUrl(), await deadUrl()];
    const consumer = await makeConsumer(FAST);
    stacks.push(consumer);
    const switches: string[] = [];
    consumer.on('location', ({url}) => switches.push(url));
    const error = await consumer.connect(beaconOf(...urls)).then(() => undefined, (e: MoneysocketError) => e);
    expect(error?.code).to.equal('CONNECTION_FAILED');
    expect(switches).to.deep.equal([urls[1]]);
    expect(consumer.state).to.equal('disconnected');
  });

  it('moves both stacks to the next relay when theirs dies, and they meet there again', async () => {
    const first = await startTestRelay();
    const second = await startTestRelay();
    relays.push(first, second);
    const network = new InMemoryDemoNetwork();
    const provider = await walletProvider(new DemoLedger({id: 'w', balanceMsats: 5000, network}), FAST);
    const consumer = await makeConsumer(FAST);
    stacks.push(provider, consumer);
    const reasons: string[] = [];
    const note = ({url, reason}: {url: string; reason: LocationSwitchReason}): number => reasons.push(`${url === second.url ? 'second' : 'first'}:${reason}`);
    provider.on('location', note);
    consumer.on('location', note);
    const beacon = beaconOf(first.url, second.url);
    await provider.connect(beacon);
    await consumer.connect(beacon);
    await first.kill();
    await until(() => consumer.state === 'connected' && provider.state === 'connected' && reasons.length === 2, 15000, 'both back on the second relay');
    expect(reasons).to.deep.equal(['second:dropped', 'second:dropped']);
    expect(await consumer.requestInvoice(1000)).to.match(/^lnbc10n1/);
  });

  it('keeps a one-location beacon on its relay: no location events', async () => {
    const relay = await startTestRelay();
    relays.push(relay);
    const consumer = await makeConsumer(FAST);
    stacks.push(consumer);
    let events = 0;
    consumer.on('location', () => events++);
    const network = new InMemoryDemoNetwork();
    const provider = await walletProvider(new DemoLedger({id: 'w', balanceMsats: 5000, network}), FAST);
    stacks.push(provider);
    const beacon = beaconOf(relay.url);
    await provider.connect(beacon);
    await consumer.connect(beacon);
    await relay.restart();
    await until(() => consumer.state === 'connected' && provider.state === 'connected', 15000, 'back on the restarted relay');
    expect(events).to.equal(0);
  });
});
