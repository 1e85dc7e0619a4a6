import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import type {MoneysocketError} from '../../src/core/errors.js';
import type {ProviderStack} from '../../src/core/stack/provider-stack.js';
import type {SocketFactory} from '../../src/core/stack/socket.js';
import {bitcoinWad} from '../../src/core/wad.js';
import '../../src/elements/define/ms-consumer.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {startTestRelay, type TestRelay} from '../support/relay.js';
import {beaconFor, walletProvider} from '../core/stack/fixtures.js';
import {nextEvent, reachState, record, sleep, slotText, within} from './connection-helpers.js';

const STATES = ['disconnected', 'connecting', 'waiting-for-peer', 'handshaking', 'connected', 'reconnecting'] as const;

function shadow(el: MsConsumer): ShadowRoot {
  return el.shadowRoot!;
}

describe('<ms-consumer> without a connection', () => {
  it('starts disconnected, reflects the state attribute and renders every part', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    expect(el).to.be.instanceOf(customElements.get('ms-consumer')!);
    expect(el.state).to.equal('disconnected');
    expect(el.getAttribute('state')).to.equal('disconnected');
    expect(el.providerInfo).to.equal(undefined);
    for (const part of ['base', 'label', 'state', 'balance', 'permissions', 'payer', 'payee']) {
      expect(shadow(el).querySelector(`[part~="${part}"]`), part).to.not.equal(null);
    }
    const region = shadow(el).querySelector('[part="state"]')!;
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.getAttribute('aria-live')).to.equal('polite');
  });

  it('shows default texts', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    expect(slotText(shadow(el), 'label')).to.equal('Moneysocket wallet');
    expect(slotText(shadow(el), 'state-disconnected')).to.equal('Not connected');
    expect(slotText(shadow(el), 'balance-label')).to.equal('Balance');
    expect(slotText(shadow(el), 'no-balance')).to.equal('—');
    expect(slotText(shadow(el), 'payer-label')).to.equal('Can pay');
    expect(slotText(shadow(el), 'payee-label')).to.equal('Can receive');
    expect(slotText(shadow(el), 'payer-no')).to.equal('No');
    expect(slotText(shadow(el), 'payee-no')).to.equal('No');
  });

  it('lets every visible text be replaced through slots', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer>
      <span slot="label">Portefeuille</span>
      ${STATES.map((s) => html`<span slot="state-${s}">fr-${s}</span>`)}
      <span slot="balance-label">Solde</span>
      <span slot="no-balance">inconnu</span>
      <span slot="payer-label">Peut payer</span>
      <span slot="payee-label">Peut recevoir</span>
      <span slot="payer-no">Non</span>
      <span slot="payee-no">Non</span>
    </ms-consumer>`);
    expect(slotText(shadow(el), 'label')).to.equal('Portefeuille');
    expect(slotText(shadow(el), 'state-disconnected')).to.equal('fr-disconnected');
    // Only the current state's slot is rendered; the other translations wait unassigned.
    expect(shadow(el).querySelector('slot[name="state-connected"]')).to.equal(null);
    expect(el.querySelector<HTMLElement>('[slot="state-connected"]')!.assignedSlot).to.equal(null);
    expect(slotText(shadow(el), 'balance-label')).to.equal('Solde');
    expect(slotText(shadow(el), 'no-balance')).to.equal('inconnu');
    expect(slotText(shadow(el), 'payer-label')).to.equal('Peut payer');
    expect(slotText(shadow(el), 'payee-label')).to.equal('Peut recevoir');
    expect(slotText(shadow(el), 'payer-no')).to.equal('Non');
    expect(slotText(shadow(el), 'payee-no')).to.equal('Non');
  });

  it('has a read-only state', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    expect(() => ((el as unknown as {state: string}).state = 'connected')).to.throw(TypeError);
    expect(el.state).to.equal('disconnected');
  });

  it('fires ms-error for a bad beacon attribute instead of throwing', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    const error = nextEvent(el, 'ms-error');
    el.setAttribute('beacon', 'moneysocket1notabeacon');
    const event = await error;
    expect(event.detail.code).to.match(/^BEACON_/);
    expect(event.detail.message).to.be.a('string').and.not.equal('');
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(el.state).to.equal('disconnected');
  });

  it('rejects method calls with the MoneysocketError and its code', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: MoneysocketError) => e.code);
    expect(await codeOf(el.requestInvoice(1000))).to.equal('NOT_CONNECTED');
    expect(await codeOf(el.requestInvoice(-5))).to.equal('AMOUNT_INVALID');
    expect(await codeOf(el.requestPay('not an invoice'))).to.equal('BOLT11_INVALID');
    expect(await codeOf(el.ping())).to.equal('NOT_CONNECTED');
    expect(await codeOf(el.connect())).to.equal('INVALID_ARGUMENT');
    expect(await codeOf(el.connect('moneysocket1xyz'))).to.match(/^BEACON_/);
  });

  it('reports an unreachable relay as ms-error CONNECTION_FAILED and ends disconnected', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer beacon=${beaconFor('ws://127.0.0.1:45679')}></ms-consumer>`);
    const event = await nextEvent(el, 'ms-error');
    expect(event.detail.code).to.equal('CONNECTION_FAILED');
    await reachState(el, 'disconnected');
  });

  it('is accessible', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    await expect(el).to.be.accessible();
  });
});

describe('<ms-consumer> talking to a provider stack through a real relay', function () {
  this.timeout(30000);
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let wallet: DemoLedger;
  let merchant: DemoLedger;
  let provider: ProviderStack;
  let beacon: string;
  const extra: ProviderStack[] = [];

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    wallet = new DemoLedger({id: 'wallet', balanceMsats: 1_000_000, network});
    merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
    provider = await walletProvider(wallet);
    beacon = beaconFor(relay.url);
    await within(provider.connect(beacon), 10000, 'provider waiting');
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('ms-consumer')) await el.disconnect();
    fixtureCleanup();
    for (const p of [provider, ...extra.splice(0)]) await p.disconnect();
    await relay.stop();
  });

  async function connected(template = html`<ms-consumer beacon=${beacon}></ms-consumer>`): Promise<MsConsumer> {
    const el = await fixture<MsConsumer>(template);
    await reachState(el, 'connected');
    return el;
  }

  it('connects when given a beacon, reflecting every state and firing ms-state and ms-connected', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    const events = record(el, ['ms-state', 'ms-connected', 'ms-provider-info']);
    const attributes: (string | null)[] = [];
    el.addEventListener('ms-state', () => attributes.push(el.getAttribute('state')));
    el.beacon = beacon;
    await reachState(el, 'connected');
    await sleep(0);
    const states = events.filter((e) => e.type === 'ms-state').map((e) => (e as CustomEvent<{state: string}>).detail.state);
    expect(states).to.deep.equal(['connecting', 'handshaking', 'connected']);
    const previous = events.filter((e) => e.type === 'ms-state').map((e) => (e as CustomEvent<{previous: string}>).detail.previous);
    expect(previous).to.deep.equal(['disconnected', 'connecting', 'handshaking']);
    expect(attributes).to.deep.equal(states);
    expect(events.map((e) => e.type)).to.include.members(['ms-connected', 'ms-provider-info']);
    for (const e of events) {
      expect(e.bubbles, e.type).to.equal(true);
      expect(e.composed, e.type).to.equal(true);
      expect(e.cancelable, e.type).to.equal(false);
    }
  });

  it('shows the balance and permissions the provider sends, and updates them', async () => {
    const el = await connected();
    expect(el.providerInfo).to.include({payer: true, payee: true});
    await el.updateComplete;
    const balance = shadow(el).querySelector('[part="balance"] dd')!;
    expect(balance.textContent!.trim()).to.equal(`${(1000).toLocaleString()} sats`);
    expect(slotText(shadow(el), 'payer-yes')).to.equal('Yes');
    expect(slotText(shadow(el), 'payee-yes')).to.equal('Yes');

    const update = nextEvent(el, 'ms-provider-info');
    provider.setProviderInfo({payer: false, payee: true, wad: bitcoinWad(42_000)});
    const event = await update;
    expect(event.detail.providerInfo.wad?.msats).to.equal(42_000);
    expect(event.detail.providerInfo.payer).to.equal(false);
    await el.updateComplete;
    expect(balance.textContent!.trim()).to.equal('42 sats');
    expect(slotText(shadow(el), 'payer-no')).to.equal('No');
    // A page can show the balance its own way.
    el.formatBalance = (wad) => `${wad.msats} millisatoshis`;
    await el.updateComplete;
    expect(balance.textContent!.trim()).to.equal('42000 millisatoshis');
  });

  it('requests an invoice (ms-invoice), learns it was paid (ms-payment-received), pays (ms-preimage) and pings (ms-ping)', async () => {
    const el = await connected();
    const invoiceEvent = nextEvent(el, 'ms-invoice');
    const bolt11 = await within(el.requestInvoice(2500, {description: 'coffee'}), 10000, 'invoice');
    expect((await invoiceEvent).detail).to.deep.equal({bolt11, requestUuid: (await invoiceEvent).detail.requestUuid});
    expect(bolt11).to.match(/^lnbc25n1/);

    const received = nextEvent(el, 'ms-payment-received');
    const {preimage} = await network.settle(bolt11, 'merchant');
    provider.notifyInvoicePaid(preimage);
    const paid = await received;
    expect(paid.detail.bolt11).to.equal(bolt11);
    expect(paid.detail.preimage).to.equal(preimage);

    const bill = await merchant.createInvoice(4000);
    const preimageEvent = nextEvent(el, 'ms-preimage');
    const got = await within(el.requestPay(bill.bolt11), 10000, 'payment');
    expect(got).to.equal(bill.preimage);
    expect((await preimageEvent).detail).to.include({preimage: bill.preimage, bolt11: bill.bolt11, late: false});

    const pingEvent = nextEvent(el, 'ms-ping');
    const rtt = await within(el.ping(), 10000, 'ping');
    expect((await pingEvent).detail.rttMs).to.equal(rtt);
  });

  it('rejects a refused request with REQUEST_FAILED', async () => {
    provider.handleInvoiceRequest = () => {
      throw new Error('no invoices today');
    };
    const el = await connected();
    const error = (await el.requestInvoice(1000).catch((e: MoneysocketError) => e)) as MoneysocketError;
    expect(error.code).to.equal('REQUEST_FAILED');
    expect(error.reason).to.equal('no invoices today');
  });

  it('disconnects when the beacon is removed, with ms-disconnected, and shows no balance', async () => {
    const el = await connected();
    const left = nextEvent(el, 'ms-disconnected');
    el.removeAttribute('beacon');
    await left;
    await reachState(el, 'disconnected');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('disconnected');
    expect(el.providerInfo).to.equal(undefined);
    expect(slotText(shadow(el), 'no-balance')).to.equal('—');
  });

  it('switches to a new beacon, leaving the old session first', async () => {
    const el = await connected();
    const other = await walletProvider(new DemoLedger({id: 'other', balanceMsats: 7000, network}));
    extra.push(other);
    const otherBeacon = beaconFor(relay.url);
    await within(other.connect(otherBeacon), 10000, 'second provider');
    const seen = record(el, ['ms-disconnected', 'ms-connected', 'ms-provider-info']);
    el.setAttribute('beacon', otherBeacon);
    await within(new Promise<void>((resolve) => el.addEventListener('ms-provider-info', () => resolve(), {once: true})), 10000, 'info from the second provider');
    expect(seen.map((e) => e.type)).to.deep.equal(['ms-disconnected', 'ms-connected', 'ms-provider-info']);
    expect(el.providerInfo?.wad?.msats).to.equal(7000);
    expect(el.stack.beaconString).to.equal(otherBeacon);
  });

  it('disconnects when removed from the document and reconnects when put back; a move keeps the session', async () => {
    const el = await connected();
    const parent = el.parentElement!;
    const states = record(el, ['ms-state']);
    parent.append(el); // a move: removed and inserted in one task
    await sleep(50);
    expect(states).to.have.length(0);
    el.remove();
    await reachState(el, 'disconnected');
    parent.append(el);
    await reachState(el, 'connected');
  });

  it('connect() and disconnect() are explicit too, and return the stack\'s promises', async () => {
    const el = await fixture<MsConsumer>(html`<ms-consumer></ms-consumer>`);
    await within(el.connect(beacon), 10000, 'connect()');
    expect(el.state).to.equal('connected');
    expect(el.beacon).to.equal(beacon);
    await el.disconnect();
    expect(el.state).to.equal('disconnected');
    await sleep(100); // nothing reconnects by itself
    expect(el.state).to.equal('disconnected');
    await within(el.connect(), 10000, 'connect() again');
    expect(el.state).to.equal('connected');
  });

  it('opens sockets with the webSocket property', async () => {
    const urls: string[] = [];
    const factory: SocketFactory = (url) => {
      urls.push(url);
      return new WebSocket(url) as unknown as ReturnType<SocketFactory>;
    };
    await connected(html`<ms-consumer .webSocket=${factory} beacon=${beacon}></ms-consumer>`);
    expect(urls).to.deep.equal([relay.url]);
  });

  it('is accessible when connected', async () => {
    const el = await connected();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
