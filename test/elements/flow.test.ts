/**
 * A wallet page and an app on one page: `<ms-provider>` generates a beacon for
 * a real relay process, `<ms-consumer>` takes it, and money moves both ways
 * through DemoLedgers, with the page deciding every request.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import '../../src/elements/define/ms-consumer.js';
import '../../src/elements/define/ms-provider.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {startTestRelay, type TestRelay} from '../support/relay.js';
import {nextEvent, reachState, record, within} from './connection-helpers.js';

describe('<ms-provider> and <ms-consumer> on one page through a real relay', function () {
  this.timeout(40000);
  let relay: TestRelay;

  beforeEach(async () => {
    relay = await startTestRelay();
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('ms-consumer')) await el.disconnect();
    for (const el of document.querySelectorAll('ms-provider')) await el.disconnect();
    fixtureCleanup();
    await relay.stop();
  });

  it('connects, makes an invoice, gets it paid, pays one, follows the balance, and disconnects', async () => {
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'wallet', balanceMsats: 100_000, network});
    const shop = new DemoLedger({id: 'shop', balanceMsats: 50_000, network});
    network.listen('wallet', (invoice) => wallet.credit(invoice.msats));
    network.listen('shop', (invoice) => shop.credit(invoice.msats));

    // The wallet page: invoices and payments come from its ledger, and its balance follows.
    const page = await fixture<HTMLDivElement>(html`<div>
      <ms-provider payer payee balance-msats=${wallet.balanceMsats}></ms-provider>
      <ms-consumer></ms-consumer>
    </div>`);
    const provider = page.querySelector('ms-provider')!;
    const consumer = page.querySelector('ms-consumer')!;
    const syncBalance = () => (provider.balanceMsats = wallet.balanceMsats);
    provider.addEventListener('ms-invoice-request', (e) => {
      e.detail.respondWith(wallet.createInvoice(e.detail.request.msats).then((invoice) => invoice.bolt11));
    });
    provider.addEventListener('ms-pay-request', (e) => {
      e.detail.respondWith(wallet.pay(e.detail.request.bolt11).then((preimage) => (syncBalance(), preimage)));
    });
    const consumerEvents = record(consumer, ['ms-connected', 'ms-invoice', 'ms-payment-received', 'ms-preimage', 'ms-disconnected']);

    // The provider generates a beacon for its relay; the app takes it.
    const served = nextEvent(provider, 'ms-beacon');
    provider.relay = relay.url;
    const {detail: beacon} = await served;
    expect(beacon.decoded.locations[0]).to.include({type: 'WebSocket', host: '127.0.0.1'});
    await reachState(provider, 'waiting-for-peer');
    const firstInfo = nextEvent(consumer, 'ms-provider-info');
    consumer.beacon = beacon.beacon;
    await reachState(consumer, 'connected');
    await reachState(provider, 'connected');
    expect((await firstInfo).detail.providerInfo).to.include({payer: true, payee: true});
    expect(consumer.providerInfo?.wad?.msats).to.equal(100_000);

    // An invoice from the wallet, paid by the shop; the page tells the app and updates the balance.
    const bolt11 = await within(consumer.requestInvoice(2000), 10000, 'invoice');
    const received = nextEvent(consumer, 'ms-payment-received');
    const preimage = await shop.pay(bolt11);
    provider.notifyInvoicePaid(preimage);
    expect((await received).detail).to.include({bolt11, preimage});
    let info = nextEvent(consumer, 'ms-provider-info');
    syncBalance();
    expect((await info).detail.providerInfo.wad?.msats).to.equal(102_000);

    // The app pays the shop through the wallet.
    const bill = await shop.createInvoice(5000);
    const paid = nextEvent(consumer, 'ms-preimage');
    info = nextEvent(consumer, 'ms-provider-info');
    expect(await within(consumer.requestPay(bill.bolt11), 10000, 'payment')).to.equal(bill.preimage);
    expect((await paid).detail).to.include({preimage: bill.preimage, bolt11: bill.bolt11});
    expect((await info).detail.providerInfo.wad?.msats).to.equal(97_000);
    expect(shop.balanceMsats).to.equal(50_000 - 2000 + 5000);
    await consumer.updateComplete;
    expect(consumer.shadowRoot!.querySelector('[part="balance"] dd')!.textContent!.trim()).to.equal('97 sats');

    // The app leaves; the wallet waits for the next one until it goes offline too.
    const providerLeft = nextEvent(provider, 'ms-disconnected');
    await consumer.disconnect();
    await providerLeft;
    await reachState(provider, 'waiting-for-peer');
    await provider.disconnect();
    expect(provider.getAttribute('state')).to.equal('disconnected');
    expect(consumer.getAttribute('state')).to.equal('disconnected');
    expect(consumerEvents.map((e) => e.type)).to.deep.equal(['ms-connected', 'ms-invoice', 'ms-payment-received', 'ms-preimage', 'ms-disconnected']);
  });

  it('keeps both elements accessible while connected', async () => {
    const page = await fixture<HTMLDivElement>(html`<div>
      <ms-provider relay=${relay.url} payer balance-msats="1000"></ms-provider>
      <ms-consumer></ms-consumer>
    </div>`);
    const provider = page.querySelector<MsProvider>('ms-provider')!;
    const consumer = page.querySelector<MsConsumer>('ms-consumer')!;
    await reachState(provider, 'waiting-for-peer');
    await within(consumer.connect(provider.beacon!), 10000, 'connect');
    await consumer.updateComplete;
    await expect(page).to.be.accessible();
  });
});
