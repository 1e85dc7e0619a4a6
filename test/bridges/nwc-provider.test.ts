/**
 * NWC end to end, in Chromium: `<ms-consumer>` → a Moneysocket relay process
 * → `<ms-provider nwc=…>` → a real Nostr relay (@nostr-relay/core, in the test
 * server) → a wallet service built with @getalby/sdk → a demo ledger, and back.
 * The wallet service counts what it is asked, and can refuse or swallow its
 * answers (test/support/nostr-relay-control.mjs).
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import '../../src/elements/define/ms-consumer.js';
import '../../src/elements/define/ms-provider.js';
import type {MoneysocketError} from '../../src/core/errors.js';
import {preimagePays} from '../../src/core/preimage.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {nextEvent, reachState, within} from '../elements/connection-helpers.js';
import {startTestNwcWallet, type TestNwcWallet} from '../support/nostr-relay-wallet.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';

const START_MSATS = 100_000_000;

async function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => Promise.reject(new Error('expected a failure')),
    (error: MoneysocketError) => error,
  );
}

describe('<ms-provider nwc=…> served by an NWC wallet, end to end', function () {
  this.timeout(60_000);
  let relay: TestRelay;
  let wallet: TestNwcWallet;

  beforeEach(async () => {
    [relay, wallet] = await Promise.all([startTestRelay(), startTestNwcWallet(START_MSATS)]);
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('ms-consumer')) await el.disconnect();
    for (const el of document.querySelectorAll('ms-provider')) await el.disconnect();
    fixtureCleanup();
    await Promise.all([relay.stop(), wallet.close()]);
  });

  /** The wallet page and the app on one page; resolves once the app sees the NWC wallet's balance. */
  async function connect(attributes: {maxPaymentMsats?: number; payTimeoutMs?: number} = {}): Promise<{provider: MsProvider; consumer: MsConsumer}> {
    const page = await fixture<HTMLDivElement>(html`<div>
      <ms-provider payer payee max-payment-msats=${attributes.maxPaymentMsats ?? 1_000_000_000}></ms-provider>
      <ms-consumer></ms-consumer>
    </div>`);
    const provider = page.querySelector('ms-provider')!;
    const consumer = page.querySelector('ms-consumer')!;
    provider.nwcOptions = {payTimeoutMs: attributes.payTimeoutMs ?? 20_000};
    provider.nwc = wallet.connection;
    const served = nextEvent(provider, 'ms-beacon');
    provider.relay = relay.url;
    consumer.beacon = (await served).detail.beacon;
    await reachState(consumer, 'connected', 20_000);
    await until(() => consumer.providerInfo?.wad?.msats === START_MSATS, 20_000, "the NWC wallet's balance at the app");
    // The SDK subscribes to notifications in the background: wait until it listens.
    await untilStats((s) => s.notificationListeners > 0, 'the notification subscription');
    return {provider, consumer};
  }

  async function untilStats(check: (stats: Awaited<ReturnType<TestNwcWallet['stats']>>) => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (check(await wallet.stats())) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('pays with a verified preimage, makes an invoice, pushes payment_received to the app, and keeps the balance current', async () => {
    const {consumer} = await connect();
    expect(consumer.providerInfo).to.include({payer: true, payee: true});

    const bill = await wallet.shopInvoice(30_000);
    const preimage = await within(consumer.requestPay(bill.bolt11), 20_000, 'the payment');
    expect(preimage).to.equal(bill.preimage);
    expect(preimagePays(preimage, bill.paymentHash)).to.equal(true);
    await until(() => consumer.providerInfo?.wad?.msats === START_MSATS - 30_000, 10_000, 'the balance after paying');

    const bolt11 = await within(consumer.requestInvoice(12_000), 20_000, 'the invoice');
    expect(bolt11).to.match(/^lnbc/);
    const received = nextEvent(consumer, 'ms-payment-received', 20_000);
    const paid = await wallet.payWalletInvoice(bolt11);
    expect((await received).detail).to.include({bolt11, preimage: paid.preimage});
    await until(() => consumer.providerInfo?.wad?.msats === START_MSATS - 30_000 + 12_000, 10_000, 'the balance after receiving');

    const stats = await wallet.stats();
    expect(stats.calls.pay_invoice).to.equal(1);
    expect(stats.calls.make_invoice).to.equal(1);
    expect(stats.walletMsats).to.equal(START_MSATS - 30_000 + 12_000);
  });

  it("shows the wallet's refusals to the app as clear refusals, and moves no money", async () => {
    const {consumer} = await connect();
    await wallet.setFault('pay_invoice', {kind: 'error', code: 'QUOTA_EXCEEDED', message: 'budget used'});
    const bill = await wallet.shopInvoice(5_000);
    const quota = await failure(consumer.requestPay(bill.bolt11));
    expect([quota.code, quota.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the wallet's spending quota is used up"]);

    // A refusal frees the invoice: paid again once the quota is back, and a real low balance refuses too.
    await wallet.setFault('pay_invoice', undefined);
    expect(await within(consumer.requestPay(bill.bolt11), 20_000, 'the retried payment')).to.equal(bill.preimage);
    const huge = await wallet.shopInvoice(START_MSATS);
    const poor = await failure(consumer.requestPay(huge.bolt11));
    expect([poor.code, poor.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the wallet's balance is too low for this payment"]);

    await wallet.setFault('pay_invoice', {kind: 'error', code: 'PAYMENT_FAILED', message: 'no route'});
    const other = await wallet.shopInvoice(6_000);
    const failed = await failure(consumer.requestPay(other.bolt11));
    expect(failed.code).to.equal('PAYMENT_FAILED');
    expect(failed.message).to.contain('the wallet could not pay the invoice: no route');

    await wallet.setFault('make_invoice', {kind: 'error', code: 'RESTRICTED', message: 'no invoices'});
    const restricted = await failure(consumer.requestInvoice(1_000));
    expect([restricted.code, restricted.message]).to.deep.equal(['REQUEST_REFUSED', 'the provider refused: the wallet does not allow this connection to do that']);
    expect((await wallet.stats()).walletMsats).to.equal(START_MSATS - 5_000);
  });

  it("refuses over the element's budget before any NWC call", async () => {
    const {consumer} = await connect({maxPaymentMsats: 20_000});
    const before = await wallet.stats();
    const bill = await wallet.shopInvoice(25_000);
    const refused = await failure(consumer.requestPay(bill.bolt11));
    expect([refused.code, refused.message]).to.deep.equal(['REQUEST_REFUSED', "the provider refused: the payment is over the wallet's limit per payment"]);
    // Give a stray request time to arrive, then count: neither the service nor the relay saw one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await wallet.stats();
    expect(after.calls.pay_invoice).to.equal(before.calls.pay_invoice);
    expect(after.requests).to.equal(before.requests);
    expect(after.walletMsats).to.equal(START_MSATS);
  });

  it('never pays twice when the NWC answer is lost: PAYMENT_OUTCOME_UNKNOWN at the app, and no retry', async () => {
    const {consumer} = await connect({payTimeoutMs: 2_000});
    await wallet.setFault('pay_invoice', {kind: 'drop-reply'});
    const bill = await wallet.shopInvoice(40_000);
    const lost = await failure(consumer.requestPay(bill.bolt11));
    expect(lost.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    expect(lost.message).to.match(/may or may not have been made/);
    // The app will not send it again, and the wallet was asked (and paid) exactly once.
    expect((await failure(consumer.requestPay(bill.bolt11))).code).to.equal('INVALID_ARGUMENT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = await wallet.stats();
    expect(stats.calls.pay_invoice).to.equal(1);
    expect(stats.walletMsats).to.equal(START_MSATS - 40_000);
  });

  it('reports an unusable NWC string or an unreachable wallet as ms-error, with stable codes', async () => {
    const provider = await fixture<MsProvider>(html`<ms-provider payer payee></ms-provider>`);
    const invalid = nextEvent(provider, 'ms-error');
    provider.nwc = 'nostr+walletconnect://not-a-key';
    expect((await invalid).detail.code).to.equal('INVALID_ARGUMENT');

    const gone = wallet.connection;
    await wallet.close();
    const unreachable = nextEvent(provider, 'ms-error', 20_000);
    provider.setAttribute('nwc', gone);
    const {detail} = await unreachable;
    expect(detail.code).to.equal('CONNECTION_FAILED');
    expect(detail.message).to.match(/^could not reach the NWC wallet/);
    wallet = await startTestNwcWallet(); // afterEach closes this one
  });
});
