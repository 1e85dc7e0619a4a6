/**
 * Faults against a real relay process, bounded in time: the relay killed
 * mid-payment again and again, and a relay frozen (SIGSTOP) with sockets
 * open. Each asserts that every payment was made at most once, and that
 * the app learned the outcome of every payment the wallet completed.
 */
import {expect} from 'chai';
import type {MoneysocketError} from '../../../src/core/errors.js';
import type {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import type {ProviderStack} from '../../../src/core/stack/provider-stack.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';
import {startTestRelay, until, type TestRelay} from '../../support/relay.js';
import {beaconFor, makeConsumer, walletProvider} from './fixtures.js';

const FAST = {backoff: {initialMs: 50, maxMs: 300}, openTimeoutMs: 2000};

interface Rig {
  relay: TestRelay;
  wallet: DemoLedger;
  merchant: DemoLedger;
  provider: ProviderStack;
  consumer: ConsumerStack;
  /** Payment hashes the wallet completed, and how many times the handler ran for each. */
  completed: Map<string, string>;
  handled: Map<string, number>;
  /** What the app learned: preimage by payment hash, from a resolved request or a late event. */
  learned: Map<string, string>;
  errors: MoneysocketError[];
  gate: {hold: boolean; waiting: (() => void)[]};
}

async function rig(liveness: {consumer?: number; provider?: number} = {}): Promise<Rig> {
  const relay = await startTestRelay();
  const network = new InMemoryDemoNetwork();
  const wallet = new DemoLedger({id: 'wallet', balanceMsats: 100_000_000, network});
  const merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
  network.listen('merchant', (invoice) => merchant.credit(invoice.msats));
  const completed = new Map<string, string>();
  const handled = new Map<string, number>();
  const gate: Rig['gate'] = {hold: false, waiting: []};
  const provider = await walletProvider(wallet, {
    ...FAST,
    ...(liveness.provider === undefined ? {} : {livenessTimeoutMs: liveness.provider}),
    handlePayRequest: async ({bolt11, invoice}) => {
      handled.set(invoice.paymentHash, (handled.get(invoice.paymentHash) ?? 0) + 1);
      if (gate.hold) await new Promise<void>((resolve) => gate.waiting.push(resolve));
      const preimage = await wallet.pay(bolt11);
      completed.set(invoice.paymentHash, preimage);
      return preimage;
    },
  });
  const consumer = await makeConsumer({
    ...FAST,
    ...(liveness.consumer === undefined ? {} : {livenessTimeoutMs: liveness.consumer, pingIntervalMs: 500}),
  });
  const learned = new Map<string, string>();
  const errors: MoneysocketError[] = [];
  consumer.on('preimage', ({preimage, bolt11}) => learned.set(hashes.get(bolt11) ?? '', preimage));
  consumer.on('error', ({error}) => errors.push(error));
  provider.on('error', ({error}) => errors.push(error));
  const beacon = beaconFor(relay.url);
  await provider.connect(beacon);
  await consumer.connect(beacon);
  return {relay, wallet, merchant, provider, consumer, completed, handled, learned, errors, gate};
}

/** Payment hash by invoice, for the invoices the tests make. */
const hashes = new Map<string, string>();

function release(gate: Rig['gate']): void {
  gate.hold = false;
  for (const resolve of gate.waiting.splice(0)) resolve();
}

async function bothConnected(r: Rig, what: string): Promise<void> {
  await until(() => r.consumer.state === 'connected' && r.provider.state === 'connected', 15000, what);
}

describe('fault campaign against a real relay process', function () {
  this.timeout(120000);
  let r: Rig | undefined;
  afterEach(async () => {
    if (r === undefined) return;
    release(r.gate);
    await r.consumer.disconnect();
    await r.provider.disconnect();
    await r.relay.stop();
    r = undefined;
  });

  it('kills the relay mid-payment 20 times: nothing paid twice, every completed payment reported', async () => {
    r = await rig();
    const outcomes: string[] = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      const bill = await r.merchant.createInvoice(1000 + cycle);
      hashes.set(bill.bolt11, bill.paymentHash);
      // Half the payments complete before the kill, half only once the relay is gone.
      r.gate.hold = cycle % 2 === 1;
      const asked = r.provider.once('pay-request');
      const paying = r.consumer.requestPay(bill.bolt11).then(
        (preimage) => {
          r!.learned.set(bill.paymentHash, preimage);
          return 'paid';
        },
        (error: MoneysocketError) => error.code,
      );
      await asked;
      await r.relay.kill();
      outcomes.push(await paying);
      release(r.gate);
      await r.relay.restart();
      await bothConnected(r, `reconnected after kill ${cycle}`);
      await until(() => r!.learned.has(bill.paymentHash), 15000, `the outcome of payment ${cycle} learned`);
      expect(r.learned.get(bill.paymentHash)).to.equal(bill.preimage);
    }
    expect(outcomes.every((o) => o === 'paid' || o === 'PAYMENT_OUTCOME_UNKNOWN')).to.equal(true, outcomes.join());
    expect(outcomes.filter((o) => o === 'PAYMENT_OUTCOME_UNKNOWN').length).to.be.greaterThan(0);
    expect([...r.handled.values()].every((n) => n === 1)).to.equal(true);
    expect(r.completed.size).to.equal(20);
    const expected = Array.from({length: 20}, (_, i) => 1000 + i).reduce((a, b) => a + b, 0);
    expect(r.merchant.balanceMsats).to.equal(expected);
  });

  it('survives a frozen relay: both sides notice, come back without "in use" errors, and learn the payment in flight', async () => {
    r = await rig({consumer: 2000, provider: 2000});
    const bill = await r.merchant.createInvoice(5000);
    hashes.set(bill.bolt11, bill.paymentHash);
    r.gate.hold = true;
    const asked = r.provider.once('pay-request');
    const paying = r.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e.code);
    await asked;
    await r.relay.freeze();
    const providerLeft = r.provider.once('state');
    expect(await paying).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    expect((await providerLeft).state).to.equal('reconnecting');
    release(r.gate); // the wallet finishes while the relay is hung
    await until(() => r!.completed.has(bill.paymentHash), 5000, 'the wallet done');
    await r.relay.thaw();
    await bothConnected(r, 'back after the thaw');
    await until(() => r!.learned.has(bill.paymentHash), 15000, 'the late preimage');
    expect(r.learned.get(bill.paymentHash)).to.equal(bill.preimage);
    expect(r.errors.filter((e) => e.code === 'RENDEZVOUS_IN_USE')).to.deep.equal([]);
    expect(r.handled.get(bill.paymentHash)).to.equal(1);
    // And the session works.
    const next = await r.merchant.createInvoice(10);
    expect(await r.consumer.requestPay(next.bolt11)).to.equal(next.preimage);
  });
});
