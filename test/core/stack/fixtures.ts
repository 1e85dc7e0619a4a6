/** Shared set-up for the stack tests: a relay process, a provider wallet, a merchant. */
import {createBeacon, encodeBeacon} from '../../../src/core/beacon.js';
import {parseWebSocketUrl} from '../../../src/core/location.js';
import {ConsumerStack, type ConsumerStackOptions} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack, type ProviderStackOptions} from '../../../src/core/stack/provider-stack.js';
import type {StackState} from '../../../src/core/stack/stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {startTestRelay, testSocketFactory, until, type TestRelay} from '../../support/relay.js';

export interface World {
  relay: TestRelay;
  beacon: string;
  network: InMemoryDemoNetwork;
  wallet: DemoLedger;
  merchant: DemoLedger;
  provider: ProviderStack;
  consumer: ConsumerStack;
  consumerErrors: MoneysocketError[];
  providerErrors: MoneysocketError[];
  close(): Promise<void>;
}

export function beaconFor(url: string): string {
  const location = parseWebSocketUrl(url);
  if (!location.ok) throw location.error;
  return encodeBeacon(createBeacon([location.value]));
}

/** A provider stack serving `wallet`: invoices from it, payments out of it. */
export async function walletProvider(wallet: DemoLedger, options: ProviderStackOptions = {}): Promise<ProviderStack> {
  const provider: ProviderStack = new ProviderStack({
    webSocket: await testSocketFactory(),
    providerInfo: {payer: true, payee: true, wad: bitcoinWad(wallet.balanceMsats)},
    handleInvoiceRequest: async ({msats}) => (await wallet.createInvoice(msats)).bolt11,
    handlePayRequest: async ({bolt11}) => wallet.pay(bolt11),
    backoff: {initialMs: 50, maxMs: 500},
    ...options,
  });
  return provider;
}

export async function makeConsumer(options: ConsumerStackOptions = {}): Promise<ConsumerStack> {
  return new ConsumerStack({webSocket: await testSocketFactory(), backoff: {initialMs: 50, maxMs: 500}, ...options});
}

export async function world(options: {provider?: ProviderStackOptions; consumer?: ConsumerStackOptions; connect?: boolean; relayArgs?: string[]} = {}): Promise<World> {
  const relay = await startTestRelay(options.relayArgs);
  const network = new InMemoryDemoNetwork();
  const wallet = new DemoLedger({id: 'wallet', balanceMsats: 10_000_000, network});
  const merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
  network.listen('wallet', (invoice) => wallet.credit(invoice.msats));
  network.listen('merchant', (invoice) => merchant.credit(invoice.msats));
  const provider = await walletProvider(wallet, options.provider);
  const consumer = await makeConsumer(options.consumer);
  const consumerErrors: MoneysocketError[] = [];
  const providerErrors: MoneysocketError[] = [];
  consumer.on('error', ({error}) => consumerErrors.push(error));
  provider.on('error', ({error}) => providerErrors.push(error));
  const beacon = beaconFor(relay.url);
  const w: World = {
    relay, beacon, network, wallet, merchant, provider, consumer, consumerErrors, providerErrors,
    close: async () => {
      await consumer.disconnect();
      await provider.disconnect();
      await relay.stop();
    },
  };
  if (options.connect !== false) {
    await provider.connect(beacon);
    await consumer.connect(beacon);
  }
  return w;
}

export function states(stack: {on(type: 'state', l: (d: {state: StackState}) => void): () => void}): StackState[] {
  const seen: StackState[] = [];
  stack.on('state', ({state}) => seen.push(state));
  return seen;
}

export {until};
