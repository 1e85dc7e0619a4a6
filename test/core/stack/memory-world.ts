/**
 * A consumer and a provider talking through the in-memory relay, under a
 * fake clock when a test needs one: every timer the stacks use is then the
 * test's to advance, and no real time passes.
 */
import FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;
import {secp256k1} from '@noble/curves/secp256k1.js';
import {decodeBeacon} from '../../../src/core/beacon.js';
import {toHex} from '../../../src/core/bytes.js';
import {decodeFrame} from '../../../src/core/frame.js';
import {messageName, type Message} from '../../../src/core/message-codec.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {ConsumerStack, type ConsumerStackOptions} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack, type PayRequest, type ProviderStackOptions} from '../../../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';
import {createSignedInvoice, newPreimage} from '../../../src/testing/invoice-signer.js';
import {MemoryRelay} from '../../support/memory-relay.js';
import {beaconFor} from './fixtures.js';

export interface MemoryWorld {
  relay: MemoryRelay;
  beacon: string;
  network: InMemoryDemoNetwork;
  wallet: DemoLedger;
  merchant: DemoLedger;
  provider: ProviderStack;
  consumer: ConsumerStack;
  /** Every pay request the provider's handler was asked to pay. */
  payCalls: PayRequest[];
  invoiceCalls: number[];
  consumerErrors: MoneysocketError[];
  providerErrors: MoneysocketError[];
  close(): Promise<void>;
}

export interface MemoryWorldOptions {
  provider?: ProviderStackOptions;
  consumer?: ConsumerStackOptions;
  connect?: boolean;
}

export async function memoryWorld(options: MemoryWorldOptions = {}): Promise<MemoryWorld> {
  const relay = new MemoryRelay();
  const network = new InMemoryDemoNetwork();
  const wallet = new DemoLedger({id: 'wallet', balanceMsats: 10_000_000, network});
  const merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
  network.listen('wallet', (invoice) => wallet.credit(invoice.msats));
  network.listen('merchant', (invoice) => merchant.credit(invoice.msats));
  const payCalls: PayRequest[] = [];
  const invoiceCalls: number[] = [];
  const provider = new ProviderStack({
    webSocket: relay.socketFactory,
    providerInfo: {payer: true, payee: true, wad: bitcoinWad(wallet.balanceMsats)},
    handleInvoiceRequest: async ({msats}) => {
      invoiceCalls.push(msats);
      return (await wallet.createInvoice(msats)).bolt11;
    },
    handlePayRequest: async (request) => {
      payCalls.push(request);
      return wallet.pay(request.bolt11);
    },
    backoff: {initialMs: 50, maxMs: 500},
    ...options.provider,
  });
  const consumer = new ConsumerStack({webSocket: relay.socketFactory, backoff: {initialMs: 50, maxMs: 500}, ...options.consumer});
  const consumerErrors: MoneysocketError[] = [];
  const providerErrors: MoneysocketError[] = [];
  consumer.on('error', ({error}) => consumerErrors.push(error));
  provider.on('error', ({error}) => providerErrors.push(error));
  const beacon = beaconFor('ws://127.0.0.1:1');
  const world: MemoryWorld = {
    relay, beacon, network, wallet, merchant, provider, consumer, payCalls, invoiceCalls, consumerErrors, providerErrors,
    close: async () => {
      await consumer.disconnect();
      await provider.disconnect();
    },
  };
  if (options.connect !== false) {
    await provider.connect(beacon);
    await consumer.connect(beacon);
  }
  return world;
}

/** Fakes the timers and the clock (starting now) for the length of `run`. */
export async function withFakeClock<T>(run: (clock: InstalledClock) => Promise<T>): Promise<T> {
  const clock = FakeTimers.install({now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance']});
  try {
    return await run(clock);
  } finally {
    clock.uninstall();
  }
}

/** Lets every queued microtask run (frames in the memory relay travel on them). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Lets queued microtasks run until `check` holds (bounded). */
export async function settleUntil(check: () => boolean, what: string): Promise<void> {
  for (let round = 0; !check(); round++) {
    if (round >= 200) throw new Error(`gave up waiting for ${what}`);
    await settle();
  }
}

/** A signed invoice from a throwaway node, with the options a rule is about. */
export function signedInvoice(options: {msats: number | null; network?: 'bc' | 'bcrt' | 'tb'; expirySeconds?: number; timestamp?: number}): {bolt11: string; preimage: string; paymentHash: string} {
  const {preimage, paymentHash} = newPreimage();
  const bolt11 = createSignedInvoice({privateKey: secp256k1.utils.randomSecretKey(), paymentHash, ...options});
  return {bolt11, preimage: toHex(preimage), paymentHash: toHex(paymentHash)};
}

/** The message in a frame a client sent, decrypted with the beacon's seed; undefined when it does not decode. */
export function decodeSent(w: MemoryWorld, frame: Uint8Array): Message | undefined {
  const beacon = decodeBeacon(w.beacon);
  if (!beacon.ok) return undefined;
  const decoded = decodeFrame(frame, beacon.value.sharedSeed);
  return decoded.ok ? decoded.value : undefined;
}

/** The name of the message in a frame a client sent, or undefined when it does not decode. */
export function messageNameOf(w: MemoryWorld, frame: Uint8Array): string | undefined {
  const message = decodeSent(w, frame);
  return message === undefined ? undefined : messageName(message);
}

/** Records what settles a promise, without awaiting it. */
export function track<T>(promise: Promise<T>): {settled: boolean; value?: T; error?: MoneysocketError} {
  const state: {settled: boolean; value?: T; error?: MoneysocketError} = {settled: false};
  promise.then(
    (value) => Object.assign(state, {settled: true, value}),
    (error: MoneysocketError) => Object.assign(state, {settled: true, error}),
  );
  return state;
}
