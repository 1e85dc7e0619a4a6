/**
 * The NWC backend in Node against a real Nostr relay (@nostr-relay/core on
 * 127.0.0.1) and a wallet service built with @getalby/sdk over a demo ledger;
 * then a ProviderStack served from it, with a consumer through a real relay
 * process. The browser twin is nwc-provider.test.ts.
 */
import {expect} from 'chai';
import {WebSocket} from 'ws';
import {connectNwc, type NwcBackend} from '../../src/bridges/nwc-backend.js';
import {decodeBolt11} from '../../src/core/bolt11.js';
import {MoneysocketError} from '../../src/core/errors.js';
import {preimagePays} from '../../src/core/preimage.js';
import {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import {ProviderStack} from '../../src/core/stack/provider-stack.js';
import type {WalletEvent} from '../../src/core/stack/wallet-backend.js';
import {beaconFor} from '../core/stack/fixtures.js';
import {startNostrRelay} from '../../demo/node/nostr-relay.js';
import {NwcFixture} from '../support/nostr-relay.js';
import {startTestRelay, testSocketFactory, until} from '../support/relay.js';

// Node 20 has no WebSocket, and the SDK bundles its own nostr-tools: it reads the global.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

async function untilAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof MoneysocketError)) throw new Error(`expected a MoneysocketError, got ${String(outcome)}`);
  return outcome;
}

describe('the NWC backend against a real Nostr relay and an SDK wallet service', function () {
  this.timeout(30_000);
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(walletMsats?: number, options: {payTimeoutMs?: number} = {}): Promise<{fixture: NwcFixture; backend: NwcBackend}> {
    const fixture = await NwcFixture.start(walletMsats);
    cleanups.push(() => fixture.close());
    const backend = await connectNwc(fixture.connectionString, options);
    cleanups.push(() => backend.close());
    return {fixture, backend};
  }

  it('refuses strings that are not NWC connections, naming what is wrong', async () => {
    const secret = 'ab'.repeat(32);
    const cases: [string, RegExp][] = [
      ['https://example.invalid', /must start with nostr\+walletconnect/],
      [`nostr+walletconnect://abc?relay=ws%3A%2F%2F127.0.0.1%3A1&secret=${secret}`, /public key/],
      [`nostr+walletconnect://${'cd'.repeat(32)}?relay=ws%3A%2F%2F127.0.0.1%3A1`, /secret/],
      [`nostr+walletconnect://${'cd'.repeat(32)}?secret=${secret}`, /no relay/],
      [`nostr+walletconnect://${'cd'.repeat(32)}?relay=http%3A%2F%2F127.0.0.1%3A1&secret=${secret}`, /ws:\/\//],
    ];
    for (const [text, why] of cases) {
      const error = await failure(connectNwc(text));
      expect(error.code, text).to.equal('INVALID_ARGUMENT');
      expect(error.message, text).to.match(why);
    }
  });

  it('says CONNECTION_FAILED when the wallet\'s relay cannot be reached', async () => {
    const gone = await startNostrRelay();
    await gone.close();
    const connection = `nostr+walletconnect://${'cd'.repeat(32)}?relay=${encodeURIComponent(gone.url)}&secret=${'ab'.repeat(32)}`;
    const error = await failure(connectNwc(connection, {requestTimeoutMs: 5000}));
    expect(error.code).to.equal('CONNECTION_FAILED');
    expect(error.message).to.match(/^could not reach the NWC wallet/);
  });

  it('makes invoices, pays them and reads the balance, in msats on both sides', async () => {
    const {fixture, backend} = await setUp(50_000_000);
    expect(backend.methods).to.include.members(['make_invoice', 'pay_invoice', 'get_balance']);
    expect(await backend.getBalance!()).to.deep.equal({msats: 50_000_000});

    const {bolt11} = await backend.makeInvoice({msats: 12_345, description: 'a test'});
    const decoded = decodeBolt11(bolt11);
    expect(decoded.ok && decoded.value.msats).to.equal(12_345n);

    const bill = await fixture.shopInvoice(21_000);
    const {preimage} = await backend.payInvoice({bolt11: bill.bolt11, msats: 21_000n});
    expect(preimagePays(preimage as string, bill.paymentHash)).to.equal(true);
    expect(await backend.getBalance!()).to.deep.equal({msats: 50_000_000 - 21_000});
    expect((await fixture.stats()).calls).to.deep.equal({make_invoice: 1, pay_invoice: 1, get_balance: 2});
  });

  it('maps the wallet\'s refusals to REQUEST_REFUSED and its failures to PAYMENT_FAILED, with clear texts', async () => {
    const {fixture, backend} = await setUp(5_000);
    const bill = await fixture.shopInvoice(1_000);
    const pay = () => failure(backend.payInvoice({bolt11: bill.bolt11, msats: 1_000n}));
    const refusals: [string, string][] = [
      ['QUOTA_EXCEEDED', "the wallet's spending quota is used up"],
      ['RESTRICTED', 'the wallet does not allow this connection to do that'],
      ['RATE_LIMITED', 'the wallet is receiving too many requests: try again shortly'],
      ['UNAUTHORIZED', 'the wallet does not know this connection (was it revoked?)'],
      ['NOT_IMPLEMENTED', 'the wallet does not support this'],
    ];
    for (const [code, text] of refusals) {
      fixture.setFault('pay_invoice', {kind: 'error', code, message: `wallet says ${code}`});
      const error = await pay();
      expect([error.code, error.message], code).to.deep.equal(['REQUEST_REFUSED', text]);
    }
    fixture.setFault('pay_invoice', {kind: 'error', code: 'PAYMENT_FAILED', message: 'no route'});
    const failed = await pay();
    expect([failed.code, failed.message]).to.deep.equal(['PAYMENT_FAILED', 'the wallet could not pay the invoice: no route']);
    fixture.setFault('pay_invoice', {kind: 'error', code: 'INTERNAL', message: 'disk full'});
    expect((await pay()).message).to.equal('the wallet had an internal error: disk full');

    // A real refusal from the ledger: 5 sats cannot pay 10.
    fixture.setFault('pay_invoice', undefined);
    const big = await fixture.shopInvoice(10_000);
    const poor = await failure(backend.payInvoice({bolt11: big.bolt11, msats: 10_000n}));
    expect([poor.code, poor.message]).to.deep.equal(['REQUEST_REFUSED', "the wallet's balance is too low for this payment"]);
    expect((await fixture.stats()).walletMsats).to.equal(5_000);

    fixture.setFault('make_invoice', {kind: 'error', code: 'QUOTA_EXCEEDED', message: 'x'});
    expect((await failure(backend.makeInvoice({msats: 1000}))).code).to.equal('REQUEST_REFUSED');
  });

  it('calls a payment whose answer is lost PAYMENT_OUTCOME_UNKNOWN, after the wallet paid it once', async () => {
    const {fixture, backend} = await setUp(100_000, {payTimeoutMs: 1500});
    fixture.setFault('pay_invoice', {kind: 'drop-reply'});
    const bill = await fixture.shopInvoice(30_000);
    const error = await failure(backend.payInvoice({bolt11: bill.bolt11, msats: 30_000n}));
    expect(error.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    expect(error.message).to.match(/may or may not have been made/);
    const stats = await fixture.stats();
    expect(stats.calls.pay_invoice).to.equal(1);
    expect(stats.walletMsats).to.equal(70_000);
    // The answer arrives after the verdict: nothing changes (and the SDK's own 60 s timer is cleared).
    expect(fixture.releaseHeld()).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await fixture.stats()).to.include({walletMsats: 70_000});
  });

  it('turns payment_received notifications into payment-received wallet events', async () => {
    const {fixture, backend} = await setUp();
    const events: WalletEvent[] = [];
    const stop = backend.subscribe!((event) => events.push(event));
    cleanups.push(stop);
    const {bolt11} = await backend.makeInvoice({msats: 4_000});
    // The SDK subscribes in the background; a notice published before that would reach nobody.
    await untilAsync(async () => (await fixture.stats()).notificationListeners > 0, 'the notification subscription');
    const {preimage} = await fixture.payWalletInvoice(bolt11);
    await until(() => events.length > 0, 10_000, 'the payment_received notification');
    const decoded = decodeBolt11(bolt11);
    expect(events[0]).to.deep.equal({type: 'payment-received', paymentHash: decoded.ok ? decoded.value.paymentHash : '', preimage, msats: 4_000});
  });
});

describe('a ProviderStack served over NWC, with a consumer through a relay process', function () {
  this.timeout(60_000);
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function world(payTimeoutMs?: number) {
    const fixture = await NwcFixture.start(100_000_000);
    cleanups.push(() => fixture.close());
    const backend = await connectNwc(fixture.connectionString, payTimeoutMs === undefined ? {} : {payTimeoutMs});
    cleanups.push(() => backend.close());
    const relay = await startTestRelay();
    cleanups.push(() => relay.stop());
    const webSocket = await testSocketFactory();
    const provider = new ProviderStack({webSocket, backend});
    const consumer = new ConsumerStack({webSocket});
    cleanups.push(() => provider.disconnect(), () => consumer.disconnect());
    const beacon = beaconFor(relay.url);
    await provider.connect(beacon);
    await consumer.connect(beacon);
    await untilAsync(async () => (await fixture.stats()).notificationListeners > 0, 'the notification subscription');
    return {fixture, consumer};
  }

  it('pays, makes an invoice, tells the consumer it was paid, and keeps the balance in step', async () => {
    const {fixture, consumer} = await world();
    await until(() => consumer.providerInfo?.wad?.msats === 100_000_000, 10_000, 'the NWC balance at the consumer');
    const bill = await fixture.shopInvoice(25_000);
    expect(await consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
    await until(() => consumer.providerInfo?.wad?.msats === 100_000_000 - 25_000, 10_000, 'the balance after paying');

    const received: string[] = [];
    consumer.on('payment-received', ({bolt11}) => received.push(bolt11));
    const bolt11 = await consumer.requestInvoice(8_000);
    await fixture.payWalletInvoice(bolt11);
    await until(() => received.length === 1, 10_000, 'payment-received at the consumer');
    expect(received).to.deep.equal([bolt11]);
    await until(() => consumer.providerInfo?.wad?.msats === 100_000_000 - 25_000 + 8_000, 10_000, 'the balance after receiving');
  });

  it('never pays twice when the wallet\'s answer is lost: PAYMENT_OUTCOME_UNKNOWN, and the invoice is not sent again', async () => {
    const {fixture, consumer} = await world(1500);
    fixture.setFault('pay_invoice', {kind: 'drop-reply'});
    const bill = await fixture.shopInvoice(40_000);
    const error = await failure(consumer.requestPay(bill.bolt11));
    expect(error.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    const again = await failure(consumer.requestPay(bill.bolt11));
    expect(again.code).to.equal('INVALID_ARGUMENT');
    const stats = await fixture.stats();
    expect(stats.calls.pay_invoice).to.equal(1);
    expect(stats.walletMsats).to.equal(100_000_000 - 40_000);
    // The wallet's answer, once it comes after the verdict, changes nothing.
    expect(fixture.releaseHeld()).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fixture.stats()).calls.pay_invoice).to.equal(1);
  });
});
