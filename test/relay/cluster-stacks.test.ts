/**
 * Consumer and provider stacks on two relay nodes of a cluster: a whole
 * session across nodes, and the node holding the provider killed (SIGKILL)
 * mid-payment, 20 times. Each time the consumer's node ends the session
 * (RENDEZVOUS_END) within the claim expiry, both stacks are back in session
 * through the surviving node (the provider moving on to the beacon's next
 * location), the payment in flight ends PAYMENT_OUTCOME_UNKNOWN and the
 * wallet pays it once, and the app learns its preimage.
 */
import {expect} from 'chai';
import {createBeacon, encodeBeacon} from '../../src/core/beacon.js';
import type {MoneysocketError} from '../../src/core/errors.js';
import {parseWebSocketUrl} from '../../src/core/location.js';
import {SharedSeed} from '../../src/core/seed.js';
import type {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import type {ProviderStack} from '../../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../../src/core/wad.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {makeConsumer, until, walletProvider} from '../core/stack/fixtures.js';
import {CLUSTER_WAIT_MS, crossPair, health, startCluster, type TestCluster} from './cluster-helpers.js';
import {terminateClients, within} from './helpers.js';

const CLAIM_TTL_MS = 1500;
const FAST = {backoff: {initialMs: 50, maxMs: 300}, openTimeoutMs: 2000};

/** One seed, its locations in the order given: both sides share the rendezvous id, each starts on its own node. */
function beacon(seed: SharedSeed, ...urls: string[]): string {
  return encodeBeacon(createBeacon(urls.map((url) => {
    const location = parseWebSocketUrl(url);
    if (!location.ok) throw location.error;
    return location.value;
  }), seed));
}

interface Money {
  network: InMemoryDemoNetwork;
  wallet: DemoLedger;
  merchant: DemoLedger;
  /** How many times the wallet's pay handler ran, by payment hash. */
  handled: Map<string, number>;
  gate: {hold: boolean; waiting: Array<() => void>};
}

function money(): Money {
  const network = new InMemoryDemoNetwork();
  const wallet = new DemoLedger({id: 'wallet', balanceMsats: 100_000_000, network});
  const merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
  network.listen('wallet', (invoice) => wallet.credit(invoice.msats));
  network.listen('merchant', (invoice) => merchant.credit(invoice.msats));
  return {network, wallet, merchant, handled: new Map(), gate: {hold: false, waiting: []}};
}

function release(gate: Money['gate']): void {
  gate.hold = false;
  for (const resolve of gate.waiting.splice(0)) resolve();
}

async function stacks(m: Money): Promise<{provider: ProviderStack; consumer: ConsumerStack}> {
  const provider = await walletProvider(m.wallet, {
    ...FAST,
    handlePayRequest: async ({bolt11, invoice}) => {
      m.handled.set(invoice.paymentHash, (m.handled.get(invoice.paymentHash) ?? 0) + 1);
      if (m.gate.hold) await new Promise<void>((resolve) => m.gate.waiting.push(resolve));
      return m.wallet.pay(bolt11);
    },
  });
  const consumer = await makeConsumer(FAST);
  return {provider, consumer};
}

describe('stacks on a relay cluster (two relay processes on Redis)', function () {
  this.timeout(180000);
  let cluster: TestCluster;
  let A: string, B: string;
  let open: Array<ConsumerStack | ProviderStack> = [];

  before(async () => {
    cluster = await startCluster(['node-a', 'node-b'], CLAIM_TTL_MS);
    [A, B] = cluster.nodes.map((n) => n.url) as [string, string];
  });
  after(async () => {
    await cluster?.stop();
  });
  afterEach(async () => {
    terminateClients();
    await Promise.all(open.map((s) => s.disconnect()));
    open = [];
  });

  it('runs a whole session with the consumer on node A and the provider on node B', async () => {
    const m = money();
    const {provider, consumer} = await stacks(m);
    open = [provider, consumer];
    const seed = SharedSeed.generate();
    await provider.connect(beacon(seed, B, A));
    await consumer.connect(beacon(seed, A, B));
    await until(() => provider.state === 'connected', CLUSTER_WAIT_MS, 'provider connected');
    // One connection on each node, paired across.
    const [onA, onB] = await Promise.all([health(A), health(B)]);
    expect([onA.connections, onA.pairs, onB.connections, onB.pairs]).to.deep.equal([1, 1, 1, 1]);
    expect(consumer.providerInfo?.wad?.msats).to.equal(100_000_000);

    expect(await consumer.ping()).to.be.a('number');
    const bolt11 = await consumer.requestInvoice(2500);
    const received = consumer.once('payment-received');
    const {preimage: settled} = await m.network.settle(bolt11, 'merchant');
    expect(provider.notifyInvoicePaid(settled).ok).to.equal(true);
    expect((await received).preimage).to.equal(settled);

    const bill = await m.merchant.createInvoice(4000);
    expect(await consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
    expect(m.merchant.balanceMsats).to.equal(4000);

    const update = consumer.once('provider-info');
    expect(provider.setProviderInfo({payer: true, payee: true, wad: bitcoinWad(m.wallet.balanceMsats)}).ok).to.equal(true);
    expect((await update).providerInfo.wad?.msats).to.equal(100_000_000 + 2500 - 4000);
    expect(await consumer.ping()).to.be.a('number');
  });

  it('kills node B mid-payment 20 times: END on A within the claim expiry, both back through A, paid once', async () => {
    const m = money();
    const outcomes: string[] = [];
    let total = 0;
    for (let cycle = 0; cycle < 20; cycle++) {
      const {provider, consumer} = await stacks(m);
      open = [provider, consumer];
      const learned = new Map<string, string>();
      consumer.on('preimage', ({preimage, bolt11}) => learned.set(bolt11, preimage));
      const switched: string[] = [];
      provider.on('location', ({url}) => switched.push(url));
      const seed = SharedSeed.generate();
      await provider.connect(beacon(seed, B, A));
      await consumer.connect(beacon(seed, A, B));
      await until(() => provider.state === 'connected', CLUSTER_WAIT_MS, `cycle ${cycle}: provider connected`);
      // A bare pair across the same two nodes, to watch RENDEZVOUS_END itself.
      const watch = await crossPair(A, B);

      const bill = await m.merchant.createInvoice(1000 + cycle);
      total += 1000 + cycle;
      m.gate.hold = true;
      const asked = provider.once('pay-request');
      const paying = consumer.requestPay(bill.bolt11).then(() => 'paid', (error: MoneysocketError) => error.code);
      await asked;
      await cluster.nodes[1]!.relay.kill();
      const killed = Date.now();
      await within(watch.a.notification('NOTIFY_RENDEZVOUS_END'), `cycle ${cycle}: END on node A within the claim expiry`, CLAIM_TTL_MS);
      await within(until(() => consumer.state !== 'connected', CLAIM_TTL_MS), `cycle ${cycle}: the consumer's session ended`, Math.max(100, CLAIM_TTL_MS - (Date.now() - killed)));
      outcomes.push(await paying);
      release(m.gate);

      await until(() => consumer.state === 'connected' && provider.state === 'connected', CLUSTER_WAIT_MS, `cycle ${cycle}: back in session`);
      expect(switched, `cycle ${cycle}: the provider moved to A`).to.deep.equal([A]);
      await until(() => learned.has(bill.bolt11), CLUSTER_WAIT_MS, `cycle ${cycle}: the late preimage`);
      expect(learned.get(bill.bolt11)).to.equal(bill.preimage);
      // The session through A works.
      expect(await consumer.ping()).to.be.a('number');

      terminateClients();
      await Promise.all(open.map((s) => s.disconnect()));
      open = [];
      await cluster.nodes[1]!.relay.restart();
    }
    expect(outcomes).to.deep.equal(Array(20).fill('PAYMENT_OUTCOME_UNKNOWN'));
    expect([...m.handled.values()]).to.deep.equal(Array(20).fill(1));
    expect(m.merchant.balanceMsats).to.equal(total);
  });
});
