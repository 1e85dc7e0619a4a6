/**
 * What `<ms-consumer>` does when things go wrong, where the person using the
 * app can see it: a wallet that does not come, a beacon in use, a beacon
 * entered again after a disconnect, and a network that comes back.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import type {ProviderStack} from '../../src/core/stack/provider-stack.js';
import '../../src/elements/define/ms-beacon-input.js';
import '../../src/elements/define/ms-consumer.js';
import '../../src/elements/define/ms-provider.js';
import type {MsBeaconInput} from '../../src/elements/ms-beacon-input.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import {beaconFor, makeConsumer, walletProvider} from '../core/stack/fixtures.js';
import {nextEvent, reachState, record, sleep, within} from './connection-helpers.js';
import {part, shownIn} from './shadow-helpers.js';

/** Backoff so long that only reconnectNow() can bring the connection back within a test. */
const LONG_BACKOFF = {backoff: {initialMs: 600_000, maxMs: 600_000}};

async function pasteInto(el: MsBeaconInput, text: string): Promise<void> {
  const input = part<HTMLInputElement>(el, 'input');
  input.value = text;
  input.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true, composed: true}));
  await el.updateComplete;
}

describe('<ms-consumer> when things go wrong', function () {
  this.timeout(40000);
  let relay: TestRelay;
  let provider: ProviderStack;
  let beacon: string;
  const stacks: {disconnect(): Promise<void>}[] = [];

  beforeEach(async () => {
    relay = await startTestRelay();
    provider = await walletProvider(new DemoLedger({id: 'wallet', balanceMsats: 1_000_000, network: new InMemoryDemoNetwork()}));
    stacks.push(provider);
    beacon = beaconFor(relay.url);
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('ms-consumer, ms-provider')) await (el as MsConsumer | MsProvider).disconnect();
    fixtureCleanup();
    for (const stack of stacks.splice(0)) await stack.disconnect();
    await relay.stop();
  });

  it('says so when the wallet does not come to the relay, inside itself and with ms-error PROVIDER_ABSENT, and keeps waiting', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer absent-after-ms="300"></ms-consumer>`);
    const errors = record(el, ['ms-error']);
    const absent = nextEvent(el, 'ms-error');
    el.beacon = beacon;
    const event = await absent;
    expect(event.detail.code).to.equal('PROVIDER_ABSENT');
    expect(event.detail.message).to.match(/still waiting/);
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(el.getAttribute('error')).to.equal('PROVIDER_ABSENT');
    expect(el.lastError?.code).to.equal('PROVIDER_ABSENT');
    expect(part(el, 'error').getAttribute('role')).to.equal('alert');
    expect(shownIn(el, 'error')).to.equal('The wallet is not answering. Is its page still open? Still waiting for it…');
    await sleep(600);
    expect(el.state).to.equal('waiting-for-peer');
    expect(errors.map((e) => e.detail.code)).to.deep.equal(['PROVIDER_ABSENT']); // once per absence

    await within(provider.connect(beacon), 10000, 'the wallet comes');
    await reachState(el, 'connected');
    await el.updateComplete;
    expect(el.hasAttribute('error')).to.equal(false);
    expect(el.lastError).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
  });

  it('waits 30 s by default before saying the wallet is absent, and never with absent-after-ms="0"', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    expect(el.absentAfterMs).to.equal(30_000);
    el.setAttribute('absent-after-ms', '0');
    const errors = record(el, ['ms-error']);
    el.beacon = beacon;
    await reachState(el, 'waiting-for-peer');
    await sleep(500);
    expect(errors).to.have.length(0);
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('shows a beacon already in use (RENDEZVOUS_IN_USE) inside itself, in a slot a page can fill, until it connects again', async () => {
    await within(provider.connect(beacon), 10000, 'provider');
    const other = await makeConsumer();
    stacks.push(other);
    await within(other.connect(beacon), 10000, 'the first app');
    const el = await fixture<MsConsumer>(html`<ms-consumer><span slot="error-RENDEZVOUS_IN_USE">Balise déjà utilisée</span></ms-consumer>`);
    const error = nextEvent(el, 'ms-error');
    el.beacon = beacon;
    expect((await error).detail.code).to.equal('RENDEZVOUS_IN_USE');
    await el.updateComplete;
    expect(el.getAttribute('error')).to.equal('RENDEZVOUS_IN_USE');
    expect(shownIn(el, 'error')).to.equal('Balise déjà utilisée');
    el.querySelector('span')!.remove();
    await el.updateComplete;
    expect(shownIn(el, 'error')).to.equal('This beacon is already in use by another app. Ask the wallet for a new beacon.');
    await expect(el).to.be.accessible();

    await other.disconnect();
    await until(() => provider.state === 'waiting-for-peer', 10000, 'the wallet to wait again');
    await within(el.connect(), 10000, 'connect again');
    await el.updateComplete;
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('clears an error shown while connected once a request succeeds', async () => {
    await within(provider.connect(beacon), 10000, 'provider');
    const extension = {enable: () => Promise.resolve()} as unknown as NonNullable<typeof window.webln>;
    window.webln = extension; // a WebLN extension got there first
    try {
      const el = await fixture<MsConsumer>(html`<ms-consumer beacon=${beacon}></ms-consumer>`);
      await reachState(el, 'connected');
      const error = nextEvent(el, 'ms-error');
      el.installWebln = true;
      expect((await error).detail.code).to.equal('WEBLN_PROVIDER_EXISTS');
      await el.updateComplete;
      expect(el.getAttribute('error')).to.equal('WEBLN_PROVIDER_EXISTS');
      await within(el.ping(), 10000, 'a ping');
      await el.updateComplete;
      expect(el.hasAttribute('error')).to.equal(false);
      expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
    } finally {
      if (window.webln === extension) delete window.webln;
    }
  });

  it('shows a Lightning invoice given as its beacon as BEACON_IS_INVOICE', async () => {
    const {bolt11} = await new DemoLedger({id: 'shop', balanceMsats: 0, network: new InMemoryDemoNetwork()}).createInvoice(1000);
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    const error = nextEvent(el, 'ms-error');
    el.beacon = bolt11;
    expect((await error).detail).to.deep.equal({code: 'BEACON_IS_INVOICE', message: 'this is a Lightning invoice, not a beacon (a beacon starts with moneysocket1)'});
    await el.updateComplete;
    expect(el.getAttribute('error')).to.equal('BEACON_IS_INVOICE');
    expect(shownIn(el, 'error')).to.match(/^This is a Lightning invoice, not a beacon\./);
    expect(el.state).to.equal('disconnected');
  });

  it('reconnects when the same beacon is given again after disconnect() or forget(), and through <ms-beacon-input>', async () => {
    await within(provider.connect(beacon), 10000, 'provider');
    const page = await fixture<HTMLDivElement>(html`<div><ms-beacon-input for="app"></ms-beacon-input><ms-consumer id="app"></ms-consumer></div>`);
    const input = page.querySelector('ms-beacon-input')!;
    const el = page.querySelector('ms-consumer')!;
    const backToWaiting = () => until(() => provider.state === 'waiting-for-peer', 10000, 'the wallet to wait again');

    await pasteInto(input, beacon);
    await reachState(el, 'connected');
    await el.disconnect();
    await backToWaiting();
    el.beacon = beacon; // the same, assigned again
    await reachState(el, 'connected');

    await el.disconnect();
    await backToWaiting();
    const input_ = part<HTMLInputElement>(input, 'input');
    input_.focus();
    input_.value = `${beacon} `; // typed: the same beacon, and the app is disconnected
    input_.dispatchEvent(new InputEvent('input', {inputType: 'insertText', data: ' ', bubbles: true, composed: true}));
    await reachState(el, 'connected');

    await el.forget();
    expect(el.beacon).to.equal(undefined);
    await backToWaiting();
    await pasteInto(input, beacon);
    await reachState(el, 'connected');
  });

  it('disconnects the element a beacon field feeds when the field is emptied', async () => {
    await within(provider.connect(beacon), 10000, 'provider');
    const page = await fixture<HTMLDivElement>(html`<div><ms-beacon-input for="app"></ms-beacon-input><ms-consumer id="app"></ms-consumer></div>`);
    const input = page.querySelector('ms-beacon-input')!;
    const el = page.querySelector('ms-consumer')!;
    await pasteInto(input, beacon);
    await reachState(el, 'connected');
    const left = nextEvent(el, 'ms-disconnected');
    await pasteInto(input, '');
    await left;
    expect(el.beacon).to.equal(undefined);
    expect(el.state).to.equal('disconnected');
  });

  describe('a network that comes back', () => {
    /** A connected element whose relay died, now waiting out a backoff of minutes with the relay back. */
    async function inLongBackoff(): Promise<MsConsumer> {
      await within(provider.connect(beacon), 10000, 'provider');
      const el = await fixture<MsConsumer>(html`<ms-consumer .stackOptions=${LONG_BACKOFF} beacon=${beacon}></ms-consumer>`);
      await reachState(el, 'connected');
      expect(el.stack.reconnectNow(), 'nothing to do while connected').to.equal(false);
      const failed = new Promise<void>((resolve) => el.addEventListener('ms-error', (e) => e.detail.code === 'CONNECTION_FAILED' && resolve()));
      await relay.kill();
      await within(failed, 10000, 'the quick retry to fail');
      await reachState(el, 'reconnecting');
      await relay.restart();
      await until(() => provider.state === 'waiting-for-peer', 10000, 'the wallet back at the relay');
      await sleep(300);
      expect(el.state, 'still waiting out the backoff').to.equal('reconnecting');
      return el;
    }

    it('dials at once on the browser\'s online event', async () => {
      const el = await inLongBackoff();
      window.dispatchEvent(new Event('online'));
      await reachState(el, 'connected');
    });

    it('dials at once when the tab is shown again (visibilitychange)', async () => {
      const el = await inLongBackoff();
      expect(document.visibilityState).to.equal('visible');
      document.dispatchEvent(new Event('visibilitychange'));
      await reachState(el, 'connected');
    });

    it('brings <ms-provider> back at once too', async () => {
      const el = await fixture<MsProvider>(html`<ms-provider .stackOptions=${LONG_BACKOFF} relay=${relay.url}></ms-provider>`);
      await reachState(el, 'waiting-for-peer');
      const failed = new Promise<void>((resolve) => el.addEventListener('ms-error', (e) => e.detail.code === 'CONNECTION_FAILED' && resolve()));
      await relay.kill();
      await within(failed, 10000, 'the quick retry to fail');
      await relay.restart();
      await sleep(300);
      expect(el.state, 'still waiting out the backoff').to.equal('reconnecting');
      window.dispatchEvent(new Event('online'));
      await reachState(el, 'waiting-for-peer');
    });

    it('reconnectNow() on the stack dials at once, and only when reconnecting', async () => {
      const el = await inLongBackoff();
      expect(el.stack.reconnectNow()).to.equal(true);
      expect(el.state).to.equal('connecting');
      expect(el.stack.reconnectNow()).to.equal(false);
      await reachState(el, 'connected');
      await el.disconnect();
      expect(el.stack.reconnectNow(), 'nothing to do once disconnected').to.equal(false);
    });
  });

  it('fires ms-location on both elements when a beacon\'s first relay cannot be reached, and connects through the next', async () => {
    const dead = await startTestRelay();
    await dead.stop();
    const wallet = await fixture<MsProvider>(html`<ms-provider relay="${dead.url} ${relay.url}" payer payee balance-msats="5000"></ms-provider>`);
    const walletMoves = record(wallet, ['ms-location']);
    await until(() => walletMoves.length > 0, 20000, 'the wallet to move on');
    await reachState(wallet, 'waiting-for-peer', 20000);
    const app = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    const appMoves = record(app, ['ms-location']);
    app.beacon = wallet.beacon;
    await reachState(app, 'connected', 20000);
    for (const moves of [walletMoves, appMoves]) {
      expect(moves.map((e) => e.detail)).to.deep.equal([{url: relay.url, previous: dead.url, reason: 'unreachable'}]);
      expect(moves[0]!.bubbles && moves[0]!.composed).to.equal(true);
    }
  });
});
