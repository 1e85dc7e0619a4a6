/** A ProviderStack served from a WalletBackend: answers, balance and notices follow the wallet. */
import {expect} from 'chai';
import {decodeBolt11} from '../../../src/core/bolt11.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack} from '../../../src/core/stack/provider-stack.js';
import type {WalletBackend, WalletEvent} from '../../../src/core/stack/wallet-backend.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';
import {MemoryRelay} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {beaconFor} from './fixtures.js';

/** A backend over a demo ledger, with a hook to push wallet events. */
function ledgerBackend(ledger: DemoLedger): WalletBackend & {emit(event: WalletEvent): void; paid: string[]} {
  let listener: ((event: WalletEvent) => void) | undefined;
  const paid: string[] = [];
  return {
    paid,
    makeInvoice: async ({msats}) => ({bolt11: (await ledger.createInvoice(msats)).bolt11}),
    payInvoice: async ({bolt11}) => {
      paid.push(bolt11);
      return {preimage: await ledger.pay(bolt11)};
    },
    getBalance: async () => ({msats: ledger.balanceMsats}),
    subscribe: (l) => {
      listener = l;
      return () => (listener = undefined);
    },
    emit: (event) => listener?.(event),
  };
}

describe('a provider served from a wallet backend', function () {
  this.timeout(20000);
  const stacks: {disconnect(): Promise<void>}[] = [];
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.disconnect();
  });

  async function setUp(backend: WalletBackend) {
    const relay = new MemoryRelay();
    const provider = new ProviderStack({webSocket: relay.socketFactory, backend});
    const consumer = new ConsumerStack({webSocket: relay.socketFactory});
    stacks.push(consumer, provider);
    const beacon = beaconFor('ws://127.0.0.1:1');
    await provider.connect(beacon);
    await consumer.connect(beacon);
    return {provider, consumer};
  }

  it('answers invoices and payments from the wallet, and shows its balance before and after', async () => {
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'wallet', balanceMsats: 50_000, network});
    const shop = new DemoLedger({id: 'shop', balanceMsats: 0, network});
    network.listen('wallet', (i) => wallet.credit(i.msats));
    network.listen('shop', (i) => shop.credit(i.msats));
    const backend = ledgerBackend(wallet);
    const {consumer} = await setUp(backend);
    await until(() => consumer.providerInfo?.wad?.msats === 50_000, 5000, 'the wallet balance shown');
    expect(consumer.providerInfo).to.include({payer: true, payee: true});

    const bill = await shop.createInvoice(20_000);
    expect(await consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
    await until(() => consumer.providerInfo?.wad?.msats === 30_000, 5000, 'the balance after paying');
    expect(backend.paid).to.deep.equal([bill.bolt11]);

    const bolt11 = await consumer.requestInvoice(7000);
    const received: string[] = [];
    consumer.on('payment-received', (d) => received.push(d.bolt11));
    // A payment to another invoice of the wallet's is not this app's news.
    const elsewhere = await wallet.createInvoice(1);
    const other = await network.settle(elsewhere.bolt11, 'shop');
    backend.emit({type: 'payment-received', paymentHash: elsewhere.paymentHash, preimage: other.preimage});
    const {preimage, msats} = await network.settle(bolt11, 'shop');
    backend.emit({type: 'payment-received', paymentHash: paymentHashOf(bolt11), preimage});
    await until(() => received.length === 1, 5000, 'payment received');
    expect(received).to.deep.equal([bolt11]);
    await until(() => consumer.providerInfo?.wad?.msats === 30_000 + msats + 1, 5000, 'the balance after receiving');
  });

  it('keeps the wallet\'s verdicts: a refusal frees the invoice, an unknown outcome does not', async () => {
    const network = new InMemoryDemoNetwork();
    const shop = new DemoLedger({id: 'shop', balanceMsats: 0, network});
    let verdict: MoneysocketError = new MoneysocketError('REQUEST_REFUSED', 'insufficient balance');
    const backend: WalletBackend = {
      makeInvoice: async () => {
        throw new MoneysocketError('REQUEST_REFUSED', 'invoices are off');
      },
      payInvoice: async () => {
        throw verdict;
      },
    };
    const {consumer} = await setUp(backend);
    const bill = await shop.createInvoice(1000);
    const refused = await consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    expect([(refused as MoneysocketError).code, (refused as MoneysocketError).message]).to.deep.equal(['REQUEST_REFUSED', 'the provider refused: insufficient balance']);
    verdict = new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', 'the wallet timed out');
    const unknown = await consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    expect((unknown as MoneysocketError).code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    expect(((await consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e)) as MoneysocketError).code).to.equal('INVALID_ARGUMENT');
    expect(((await consumer.requestInvoice(5).catch((e: MoneysocketError) => e)) as MoneysocketError).code).to.equal('REQUEST_REFUSED');
  });
});

function paymentHashOf(bolt11: string): string {
  const decoded = decodeBolt11(bolt11);
  if (!decoded.ok) throw decoded.error;
  return decoded.value.paymentHash;
}
