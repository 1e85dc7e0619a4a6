// Survivors of the mutation run over provider-stack.ts (issue 12): each test
// fails with the mutants it names and passes without them. Everything runs
// over the in-memory relay: no network, no relay process.
import {expect} from 'chai';
import {decodeBeacon} from '../../../src/core/beacon.js';
import {decodeBolt11} from '../../../src/core/bolt11.js';
import {decodeFrame} from '../../../src/core/frame.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {isNotification} from '../../../src/core/message-types.js';
import {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack, type ProviderStackOptions} from '../../../src/core/stack/provider-stack.js';
import type {WalletBackend, WalletEvent} from '../../../src/core/stack/wallet-backend.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';
import {MemoryRelay} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {beaconFor} from './fixtures.js';
import {settle, signedInvoice, track} from './memory-world.js';

/** A wallet backend that counts what it is asked and reports what the test sets. */
function countingBackend(balance: () => Promise<{msats: number}>) {
  const calls = {subscribe: 0, unsubscribe: 0, getBalance: 0};
  let listener: ((event: WalletEvent) => void) | undefined;
  const backend: WalletBackend = {
    makeInvoice: () => Promise.reject(new Error('not in this test')),
    payInvoice: () => Promise.reject(new Error('not in this test')),
    getBalance: () => {
      calls.getBalance++;
      return balance();
    },
    subscribe: (l) => {
      calls.subscribe++;
      listener = l;
      return () => {
        calls.unsubscribe++;
        listener = undefined;
      };
    },
  };
  return {backend, calls, emit: (event: WalletEvent) => listener?.(event)};
}

function errorsOf(stack: {on(type: 'error', listener: (detail: {error: MoneysocketError}) => void): () => void}): MoneysocketError[] {
  const errors: MoneysocketError[] = [];
  stack.on('error', ({error}) => errors.push(error));
  return errors;
}

const info = (msats: number) => ({payer: true, payee: true, wad: bitcoinWad(msats)});

describe('provider-stack survivors, killed', function () {
  this.timeout(10000);
  const stacks: {disconnect(): Promise<void>}[] = [];
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.disconnect();
  });

  /** A provider and a consumer paired through an in-memory relay. */
  async function pair(options: ProviderStackOptions) {
    const relay = new MemoryRelay();
    const beacon = beaconFor('ws://127.0.0.1:1');
    const provider = new ProviderStack({webSocket: relay.socketFactory, ...options});
    const consumer = new ConsumerStack({webSocket: relay.socketFactory});
    stacks.push(consumer, provider);
    const consumerErrors = errorsOf(consumer);
    await provider.connect(beacon);
    await consumer.connect(beacon);
    await until(() => provider.state === 'connected' && consumer.state === 'connected', 5000, 'the handshake');
    return {relay, beacon, provider, consumer, consumerErrors};
  }

  // provider-stack.ts:117 (`backend === this.#backend` → false)
  it('assigning the wallet it already serves asks nothing more of it: no second subscription, no second balance read', async () => {
    const {backend, calls} = countingBackend(() => Promise.resolve({msats: 1000}));
    const provider = new ProviderStack({backend});
    await settle();
    provider.backend = backend;
    await settle();
    expect(calls).to.deep.equal({subscribe: 1, unsubscribe: 0, getBalance: 1});
    expect(provider.providerInfo?.wad.msats).to.equal(1000);
  });

  // provider-stack.ts:130 and :141 (the refusal texts → "")
  it('a handler that hands over to the backend when there is none refuses, saying what the wallet does not do', async () => {
    const {provider, consumer} = await pair({providerInfo: info(50_000)});
    provider.handleInvoiceRequest = (request) => provider.invoiceFromBackend(request);
    provider.handlePayRequest = (request) => provider.payFromBackend(request);
    const invoice = await consumer.requestInvoice(1000).then(() => undefined, (e: MoneysocketError) => e);
    expect([invoice?.code, invoice?.message]).to.deep.equal(['REQUEST_REFUSED', 'the provider refused: this wallet does not make invoices']);
    const pay = await consumer.requestPay(signedInvoice({msats: 2000}).bolt11).then(() => undefined, (e: MoneysocketError) => e);
    expect([pay?.code, pay?.message]).to.deep.equal(['REQUEST_REFUSED', 'the provider refused: this wallet does not pay invoices']);
  });

  // provider-stack.ts:155 (`backend === this.#backend` → true, `&&` → `||`, the whole condition → true)
  it('a balance read from a wallet swapped out meanwhile is not shown', async () => {
    let answerOld: (value: {msats: number}) => void = () => undefined;
    const old = countingBackend(() => new Promise((resolve) => (answerOld = resolve)));
    const provider = new ProviderStack({backend: old.backend});
    await settle();
    provider.backend = countingBackend(() => Promise.resolve({msats: 2000})).backend;
    await settle();
    expect(provider.providerInfo?.wad.msats).to.equal(2000);
    answerOld({msats: 9_999_000});
    await settle();
    expect(provider.providerInfo?.wad.msats).to.equal(2000);
  });

  it('a balance read from a wallet removed meanwhile is not shown', async () => {
    let answerOld: (value: {msats: number}) => void = () => undefined;
    const old = countingBackend(() => new Promise((resolve) => (answerOld = resolve)));
    const provider = new ProviderStack({providerInfo: info(300), backend: old.backend});
    await settle();
    provider.backend = undefined;
    answerOld({msats: 9_999_000});
    await settle();
    expect(provider.providerInfo?.wad.msats).to.equal(300);
    expect(old.calls.unsubscribe).to.equal(1);
  });

  // provider-stack.ts:156 (the catch block → {}) and :157 (its message → ``)
  it('a wallet that cannot tell its balance is reported, with the wallet\'s reason', async () => {
    const provider = new ProviderStack({providerInfo: info(700)});
    const errors = errorsOf(provider);
    provider.backend = countingBackend(() => Promise.reject(new Error('node offline'))).backend;
    await settle();
    expect(errors.map((e) => [e.code, e.message])).to.deep.equal([['REQUEST_FAILED', 'could not read the wallet\'s balance: node offline']]);
    expect(provider.providerInfo?.wad.msats).to.equal(700);
  });

  // provider-stack.ts:167 (the wad check → {})
  it('setProviderInfo refuses a wad py-moneysocket would reject, and keeps what consumers are told', () => {
    const provider = new ProviderStack({providerInfo: info(1000)});
    const set = provider.setProviderInfo({payer: true, payee: false, wad: {...bitcoinWad(1), msats: 1.5, asset_units: 1.5}});
    expect(set.ok).to.equal(false);
    if (!set.ok) expect([set.error.code, set.error.message]).to.deep.equal(['WAD_INVALID', 'wad msats 1.5 is not a whole number below 1e21; py-moneysocket rejects it']);
    expect(provider.providerInfo).to.deep.equal(info(1000));
    expect(provider.setProviderInfo(null).ok).to.equal(true);
    expect(provider.providerInfo).to.equal(null);
  });

  // provider-stack.ts:182 (the check → false, `^` or `$` dropped, the block → {}) and :183 (its message → "")
  it('notifyInvoicePaid takes only a preimage of exactly 64 lower-case hex characters', () => {
    const provider = new ProviderStack({providerInfo: info(1000)});
    const hex = 'ab'.repeat(32);
    for (const bad of [`0${hex}`, `${hex}0`, hex.toUpperCase(), hex.slice(1), `${hex.slice(1)}g`, '']) {
      const told = provider.notifyInvoicePaid(bad);
      expect(told.ok, bad).to.equal(false);
      if (!told.ok) expect([told.error.code, told.error.message]).to.deep.equal(['INVALID_ARGUMENT', 'a preimage is 64 lower-case hex characters']);
    }
    expect(provider.notifyInvoicePaid(hex).ok).to.equal(true);
  });

  // provider-stack.ts:195 (`msats < 0` → false, → `msats <= 0`)
  it('shows a wallet balance of zero, and ignores a negative one without an error', async () => {
    const balances = [0, -1];
    const {backend, emit} = countingBackend(() => Promise.resolve({msats: balances.shift() ?? 0}));
    const provider = new ProviderStack({providerInfo: info(5000)});
    const errors = errorsOf(provider);
    provider.backend = backend;
    await settle();
    expect(provider.providerInfo?.wad.msats).to.equal(0);
    emit({type: 'balance-changed', msats: 4000});
    expect(provider.providerInfo?.wad.msats).to.equal(4000);
    expect(() => emit({type: 'balance-changed', msats: -1})).not.to.throw();
    void provider.refreshBalance(); // reads -1
    await settle();
    expect(provider.providerInfo?.wad.msats).to.equal(4000);
    expect(errors).to.deep.equal([]);
  });

  // provider-stack.ts:206 (`this.#madeInvoices.delete(…)` → true)
  it('a payment to a wallet invoice the consumer did not ask for is not told to it: its preimage never leaves', async () => {
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'wallet', balanceMsats: 50_000, network});
    network.listen('wallet', (i) => wallet.credit(i.msats));
    let listener: ((event: WalletEvent) => void) | undefined;
    const backend: WalletBackend = {
      makeInvoice: async ({msats}) => ({bolt11: (await wallet.createInvoice(msats)).bolt11}),
      payInvoice: () => Promise.reject(new Error('not in this test')),
      subscribe: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const {relay, beacon, consumer, consumerErrors} = await pair({backend});
    const received: string[] = [];
    consumer.on('payment-received', ({bolt11}) => received.push(bolt11));

    const elsewhere = await wallet.createInvoice(1); // another app's invoice of the same wallet
    const other = await network.settle(elsewhere.bolt11, 'shop');
    listener?.({type: 'payment-received', paymentHash: elsewhere.paymentHash, preimage: other.preimage});
    const ours = await consumer.requestInvoice(3000);
    const paid = await network.settle(ours, 'shop');
    const paymentHash = decodedHash(ours);
    listener?.({type: 'payment-received', paymentHash, preimage: paid.preimage.toUpperCase()});
    await until(() => received.length === 1, 5000, 'payment received');
    await settle();

    expect(received).to.deep.equal([ours]);
    expect(consumerErrors).to.deep.equal([]);
    expect(preimagesSent(relay, beacon)).to.deep.equal([paid.preimage]);
  });

  // provider-stack.ts:214 (`state === 'connected'` → false)
  it('connect() again with the same beacon while a consumer is connected resolves at once', async () => {
    const {provider, beacon} = await pair({providerInfo: info(1000)});
    const again = track(provider.connect(beacon));
    await settle();
    expect(again).to.deep.equal({settled: true, value: undefined});
    expect(provider.state).to.equal('connected');
  });
});

function decodedHash(bolt11: string): string {
  const decoded = decodeBolt11(bolt11);
  if (!decoded.ok) throw decoded.error;
  return decoded.value.paymentHash;
}

/** Every preimage any client sent in a NOTIFY_PREIMAGE, decrypted with the beacon's seed. */
function preimagesSent(relay: MemoryRelay, beacon: string): string[] {
  const decoded = decodeBeacon(beacon);
  if (!decoded.ok) throw decoded.error;
  const preimages: string[] = [];
  for (const {frame} of relay.sent) {
    const message = decodeFrame(frame, decoded.value.sharedSeed);
    if (message.ok && isNotification(message.value, 'NOTIFY_PREIMAGE')) preimages.push(message.value.preimage);
  }
  return preimages;
}
