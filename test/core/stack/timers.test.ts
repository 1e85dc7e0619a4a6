/**
 * The stacks' timers under a fake clock: documented defaults, timers that
 * must be refreshed or cleared, and "no timeout". Minutes pass in
 * milliseconds, and nothing waits on real time.
 */
import {expect} from 'chai';
import {DEFAULT_CONSUMER_TIMEOUTS} from '../../../src/core/stack/consumer-stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {memoryWorld, messageNameOf, settle, track, withFakeClock, type MemoryWorld} from './memory-world.js';

const never = () => new Promise<never>(() => undefined);

describe('stack timers under a fake clock', function () {
  this.timeout(20000);
  let w: MemoryWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('documents its default timeouts: 10 s handshake, invoice and ping, 60 s payment', () => {
    expect(DEFAULT_CONSUMER_TIMEOUTS).to.deep.equal({handshakeMs: 10_000, invoiceMs: 10_000, payMs: 60_000, pingMs: 10_000});
  });

  it('gives a payment 60 s by default, then reports its outcome unknown', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld({provider: {handlePayRequest: never}});
      const bill = await w.merchant.createInvoice(100);
      const pay = track(w.consumer.requestPay(bill.bolt11));
      await clock.tickAsync(59_999);
      expect(pay.settled).to.equal(false);
      expect(w.consumer.state).to.equal('connected');
      await clock.tickAsync(1);
      await settle();
      expect(pay.error?.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    }));

  it('gives an invoice request 10 s by default', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld({provider: {handleInvoiceRequest: never}});
      const invoice = track(w.consumer.requestInvoice(100));
      await clock.tickAsync(9_999);
      expect(invoice.settled).to.equal(false);
      await clock.tickAsync(1);
      await settle();
      expect(invoice.error?.code).to.equal('REQUEST_TIMEOUT');
    }));

  it('never times out a request whose timeout is Infinity', () =>
    withFakeClock(async (clock) => {
      let release: (preimage: string) => void = () => undefined;
      w = await memoryWorld({provider: {handlePayRequest: ({bolt11}) => new Promise((resolve) => (release = resolve)).then(() => w!.wallet.pay(bolt11))}});
      const bill = await w.merchant.createInvoice(100);
      const pay = track(w.consumer.requestPay(bill.bolt11, {timeoutMs: Infinity}));
      await clock.tickAsync(10 * 60_000);
      expect(pay.settled).to.equal(false);
      release('');
      await clock.tickAsync(10);
      expect(pay.value).to.equal(bill.preimage);
    }));

  it('stays connected for as long as pongs come back (the liveness clock is refreshed)', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld();
      const states: string[] = [];
      w.consumer.on('state', ({state}) => states.push(state));
      w.provider.on('state', ({state}) => states.push(state));
      for (let i = 0; i < 60; i++) await clock.tickAsync(1000);
      expect(states).to.deep.equal([]);
      expect(w.consumer.state).to.equal('connected');
    }));

  it('waits as long as it takes for a provider that said "not ready" (the handshake timer is cleared)', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld({provider: {providerInfo: null}, connect: false});
      await w.provider.connect(w.beacon);
      const connecting = track(w.consumer.connect(w.beacon));
      await clock.tickAsync(100);
      expect(w.consumer.state).to.equal('handshaking');
      const states: string[] = [];
      w.consumer.on('state', ({state}) => states.push(state));
      await clock.tickAsync(5 * 60_000);
      expect(states).to.deep.equal([]);
      w.provider.setProviderInfo({payer: true, payee: true, wad: bitcoinWad(1000)});
      await clock.tickAsync(10);
      expect(connecting.settled && connecting.error === undefined).to.equal(true);
      expect(w.consumer.state).to.equal('connected');
    }));

  it('gives up on a provider that never answers the handshake after 10 s', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld({connect: false});
      await w.provider.connect(w.beacon);
      // A provider whose answers never arrive: everything it sends is dropped.
      const providerSocket = [...w.relay.sockets][0];
      w.relay.fault = (_frame, from) => (from === providerSocket ? 0 : 1);
      void w.consumer.connect(w.beacon).catch(() => undefined);
      await clock.tickAsync(9_999);
      expect(w.consumer.state).to.equal('handshaking');
      await clock.tickAsync(2);
      expect(w.consumerErrors.map((e) => e.code)).to.include('REQUEST_TIMEOUT');
      expect(w.consumer.state).not.to.equal('handshaking');
    }));

  it('drops the session when the provider has been silent for 10 s', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld();
      const providerSocket = [...w.relay.sockets][0]; // the provider connected first
      w.relay.fault = (_frame, from) => (from === providerSocket ? 0 : 1);
      const left = track(w.consumer.once('state'));
      await clock.tickAsync(9_000);
      expect(left.settled).to.equal(false);
      await clock.tickAsync(4_000);
      expect(left.value?.state).to.equal('reconnecting');
      expect(w.consumerErrors.map((e) => e.code)).to.include('REQUEST_TIMEOUT');
    }));

  it('drops the session when a consumer that pinged has been silent for 15 s (a frozen relay looks the same)', () =>
    withFakeClock(async (clock) => {
      // This consumer pings once, right after the handshake, and never again.
      w = await memoryWorld({consumer: {pingIntervalMs: 3_600_000, livenessTimeoutMs: 3_600_000}});
      await clock.tickAsync(10);
      const left = track(w.provider.once('state'));
      await clock.tickAsync(14_000);
      expect(left.settled).to.equal(false);
      await clock.tickAsync(5_000);
      expect(left.value?.state).to.equal('reconnecting');
      expect(w.providerErrors.map((e) => e.message)).to.include('nothing heard from the consumer for 15000 ms');
    }));

  it('does not watch a consumer that never pings (py consumers do not)', () =>
    withFakeClock(async (clock) => {
      w = await memoryWorld({consumer: {pingIntervalMs: 3_600_000, livenessTimeoutMs: 3_600_000}, connect: false});
      // Drop the consumer's one ping: the provider never hears a ping at all.
      w.relay.fault = (frame) => (messageNameOf(w!, frame) === 'REQUEST_PING' ? 0 : 1);
      await w.provider.connect(w.beacon);
      await w.consumer.connect(w.beacon);
      const states: string[] = [];
      w.provider.on('state', ({state}) => states.push(state));
      await clock.tickAsync(5 * 60_000);
      expect(states).to.deep.equal([]);
    }));
});
