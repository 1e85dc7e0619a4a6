/**
 * A Moneysocket wallet re-served: consumer A (`<ms-consumer>`, connected to
 * wallet W in another window) lends its `webln` to provider B as B's
 * WebLNBackend, so app C, connected to B, pays and receives through both
 * hops, with B's budget in front of W. Real relay process, real pages.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import {WebLNBackend} from '../../src/bridges/index.js';
import type {MoneysocketError} from '../../src/core/errors.js';
import type {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import '../../src/elements/define/ms-consumer.js';
import '../../src/elements/define/ms-provider.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {makeConsumer} from '../core/stack/fixtures.js';
import {reachState, within} from '../elements/connection-helpers.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import type {WalletFrame} from './fixtures/wallet-frame.js';

function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: MoneysocketError) => e,
  );
}

describe('a Moneysocket wallet re-served through ConsumerWebLN and WebLNBackend', function () {
  this.timeout(60000);
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let shop: DemoLedger;
  let frame: HTMLIFrameElement | undefined;
  let app: ConsumerStack;

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    shop = new DemoLedger({id: 'shop', balanceMsats: 0, network});
    network.listen('shop', (invoice) => shop.credit(invoice.msats));
    app = await makeConsumer();
  });

  afterEach(async () => {
    await app.disconnect();
    for (const el of document.querySelectorAll('ms-consumer, ms-provider')) await (el as MsConsumer | MsProvider).disconnect();
    fixtureCleanup();
    frame?.remove();
    await relay.stop();
  });

  /** W in its own window; A connected to W; B served from A's webln; the app C connected to B. */
  async function chain(limits: {maxPaymentMsats?: number; dailyBudgetMsats?: number} = {}) {
    frame = document.createElement('iframe');
    frame.src = new URL('./fixtures/wallet-frame.html', import.meta.url).href;
    document.body.append(frame);
    await until(() => typeof frame!.contentWindow?.startWallet === 'function', 20000, 'the wallet frame to load');
    const wallet: WalletFrame = await within(frame.contentWindow!.startWallet!({relayUrl: relay.url, network, id: 'wallet', balanceMsats: 100_000_000, payer: true, payee: true}), 10000, 'W waiting');
    network.listen('wallet', (invoice) => wallet.received(invoice));

    const page = await fixture<HTMLDivElement>(html`<div>
      <ms-consumer beacon=${wallet.beacon}></ms-consumer>
      <ms-provider payer payee relay=${relay.url} .maxPaymentMsats=${limits.maxPaymentMsats} .dailyBudgetMsats=${limits.dailyBudgetMsats}></ms-provider>
    </div>`);
    const a = page.querySelector('ms-consumer')!;
    const b = page.querySelector('ms-provider')!;
    await reachState(a, 'connected');
    b.backend = new WebLNBackend(a.webln);
    await reachState(b, 'waiting-for-peer');
    await within(app.connect(b.beacon!), 10000, 'C connected to B');
    return {wallet, a, b};
  }

  it('carries a payment and an invoice across both hops, and the balance back', async () => {
    const {wallet} = await chain();
    await until(() => app.providerInfo?.wad?.msats === 100_000_000, 10000, "W's balance at C");

    const bill = await shop.createInvoice(5_000_000);
    expect(await within(app.requestPay(bill.bolt11), 20000, 'C pays through B and A')).to.equal(bill.preimage);
    expect([wallet.payRequests, shop.balanceMsats, wallet.ledger.balanceMsats]).to.deep.equal([1, 5_000_000, 95_000_000]);
    await until(() => app.providerInfo?.wad?.msats === 95_000_000, 10000, "W's new balance at C");

    const bolt11 = await within(app.requestInvoice(3_000_000), 20000, 'an invoice made by W for C');
    expect(wallet.invoiceRequests).to.equal(1);
    await network.settle(bolt11, 'shop');
    expect(wallet.ledger.balanceMsats).to.equal(98_000_000);
    await until(() => app.providerInfo?.wad?.msats === 98_000_000, 10000, 'the balance after receiving, at C');
  });

  it("keeps W's verdicts: W's refusal reaches C as a refusal, and the same invoice then goes through once", async () => {
    const {wallet} = await chain();
    const bill = await shop.createInvoice(2_000_000);
    wallet.provider.payer = false;
    await wallet.provider.updateComplete;
    await until(() => (document.querySelector('ms-consumer') as MsConsumer).providerInfo?.payer === false, 10000, 'A to hear W no longer pays');
    const refused = await failure(app.requestPay(bill.bolt11));
    expect(refused.code).to.equal('REQUEST_REFUSED');
    expect(refused.message).to.include('does not pay invoices');
    wallet.provider.payer = true;
    await until(() => (document.querySelector('ms-consumer') as MsConsumer).providerInfo?.payer === true, 10000, 'A to hear W pays again');
    expect(await within(app.requestPay(bill.bolt11), 20000, 'the retry')).to.equal(bill.preimage);
    expect([wallet.payRequests, shop.balanceMsats]).to.deep.equal([1, 2_000_000]);
  });

  it("refuses with B's budget before A (and so W) is asked", async () => {
    const {wallet, a} = await chain({maxPaymentMsats: 5_000_000, dailyBudgetMsats: 7_000_000});
    const asked: string[] = [];
    a.stack.on('preimage', ({bolt11}) => asked.push(bolt11));

    const tooBig = await failure(app.requestPay((await shop.createInvoice(6_000_000)).bolt11));
    expect([tooBig.code, tooBig.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the payment is over the wallet's limit per payment"]);
    const first = await shop.createInvoice(4_000_000);
    expect(await within(app.requestPay(first.bolt11), 20000, 'a payment within the budget')).to.equal(first.preimage);
    const overBudget = await failure(app.requestPay((await shop.createInvoice(4_000_000)).bolt11));
    expect([overBudget.code, overBudget.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the payment would go over the wallet's daily budget"]);

    expect(asked).to.deep.equal([first.bolt11]);
    expect(wallet.payRequests).to.equal(1);
    expect([shop.balanceMsats, wallet.ledger.balanceMsats]).to.deep.equal([4_000_000, 96_000_000]);
  });
});
