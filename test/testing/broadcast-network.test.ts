/**
 * BroadcastDemoNetwork: two "pages" (two networks on one channel name, as two
 * tabs have) pay each other's invoices; the page that made an invoice settles
 * it, once. Runs in Node (mocha) and in Chromium (web-test-runner), both of
 * which have BroadcastChannel.
 */
import {expect} from 'chai';
import {MoneysocketError} from '../../src/core/errors.js';
import {preimagePays} from '../../src/core/preimage.js';
import {BroadcastDemoNetwork} from '../../src/testing/broadcast-network.js';
import {DemoLedger, type IssuedInvoice} from '../../src/testing/demo-ledger.js';

describe('BroadcastDemoNetwork', () => {
  let networks: BroadcastDemoNetwork[] = [];
  let channel = 0;

  /** Two pages on a channel of their own: a wallet's and a shop's. */
  function twoPages(timeoutMs = 5000) {
    const name = `test-demo-network-${Date.now()}-${channel++}`;
    const walletNetwork = new BroadcastDemoNetwork(name, {timeoutMs});
    const shopNetwork = new BroadcastDemoNetwork(name, {timeoutMs});
    networks.push(walletNetwork, shopNetwork);
    const wallet = new DemoLedger({id: 'wallet', balanceMsats: 5_000_000, network: walletNetwork});
    const shop = new DemoLedger({id: 'shop', balanceMsats: 0, network: shopNetwork});
    const paid: IssuedInvoice[] = [];
    shopNetwork.listen('shop', (invoice) => {
      paid.push(invoice);
      shop.credit(invoice.msats);
    });
    return {wallet, shop, paid, walletNetwork};
  }

  afterEach(() => {
    for (const network of networks) network.close();
    networks = [];
  });

  it('lets a ledger pay an invoice another page made, with the preimage of its payment hash', async () => {
    const {wallet, shop, paid} = twoPages();
    const invoice = await shop.createInvoice(1_000_000, 'an article');
    const preimage = await wallet.pay(invoice.bolt11);
    expect(preimage).to.equal(invoice.preimage);
    expect(preimagePays(preimage, invoice.paymentHash)).to.equal(true);
    expect(wallet.balanceMsats).to.equal(4_000_000);
    expect(shop.balanceMsats).to.equal(1_000_000);
    expect(paid.map((i) => i.paymentHash)).to.deep.equal([invoice.paymentHash]);
  });

  it('refuses a second payment of the same invoice, and the payer keeps its money', async () => {
    const {wallet, shop} = twoPages();
    const invoice = await shop.createInvoice(1000);
    await wallet.pay(invoice.bolt11);
    const error = await wallet.pay(invoice.bolt11).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(MoneysocketError);
    expect((error as MoneysocketError).code).to.equal('REQUEST_REFUSED');
    expect((error as MoneysocketError).message).to.equal('invoice already paid');
    expect(wallet.balanceMsats).to.equal(5_000_000 - 1000);
    expect(shop.balanceMsats).to.equal(1000);
  });

  it('refuses an invoice no open page holds once the wait is over (no route: nothing was paid)', async () => {
    const {wallet} = twoPages(300);
    const elsewhere = new BroadcastDemoNetwork(`another-channel-${Date.now()}`);
    networks.push(elsewhere);
    const stranger = new DemoLedger({id: 'elsewhere', balanceMsats: 0, network: elsewhere});
    const invoice = await stranger.createInvoice(5000);
    const error = await wallet.pay(invoice.bolt11).then(() => undefined, (e: unknown) => e);
    expect((error as MoneysocketError).code).to.equal('REQUEST_REFUSED');
    expect((error as MoneysocketError).message).to.match(/^no route/);
    expect(wallet.balanceMsats).to.equal(5_000_000);
  });

  it('settles an invoice made in the same page without the channel', async () => {
    const {walletNetwork} = twoPages();
    const me = new DemoLedger({id: 'me', balanceMsats: 0, network: walletNetwork});
    const payer = new DemoLedger({id: 'payer', balanceMsats: 10_000, network: walletNetwork});
    const invoice = await me.createInvoice(2000);
    expect(await payer.pay(invoice.bolt11)).to.equal(invoice.preimage);
  });
});
