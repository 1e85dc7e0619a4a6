// The CONSUMER layer on its own under a fake clock (issue 12, mutation
// testing): the handshake and liveness timeouts in words and to the
// millisecond, one ping timer however often the provider re-announces, and
// what it tells its host about a provider that is not ready.
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {createNotification} from '../../../src/core/message-types.js';
import {ConsumerLayer} from '../../../src/core/stack/consumer-layers.js';
import {recordingContext} from './recording-context.js';

type Clock = ReturnType<typeof FakeTimers.install>;

function setup() {
  const {context, log: seen} = recordingContext();
  // The host's calls go in the same log as the context's.
  const log = Object.assign(seen, {pings: 0, notReady: 0, infos: [] as boolean[]});
  const layer = new ConsumerLayer({
    handshakeTimeoutMs: 1000,
    pingIntervalMs: 100,
    livenessTimeoutMs: 200,
    handshaking: () => undefined,
    providerNotReady: () => void log.notReady++,
    providerInfo: (_m, first) => void log.infos.push(first),
    pong: () => true,
    sendPing: () => void log.pings++,
  });
  layer.attach(context);
  return {layer, log};
}

const provider = () => createNotification('NOTIFY_PROVIDER', null, {account_uuid: '00000000-0000-4000-8000-000000000000', payer: true, payee: true, wad: null});
const notReady = () => createNotification('NOTIFY_PROVIDER_NOT_READY', null, {});

describe('consumer layer, exactly', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = FakeTimers.install({now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
  });
  afterEach(() => clock.uninstall());

  it('gives up the handshake in words after its timeout', () => {
    const {layer, log} = setup();
    clock.tick(1000);
    expect(log.reports).to.deep.equal(['no answer to REQUEST_PROVIDER within 1000 ms']);
    expect(log.closes).to.deep.equal(['handshake-timeout']);
    layer.detach();
  });

  it('tells the host a provider is not ready only before it announced itself, and handles the notice', () => {
    const {layer, log} = setup();
    expect(layer.handle(notReady())).to.equal(true);
    expect(log.notReady).to.equal(1);
    layer.handle(provider());
    expect(layer.handle(notReady())).to.equal(true);
    expect(log.notReady).to.equal(1);
    layer.detach();
  });

  it('keeps one ping timer and one first ping however often the provider re-announces', async () => {
    const {layer, log} = setup();
    layer.handle(provider());
    await Promise.resolve();
    layer.handle(provider());
    await Promise.resolve();
    expect(log.infos).to.deep.equal([true, false]);
    expect(log.announces).to.equal(1);
    expect(log.pings).to.equal(1);
    clock.tick(100);
    expect(log.pings).to.equal(2);
    layer.detach();
    clock.tick(1000);
    expect(log.pings).to.equal(2);
  });

  it('sends no first ping once detached', async () => {
    const {layer, log} = setup();
    layer.handle(provider());
    layer.detach();
    await Promise.resolve();
    expect(log.pings).to.equal(0);
  });

  it('closes only once silence exceeds the liveness timeout, and says so', () => {
    const {layer, log} = setup();
    layer.handle(provider());
    clock.tick(200); // exactly the timeout: not yet
    expect(log.closes).to.deep.equal([]);
    clock.tick(100);
    expect(log.reports).to.deep.equal(['nothing heard from the provider for 200 ms']);
    expect(log.closes).to.deep.equal(['liveness-timeout']);
    layer.detach();
  });
});
