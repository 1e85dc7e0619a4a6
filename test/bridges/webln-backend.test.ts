/**
 * `<ms-provider>` served from a WebLN wallet (a WebLN object over a demo
 * ledger, as an extension's `window.webln` would be), through a real relay
 * process: invoices, payments with verified preimages and the balance reach
 * the app; budgets and the page's own answers come first; amounts that are
 * not whole sats are refused before the wallet is asked.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import {WebLNBackend} from '../../src/bridges/index.js';
import {decodeBolt11} from '../../src/core/bolt11.js';
import type {MoneysocketError} from '../../src/core/errors.js';
import type {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import '../../src/elements/define/ms-provider.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {makeConsumer} from '../core/stack/fixtures.js';
import {reachState, within} from '../elements/connection-helpers.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import {ledgerWebLN, type LedgerWebLN} from './ledger-webln.js';

function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: MoneysocketError) => e,
  );
}

describe('<ms-provider> with a WebLN backend, through a real relay', function () {
  this.timeout(40000);
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let wallet: DemoLedger;
  let shop: DemoLedger;
  let webln: LedgerWebLN;
  let consumer: ConsumerStack;

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    wallet = new DemoLedger({id: 'wallet', balanceMsats: 100_000, network});
    shop = new DemoLedger({id: 'shop', balanceMsats: 50_000, network});
    network.listen('wallet', (invoice) => wallet.credit(invoice.msats));
    network.listen('shop', (invoice) => shop.credit(invoice.msats));
    webln = ledgerWebLN(wallet);
    consumer = await makeConsumer();
  });

  afterEach(async () => {
    await consumer.disconnect();
    for (const el of document.querySelectorAll('ms-provider')) await el.disconnect();
    fixtureCleanup();
    await relay.stop();
  });

  /** A provider page served from the WebLN wallet, with an app connected to it. */
  async function served(attributes: {maxPaymentMsats?: number; dailyBudgetMsats?: number; balanceMsats?: number} = {}): Promise<MsProvider> {
    const el = await fixture<MsProvider>(html`<ms-provider payer payee relay=${relay.url} .maxPaymentMsats=${attributes.maxPaymentMsats}
      .dailyBudgetMsats=${attributes.dailyBudgetMsats} .balanceMsats=${attributes.balanceMsats} .backend=${new WebLNBackend(webln)}></ms-provider>`);
    await reachState(el, 'waiting-for-peer');
    await within(consumer.connect(el.beacon!), 10000, 'the app to connect');
    return el;
  }

  it('makes invoices, pays with a verified preimage, and shows the wallet balance before and after', async () => {
    // balance-msats is set too: with a backend that tells its balance, the backend's wins.
    const el = await served({balanceMsats: 1});
    await until(() => consumer.providerInfo?.wad?.msats === 100_000, 10000, 'the wallet balance at the app');
    expect(consumer.providerInfo).to.include({payer: true, payee: true});

    const bolt11 = await within(consumer.requestInvoice(7000), 10000, 'invoice');
    const invoice = decodeBolt11(bolt11);
    if (!invoice.ok) throw invoice.error;
    expect(invoice.value.msats).to.equal(7000n);
    await network.settle(bolt11, 'shop');
    expect(wallet.balanceMsats).to.equal(107_000);

    const bill = await shop.createInvoice(20_000);
    expect(await within(consumer.requestPay(bill.bolt11), 10000, 'payment')).to.equal(bill.preimage);
    await until(() => consumer.providerInfo?.wad?.msats === 87_000, 10000, 'the balance after paying');
    expect(shop.balanceMsats).to.equal(50_000 + 20_000);
    expect(webln.calls.filter((c) => c !== 'getBalance')).to.deep.equal(['enable', 'makeInvoice', 'sendPayment']);

    // The page's balance-msats does not override the wallet's.
    el.balanceMsats = 5;
    await el.updateComplete;
    expect((await within(consumer.ping(), 5000, 'ping')) >= 0).to.equal(true);
    expect(consumer.providerInfo?.wad?.msats).to.equal(87_000);
  });

  it('refuses an invoice for an amount that is not a whole number of sats before asking the wallet', async () => {
    await served();
    const callsBefore = webln.calls.length;
    const refused = await failure(consumer.requestInvoice(1500));
    expect(refused.code).to.equal('REQUEST_REFUSED');
    expect(refused.message).to.include('1500 msats is not a whole number of sats').and.include('never rounded');
    expect(webln.calls.slice(callsBefore).filter((c) => c !== 'getBalance')).to.deep.equal([]);
    // A whole number of sats goes through.
    expect(await within(consumer.requestInvoice(2000), 10000, 'invoice')).to.match(/^lnbc/);
    expect(webln.calls.filter((c) => c === 'makeInvoice')).to.have.length(1);
  });

  it('maps a payment the person rejects to a refusal, which frees the invoice to be sent again', async () => {
    await served();
    const bill = await shop.createInvoice(3000);
    webln.nextPaymentFault = {kind: 'reject', error: new Error('User rejected')};
    const refused = await failure(consumer.requestPay(bill.bolt11));
    expect(refused.code).to.equal('REQUEST_REFUSED');
    expect(refused.message).to.include('User rejected');
    expect(wallet.balanceMsats).to.equal(100_000);
    // Nothing was paid, so the same invoice may go again, and this time it is paid, once.
    expect(await within(consumer.requestPay(bill.bolt11), 10000, 'second try')).to.equal(bill.preimage);
    expect(shop.balanceMsats).to.equal(53_000);
  });

  it('maps an unknown wallet error to a failure: the invoice is never sent again, and money moved once', async () => {
    await served();
    const bill = await shop.createInvoice(4000);
    webln.nextPaymentFault = {kind: 'pay-then-fail', error: new Error('socket hang up')};
    const failed = await failure(consumer.requestPay(bill.bolt11));
    expect(failed.code).to.equal('PAYMENT_FAILED');
    expect(failed.message).to.include('socket hang up');
    const again = await failure(consumer.requestPay(bill.bolt11));
    expect(again.code).to.equal('INVALID_ARGUMENT');
    expect(webln.calls.filter((c) => c === 'sendPayment')).to.have.length(1);
    expect(shop.balanceMsats).to.equal(54_000);
    expect(wallet.balanceMsats).to.equal(96_000);
  });

  it('keeps the budgets in front of the wallet, counting what the wallet paid', async () => {
    await served({maxPaymentMsats: 10_000, dailyBudgetMsats: 15_000});
    const tooBig = await failure(consumer.requestPay((await shop.createInvoice(11_000)).bolt11));
    expect([tooBig.code, tooBig.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the payment is over the wallet's limit per payment"]);
    const first = await shop.createInvoice(9000);
    expect(await within(consumer.requestPay(first.bolt11), 10000, 'payment')).to.equal(first.preimage);
    const overBudget = await failure(consumer.requestPay((await shop.createInvoice(7000)).bolt11));
    expect([overBudget.code, overBudget.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the payment would go over the wallet's daily budget"]);
    expect(webln.calls.filter((c) => c === 'sendPayment')).to.have.length(1);
  });

  it('lets the page answer or refuse first; the wallet answers only what the page leaves alone', async () => {
    const el = await served();
    const own = await shop.createInvoice(1000);
    el.addEventListener('ms-invoice-request', (e) => e.detail.respondWith(Promise.resolve(own.bolt11)), {once: true});
    await failure(consumer.requestInvoice(2000)).then((e) => expect(e.message).to.include('not 2000'));
    el.addEventListener('ms-pay-request', (e) => e.preventDefault(), {once: true});
    const declined = await failure(consumer.requestPay((await shop.createInvoice(1000)).bolt11));
    expect([declined.code, declined.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the wallet's owner did not allow it"]);
    expect(webln.calls).to.not.include('makeInvoice');
    expect(webln.calls).to.not.include('sendPayment');
    // Left alone, the next ones go to the wallet.
    expect(await within(consumer.requestInvoice(2000), 10000, 'invoice')).to.match(/^lnbc/);
    expect(webln.calls).to.include('makeInvoice');
  });

  it('shows balance-msats when the wallet does not tell its balance, and refuses everything once the backend is removed', async () => {
    const {getBalance: _ignored, ...silent} = webln;
    void _ignored;
    const el = await fixture<MsProvider>(html`<ms-provider payer payee relay=${relay.url} balance-msats="4242" .backend=${new WebLNBackend(silent)}></ms-provider>`);
    await reachState(el, 'waiting-for-peer');
    await within(consumer.connect(el.beacon!), 10000, 'the app to connect');
    expect(consumer.providerInfo?.wad?.msats).to.equal(4242);
    expect(await within(consumer.requestInvoice(3000), 10000, 'invoice')).to.match(/^lnbc/);
    el.backend = undefined;
    await el.updateComplete;
    const refused = await failure(consumer.requestInvoice(3000));
    expect([refused.code, refused.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: nothing on the wallet's side answers this kind of request"]);
  });
});

describe('WebLNBackend on its own', () => {
  const invoiceOnly = (getBalance: () => Promise<{balance: number; currency?: string}>) =>
    new WebLNBackend({
      enable: async () => undefined,
      getInfo: async () => ({node: {alias: '', pubkey: ''}, version: '', supports: [], methods: []}),
      makeInvoice: async () => ({paymentRequest: ''}),
      sendPayment: async () => ({preimage: ''}),
      getBalance,
    });

  it('reads balances in sats (the default), msats and BTC exactly, and refuses a fiat balance', async () => {
    expect(await invoiceOnly(async () => ({balance: 1.5})).getBalance!()).to.deep.equal({msats: 1500});
    expect(await invoiceOnly(async () => ({balance: 12_345, currency: 'sats'})).getBalance!()).to.deep.equal({msats: 12_345_000});
    expect(await invoiceOnly(async () => ({balance: 777, currency: 'msats'})).getBalance!()).to.deep.equal({msats: 777});
    expect(await invoiceOnly(async () => ({balance: 0.00012345, currency: 'BTC'})).getBalance!()).to.deep.equal({msats: 12_345_000});
    const fiat = await failure(invoiceOnly(async () => ({balance: 12, currency: 'EUR'})).getBalance!());
    expect(fiat.message).to.include('EUR');
    const tooFine = await failure(invoiceOnly(async () => ({balance: 0.0001})).getBalance!());
    expect(tooFine.code).to.equal('AMOUNT_INVALID');
  });

  it('has no getBalance when the WebLN wallet has none, so the stack shows no balance of its own making', () => {
    const backend = new WebLNBackend({
      enable: async () => undefined,
      getInfo: async () => ({node: {alias: '', pubkey: ''}, version: '', supports: [], methods: []}),
      makeInvoice: async () => ({paymentRequest: ''}),
      sendPayment: async () => ({preimage: ''}),
    });
    expect(backend.getBalance).to.equal(undefined);
  });

  it('refuses (nothing attempted) when the wallet is not enabled, and asks again next time', async () => {
    let answer: 'no' | 'yes' = 'no';
    let paid = 0;
    const backend = new WebLNBackend({
      enable: async () => {
        if (answer === 'no') throw new Error('User rejected');
      },
      getInfo: async () => ({node: {alias: '', pubkey: ''}, version: '', supports: [], methods: []}),
      makeInvoice: async () => ({paymentRequest: 'lnbc1'}),
      sendPayment: async () => ((paid += 1), {preimage: '00'.repeat(32)}),
    });
    const refused = await failure(backend.payInvoice({bolt11: 'lnbc1', msats: 1000n}));
    expect([refused.code, paid]).to.deep.equal(['REQUEST_REFUSED', 0]);
    expect(refused.message).to.include('not enabled').and.include('User rejected');
    answer = 'yes';
    expect(await backend.payInvoice({bolt11: 'lnbc1', msats: 1000n})).to.deep.equal({preimage: '00'.repeat(32)});
    expect(paid).to.equal(1);
  });

  it('refuses when enable() never answers, after enableTimeoutMs', async () => {
    const backend = new WebLNBackend(
      {
        enable: () => new Promise<void>(() => undefined),
        getInfo: async () => ({node: {alias: '', pubkey: ''}, version: '', supports: [], methods: []}),
        makeInvoice: async () => ({paymentRequest: 'lnbc1'}),
        sendPayment: async () => ({preimage: ''}),
      },
      {enableTimeoutMs: 50},
    );
    const refused = await failure(backend.makeInvoice({msats: 1000}));
    expect(refused.code).to.equal('REQUEST_REFUSED');
    expect(refused.message).to.include('no answer within 50 ms');
  });
});
