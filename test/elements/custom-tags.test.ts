/**
 * A page that registers the classes under tag names of its own, in the
 * global registry or a scoped one (native in this Chromium). Nothing here imports a
 * define module first (web-test-runner gives each test file its own page):
 * the elements render, find each other through `for=` by id, and a wallet
 * and an app connect through a real relay process.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import type {MsBeaconDisplay} from '../../src/elements/ms-beacon-display.js';
import type {MsBeaconInput} from '../../src/elements/ms-beacon-input.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {decodeBolt11} from '../../src/core/bolt11.js';
import {unwrap} from '../../src/core/errors.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import {nextEvent, reachState, within} from './connection-helpers.js';
import {registryOf} from '../../src/elements/internal/target.js';
import {part, shownIn} from './shadow-helpers.js';

type Classes = typeof import('../../src/elements/index.js');

const MS_TAGS = ['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display', 'ms-payment'];

describe('the elements under tag names the page chooses', function () {
  this.timeout(40000);
  let classes: Classes;
  let relay: TestRelay;

  before(async () => {
    classes = await import('../../src/elements/index.js');
    customElements.define('my-wallet', classes.MsConsumer);
    customElements.define('my-wallet-server', classes.MsProvider);
    customElements.define('my-beacon-field', classes.MsBeaconInput);
    customElements.define('my-beacon-qr', classes.MsBeaconDisplay);
    relay = await startTestRelay();
  });

  after(async () => {
    for (const el of document.querySelectorAll<MsConsumer | MsProvider>('my-wallet, my-wallet-server')) await el.disconnect();
    fixtureCleanup();
    await relay.stop();
  });

  it('leaves the ms- names undefined', () => {
    expect(MS_TAGS.filter((tag) => customElements.get(tag) !== undefined)).to.deep.equal([]);
  });

  it('renders, follows for= targets by id, and connects an app to a wallet through a real relay', async () => {
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'wallet', balanceMsats: 250_000, network});
    const page = await fixture<HTMLDivElement>(html`<div>
      <my-wallet-server id="wallet" payer payee balance-msats="250000"></my-wallet-server>
      <my-beacon-qr for="wallet"></my-beacon-qr>
      <my-beacon-field for="app"></my-beacon-field>
      <my-wallet id="app"></my-wallet>
    </div>`);
    const provider = page.querySelector<MsProvider>('my-wallet-server')!;
    const display = page.querySelector<MsBeaconDisplay>('my-beacon-qr')!;
    const field = page.querySelector<MsBeaconInput>('my-beacon-field')!;
    const app = page.querySelector<MsConsumer>('my-wallet')!;
    expect(provider).to.be.instanceOf(classes.MsProvider);
    expect(display).to.be.instanceOf(classes.MsBeaconDisplay);
    expect(field).to.be.instanceOf(classes.MsBeaconInput);
    expect(app).to.be.instanceOf(classes.MsConsumer);
    expect(shownIn(app, 'label')).to.equal('Moneysocket wallet');
    provider.addEventListener('ms-invoice-request', (e) => {
      e.detail.respondWith(wallet.createInvoice(e.detail.request.msats).then((invoice) => invoice.bolt11));
    });

    // The wallet generates a beacon; the display finds it through for="wallet" and shows it.
    const served = nextEvent(provider, 'ms-beacon');
    provider.relay = relay.url;
    const {detail} = await served;
    await reachState(provider, 'waiting-for-peer');
    await until(() => display.beacon === detail.beacon, 5000, 'the display to follow the wallet');
    await display.updateComplete;
    expect(shownIn(display, 'text')).to.equal(detail.beacon);
    expect(part(display, 'qr').querySelector('svg')).to.not.equal(null);

    // The beacon pasted into the field reaches the app through for="app"; the app connects.
    const input = part<HTMLInputElement>(field, 'input');
    input.value = detail.beacon;
    input.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true, composed: true}));
    expect(app.beacon).to.equal(detail.beacon);
    await reachState(app, 'connected');
    await reachState(provider, 'connected');
    await until(() => app.providerInfo?.wad?.msats === 250_000, 5000, 'the balance');
    await app.updateComplete;
    expect(app.getAttribute('state')).to.equal('connected');
    expect(shownIn(app, 'state')).to.equal('Connected');
    expect(shownIn(app, 'balance')).to.include('250 sats');

    const bolt11 = await within(app.requestInvoice(3000), 10000, 'an invoice');
    expect(unwrap(decodeBolt11(bolt11)).msats).to.equal(3000n);
  });

  it('works in a scoped registry, with for= looked up inside the shadow root', async () => {
    const registry = new CustomElementRegistry();
    registry.define('shop-wallet', classes.MsProvider);
    registry.define('shop-beacon', classes.MsBeaconDisplay);
    registry.define('shop-app', classes.MsConsumer);
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({mode: 'open', customElementRegistry: registry});
    root.innerHTML = `<shop-wallet id="w" payer balance-msats="1000"></shop-wallet>
      <shop-beacon for="w"></shop-beacon><shop-app></shop-app>`;
    const provider = root.querySelector<MsProvider>('shop-wallet')!;
    const display = root.querySelector<MsBeaconDisplay>('shop-beacon')!;
    const app = root.querySelector<MsConsumer>('shop-app')!;
    expect(customElements.get('shop-wallet'), 'not in the global registry').to.equal(undefined);
    expect(registryOf(provider), 'the registry <shop-beacon> waits on').to.equal(registry);
    expect(app).to.be.instanceOf(classes.MsConsumer);
    try {
      provider.relay = relay.url;
      await reachState(provider, 'waiting-for-peer');
      await until(() => display.beacon === provider.beacon, 5000, 'the display to follow the wallet in the same root');
      await within(app.connect(provider.beacon!), 10000, 'connect');
      await reachState(provider, 'connected');
      expect(app.providerInfo?.wad?.msats).to.equal(1000);
    } finally {
      await app.disconnect();
      await provider.disconnect();
    }
  });

  it('still registers the ms- names when a define module is imported afterwards', async () => {
    await import('../../src/elements/define/index.js');
    for (const tag of MS_TAGS) expect(customElements.get(tag), tag).to.not.equal(undefined);
    // Each class already has the page's tag, so the ms- tag gets a subclass of it: both work.
    expect(customElements.get('my-wallet')).to.equal(classes.MsConsumer);
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    expect(el).to.be.instanceOf(classes.MsConsumer);
    await el.updateComplete;
    expect(shownIn(el, 'state')).to.equal('Not connected');
  });
});
