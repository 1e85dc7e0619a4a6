/**
 * `persist`: what the elements keep across reloads, where, and how `forget()`
 * erases it. Reloads are elements made again over the same storage, and one
 * real reload of a page in an iframe.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import type {MoneysocketError} from '../../src/core/errors.js';
import type {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import type {ProviderStack} from '../../src/core/stack/provider-stack.js';
import '../../src/elements/define/ms-beacon-input.js';
import '../../src/elements/define/ms-consumer.js';
import '../../src/elements/define/ms-provider.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import {beaconFor, makeConsumer, walletProvider} from '../core/stack/fixtures.js';
import {nextEvent, reachState, sleep, within} from './connection-helpers.js';
import {part} from './shadow-helpers.js';
import {RecordingStorage} from './storage-helpers.js';

function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: MoneysocketError) => e,
  );
}

describe('persist', function () {
  this.timeout(40000);
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let wallet: DemoLedger;
  let merchant: DemoLedger;
  const stacks: (ConsumerStack | ProviderStack)[] = [];

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    wallet = new DemoLedger({id: 'wallet', balanceMsats: 1_000_000, network});
    merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('ms-consumer, ms-provider')) await (el as MsConsumer | MsProvider).disconnect();
    fixtureCleanup();
    for (const stack of stacks.splice(0)) await stack.disconnect();
    await relay.stop();
  });

  describe('on <ms-consumer>', () => {
    let provider: ProviderStack;
    let beacon: string;

    beforeEach(async () => {
      provider = await walletProvider(wallet);
      stacks.push(provider);
      beacon = beaconFor(relay.url);
      await within(provider.connect(beacon), 10000, 'provider');
    });

    /** The app is gone from the relay: the wallet waits for the next one. */
    const walletWaits = () => until(() => provider.state === 'waiting-for-peer', 10000, 'the wallet to wait again');

    it('remembers its beacon in the storage given and connects with it when made again', async () => {
      const storage = new RecordingStorage();
      const first = await fixture<MsConsumer>(html`<ms-consumer persist .storage=${storage} beacon=${beacon}></ms-consumer>`);
      await reachState(first, 'connected');
      expect(storage.json('moneysocket-consumer:beacon')).to.deep.equal({beacon});
      first.remove();
      await walletWaits();

      const reloaded = await fixture<MsConsumer>(html`<ms-consumer persist .storage=${storage}></ms-consumer>`);
      expect(reloaded.beacon).to.equal(beacon);
      await reachState(reloaded, 'connected');
    });

    it('stores nothing without persist, and reads nothing either', async () => {
      const storage = new RecordingStorage();
      const el = await fixture<MsConsumer>(html`<ms-consumer .storage=${storage} beacon=${beacon}></ms-consumer>`);
      await reachState(el, 'connected');
      expect(storage.writes).to.deep.equal([]);
      storage.setItem('moneysocket-consumer:beacon', JSON.stringify({beacon}));
      const other = await fixture<MsConsumer>(html`<ms-consumer .storage=${storage}></ms-consumer>`);
      await sleep(100);
      expect([other.beacon, other.state]).to.deep.equal([undefined, 'disconnected']);
    });

    it('keeps elements sharing a storage apart with storage-key, and takes sessionStorage', async () => {
      const key = `persist-test-${Math.random().toString(36).slice(2)}`;
      try {
        const el = await fixture<MsConsumer>(html`<ms-consumer persist .storage=${sessionStorage} storage-key=${key} beacon=${beacon}></ms-consumer>`);
        await reachState(el, 'connected');
        expect(JSON.parse(sessionStorage.getItem(`${key}:beacon`)!)).to.deep.equal({beacon});
        const elsewhere = await fixture<MsConsumer>(html`<ms-consumer persist .storage=${sessionStorage} storage-key=${`${key}-other`}></ms-consumer>`);
        expect(elsewhere.beacon).to.equal(undefined);
      } finally {
        sessionStorage.removeItem(`${key}:beacon`);
      }
    });

    it('uses localStorage by default, and forget() disconnects, drops the beacon and erases it', async () => {
      const key = `persist-test-${Math.random().toString(36).slice(2)}`;
      try {
        const el = await fixture<MsConsumer>(html`<ms-consumer persist storage-key=${key} beacon=${beacon}></ms-consumer>`);
        await reachState(el, 'connected');
        expect(JSON.parse(localStorage.getItem(`${key}:beacon`)!)).to.deep.equal({beacon});
        const left = nextEvent(el, 'ms-disconnected');
        await el.forget();
        await left;
        expect([el.beacon, el.state, localStorage.getItem(`${key}:beacon`)]).to.deep.equal([undefined, 'disconnected', null]);
        await walletWaits();
        const reloaded = await fixture<MsConsumer>(html`<ms-consumer persist storage-key=${key}></ms-consumer>`);
        await sleep(100);
        expect([reloaded.beacon, reloaded.state]).to.deep.equal([undefined, 'disconnected']);
      } finally {
        localStorage.removeItem(`${key}:beacon`);
      }
    });

    it('erases the stored beacon when the beacon is removed, as by emptying the field that fed it', async () => {
      const storage = new RecordingStorage();
      const page = await fixture<HTMLDivElement>(html`<div>
        <ms-beacon-input for="app"></ms-beacon-input><ms-consumer id="app" persist .storage=${storage}></ms-consumer>
      </div>`);
      const input = page.querySelector('ms-beacon-input')!;
      const field = part<HTMLInputElement>(input, 'input');
      const enter = async (text: string) => {
        field.value = text;
        field.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true, composed: true}));
        await input.updateComplete;
      };
      const el = page.querySelector<MsConsumer>('ms-consumer')!;
      await enter(beacon);
      await reachState(el, 'connected');
      expect(storage.json('moneysocket-consumer:beacon')).to.deep.equal({beacon});
      await enter('');
      await reachState(el, 'disconnected');
      expect(storage.items.has('moneysocket-consumer:beacon')).to.equal(false);
    });
  });

  describe('on <ms-provider>', () => {
    let consumer: ConsumerStack;

    beforeEach(async () => {
      consumer = await makeConsumer();
      stacks.push(consumer);
    });

    async function wallet_(storage: RecordingStorage | undefined, attributes = ''): Promise<MsProvider> {
      const holder = await fixture<HTMLDivElement>(html`<div></div>`);
      holder.innerHTML = `<ms-provider relay="${relay.url}" payer payee balance-msats="1000000" ${attributes}></ms-provider>`;
      const el = holder.querySelector('ms-provider')!;
      if (storage) el.storage = storage;
      el.addEventListener('ms-pay-request', (e) => e.detail.respondWith(wallet.pay(e.detail.request.bolt11)));
      await reachState(el, 'waiting-for-peer');
      return el;
    }

    it('keeps its beacon, account uuid, budget and payment memory, so the app reconnects through the same beacon after a reload', async () => {
      const storage = new RecordingStorage();
      const first = await wallet_(storage, 'persist daily-budget-msats="5000"');
      const served = first.beacon!;
      await within(consumer.connect(served), 10000, 'the app connects');
      const account = consumer.providerInfo!.accountUuid;
      const bill = await merchant.createInvoice(3000);
      expect(await within(consumer.requestPay(bill.bolt11), 10000, 'a payment')).to.equal(bill.preimage);
      expect(storage.json('moneysocket-provider:session')).to.deep.equal({beacon: served, relay: relay.url, accountUuid: account});
      expect(storage.items.has('moneysocket-provider:ledger'), 'the stack\'s payment ledger').to.equal(true);

      // The wallet tab reloads: the element goes, and a new one is made over the same storage.
      first.remove();
      await until(() => consumer.state !== 'connected', 10000, 'the app to notice');
      const reloaded = await wallet_(storage, 'persist daily-budget-msats="5000"');
      expect(reloaded.beacon).to.equal(served);
      await until(() => consumer.state === 'connected', 15000, 'the app back through the same beacon');
      expect(consumer.providerInfo!.accountUuid).to.equal(account);

      // The budget's window came back with it.
      const over = await failure(consumer.requestPay((await merchant.createInvoice(2001)).bolt11));
      expect(over.message).to.equal('the provider refused: the payment would go over the wallet\'s daily budget');
      expect(await within(consumer.requestPay((await merchant.createInvoice(2000)).bolt11), 10000, 'up to the budget')).to.match(/^[0-9a-f]{64}$/);

      // And so did the stack's memory: another app asking for the paid invoice gets its preimage, paid once.
      await consumer.disconnect();
      const other = await makeConsumer();
      stacks.push(other);
      await until(() => reloaded.state === 'waiting-for-peer', 10000, 'the wallet to wait again');
      await within(other.connect(served), 10000, 'another app');
      const balance = wallet.balanceMsats;
      expect(await within(other.requestPay(bill.bolt11), 10000, 'the paid invoice again')).to.equal(bill.preimage);
      expect(wallet.balanceMsats).to.equal(balance);
    });

    it('keeps a beacon the page gave, too', async () => {
      const storage = new RecordingStorage();
      const given = beaconFor(relay.url);
      const first = await wallet_(storage, `persist beacon="${given}"`);
      expect(first.beacon).to.equal(given);
      expect((storage.json('moneysocket-provider:session') as {relay?: string}).relay).to.equal(undefined);
      first.remove();
      await sleep(50);
      const reloaded = await wallet_(storage, 'persist');
      expect(reloaded.beacon).to.equal(given);
    });

    it('stores nothing without persist', async () => {
      const storage = new RecordingStorage();
      const el = await wallet_(storage, 'daily-budget-msats="5000"');
      await within(consumer.connect(el.beacon!), 10000, 'the app connects');
      await within(consumer.requestPay((await merchant.createInvoice(1000)).bolt11), 10000, 'a payment');
      expect(storage.writes).to.deep.equal([]);
    });

    it('keeps what it already serves when persist is set later', async () => {
      const storage = new RecordingStorage();
      const el = await wallet_(storage);
      const served = el.beacon;
      expect(storage.writes).to.deep.equal([]);
      el.persist = true;
      await el.updateComplete;
      expect(storage.json('moneysocket-provider:session')).to.include({beacon: served, relay: relay.url});
      expect(el.beacon).to.equal(served);
    });

    it('keeps providers sharing a storage apart with storage-key', async () => {
      const storage = new RecordingStorage();
      const a = await wallet_(storage, 'persist storage-key="wallet-a"');
      const b = await wallet_(storage, 'persist storage-key="wallet-b"');
      expect(a.beacon).to.not.equal(b.beacon);
      const [beaconA, beaconB] = [a.beacon, b.beacon];
      a.remove();
      b.remove();
      await sleep(50);
      expect((await wallet_(storage, 'persist storage-key="wallet-b"')).beacon).to.equal(beaconB);
      expect((await wallet_(storage, 'persist storage-key="wallet-a"')).beacon).to.equal(beaconA);
    });

    it('forget() erases the beacon, account and budget, keeps the payment memory, and serves a new beacon', async () => {
      const storage = new RecordingStorage();
      const el = await wallet_(storage, 'persist daily-budget-msats="5000"');
      const old = el.beacon!;
      await within(consumer.connect(old), 10000, 'the app connects');
      const account = consumer.providerInfo!.accountUuid;
      await within(consumer.requestPay((await merchant.createInvoice(4000)).bolt11), 10000, 'a payment');
      expect(storage.json('moneysocket-provider:budget')).to.have.length(1);

      const next = nextEvent(el, 'ms-beacon');
      await el.forget();
      const fresh = (await next).detail.beacon;
      expect(fresh).to.not.equal(old);
      expect(el.beacon).to.equal(fresh);
      await reachState(el, 'waiting-for-peer');
      const session = storage.json('moneysocket-provider:session') as {beacon: string; accountUuid: string};
      expect(session.beacon, 'persist is still set: the new beacon is kept in turn').to.equal(fresh);
      expect(session.accountUuid).to.not.equal(account);
      expect(storage.json('moneysocket-provider:budget') ?? []).to.deep.equal([]);
      expect(storage.items.has('moneysocket-provider:ledger')).to.equal(true);

      await consumer.disconnect();
      await within(consumer.connect(fresh), 10000, 'the app, through the new beacon');
      expect(consumer.providerInfo!.accountUuid).to.not.equal(account);
      expect(await within(consumer.requestPay((await merchant.createInvoice(4000)).bolt11), 10000, 'a fresh budget')).to.match(/^[0-9a-f]{64}$/);
    });
  });

  describe('across a real page reload', () => {
    const key = `reload-test-${Math.random().toString(36).slice(2)}`;

    afterEach(() => {
      for (const name of ['session', 'budget', 'ledger', 'replay', 'outbox', 'beacon']) localStorage.removeItem(`${key}:${name}`);
      for (const frame of document.querySelectorAll('iframe')) frame.remove();
    });

    async function load(frame: HTMLIFrameElement, reload: () => void, tag: 'ms-provider' | 'ms-consumer'): Promise<MsProvider & MsConsumer> {
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
      reload();
      await within(loaded, 15000, 'the page to load');
      let el: (MsProvider & MsConsumer) | null = null;
      // Upgraded (it has a state) and already on its way with what it kept.
      const started = () => (el = frame.contentDocument?.querySelector(tag) as (MsProvider & MsConsumer) | null) !== null && el.state !== undefined && el.state !== 'disconnected';
      await until(started, 15000, `${tag} to start`);
      return el!;
    }

    it('a reloaded wallet tab serves the app through the same beacon, and a reloaded app tab reconnects', async () => {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const page = `/test/elements/fixtures/reload.html?key=${key}&relay=${encodeURIComponent(relay.url)}`;
      const first = await load(frame, () => (frame.src = page), 'ms-provider');
      await until(() => first.state === 'waiting-for-peer', 15000, 'the wallet waiting');
      const served = first.beacon!;
      const consumer = await makeConsumer();
      stacks.push(consumer);
      await within(consumer.connect(served), 10000, 'the app connects');
      const account = consumer.providerInfo!.accountUuid;

      const again = await load(frame, () => frame.contentWindow!.location.reload(), 'ms-provider');
      expect(again).to.not.equal(first);
      expect(again.beacon).to.equal(served);
      await until(() => consumer.state === 'connected' && again.state === 'connected', 15000, 'the app back through the same beacon');
      expect(consumer.providerInfo!.accountUuid).to.equal(account);

      // The app's side: a page whose consumer remembers the beacon.
      await consumer.disconnect();
      const app = document.createElement('iframe');
      document.body.append(app);
      const appPage = `/test/elements/fixtures/reload.html?key=${key}`;
      localStorage.setItem(`${key}:beacon`, JSON.stringify({beacon: served}));
      const appEl = await load(app, () => (app.src = appPage), 'ms-consumer');
      await until(() => appEl.state === 'connected', 15000, 'the app page connected');
      const appAgain = await load(app, () => app.contentWindow!.location.reload(), 'ms-consumer');
      expect(appAgain.beacon).to.equal(served);
      await until(() => appAgain.state === 'connected', 15000, 'the reloaded app page connected');
    });
  });
});
