/**
 * The rules that keep money from moving twice, each reproduced as the attack
 * or accident that broke it: wallets answering in other encodings, failures
 * read as refusals, one invoice under several request uuids, replayed
 * frames, lost answers. Driven through the in-memory relay.
 */
import {expect} from 'chai';
import {base64, base64url} from '@scure/base';
import {fromHex} from '../../../src/core/bytes.js';
import {rendezvousIdOf} from '../../../src/core/seed-keys.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {decodeFrame, encodeFrame} from '../../../src/core/frame.js';
import type {Message} from '../../../src/core/message-codec.js';
import {createNotification, createRequest} from '../../../src/core/message-types.js';
import {decodeBeacon} from '../../../src/core/beacon.js';
import {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack} from '../../../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {MemoryStorage} from '../../../src/core/stack/storage.js';
import type {MemorySocket} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {memoryWorld, signedInvoice, type MemoryWorld} from './memory-world.js';

function bytes(hex: string): Uint8Array {
  const decoded = fromHex(hex);
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}

const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a failure'), (e: MoneysocketError) => e);

function seedOf(w: MemoryWorld) {
  const beacon = decodeBeacon(w.beacon);
  if (!beacon.ok) throw beacon.error;
  return beacon.value.sharedSeed;
}

/** The consumer's socket at the relay, to inject frames as if it sent them. */
function consumerSocket(w: MemoryWorld): MemorySocket {
  const seed = seedOf(w);
  const entry = [...w.relay.sent].reverse().find(({frame}) => {
    const decoded = decodeFrame(frame, seed);
    return decoded.ok && decoded.value.message_class === 'REQUEST' && (decoded.value as {request_name?: string}).request_name === 'REQUEST_PROVIDER';
  });
  if (entry === undefined) throw new Error('the consumer has not sent REQUEST_PROVIDER yet');
  return entry.from;
}

function inject(w: MemoryWorld, message: Message): void {
  const frame = encodeFrame(message, seedOf(w));
  if (!frame.ok) throw frame.error;
  w.relay.replay(frame.value, consumerSocket(w));
}

/** Frames the consumer sent that decode to `name`. */
function sentFrames(w: MemoryWorld, name: string): {frame: Uint8Array; message: Message}[] {
  const seed = seedOf(w);
  return w.relay.sent.flatMap(({frame}) => {
    const decoded = decodeFrame(frame, seed);
    return decoded.ok && (decoded.value as {request_name?: string}).request_name === name ? [{frame, message: decoded.value}] : [];
  });
}

/** A second consumer app on the same beacon, after the first has left. */
async function secondConsumer(w: MemoryWorld): Promise<ConsumerStack> {
  await w.consumer.disconnect();
  await until(() => w.provider.state === 'waiting-for-peer', 5000, 'provider waiting again');
  const next = new ConsumerStack({webSocket: w.relay.socketFactory, backoff: {initialMs: 50, maxMs: 500}});
  await next.connect(w.beacon);
  return next;
}

describe('money rules', function () {
  this.timeout(20000);
  let w: MemoryWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  describe('what a wallet returns', () => {
    const encodings: [string, (hex: string) => unknown][] = [
      ['upper-case hex', (hex) => hex.toUpperCase()],
      ['0x-prefixed hex', (hex) => `0x${hex}`],
      ['base64 (LND REST)', (hex) => base64.encode(bytes(hex))],
      ['base64url without padding', (hex) => base64url.encode(bytes(hex)).replace(/=+$/, '')],
      ['bytes', (hex) => bytes(hex)],
    ];
    for (const [name, encode] of encodings) {
      it(`takes a preimage in ${name} and answers it in lower-case hex`, async () => {
        w = await memoryWorld({provider: {handlePayRequest: async ({bolt11}) => encode(await w!.wallet.pay(bolt11))}});
        const bill = await w.merchant.createInvoice(1000);
        expect(await w.consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
      });
    }

    it('answers "outcome unknown" when the wallet paid but its preimage does not match, and never pays that invoice again', async () => {
      let calls = 0;
      w = await memoryWorld({provider: {handlePayRequest: async ({bolt11}) => {
        calls++;
        await w!.wallet.pay(bolt11);
        return 'ab'.repeat(32); // the wallet paid, then returned the wrong preimage
      }}});
      const bill = await w.merchant.createInvoice(1000);
      const first = await failure(w.consumer.requestPay(bill.bolt11));
      expect(first.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
      expect(w.providerErrors.map((e) => e.code)).to.include('PREIMAGE_MISMATCH');
      // The app's retry is refused here, before anything is sent...
      expect((await failure(w.consumer.requestPay(bill.bolt11))).code).to.equal('INVALID_ARGUMENT');
      // ...and another app on the same beacon is told "unknown" without the wallet being asked.
      const other = await secondConsumer(w);
      try {
        expect((await failure(other.requestPay(bill.bolt11))).code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
      } finally {
        await other.disconnect();
      }
      expect(calls).to.equal(1);
      expect(w.merchant.balanceMsats).to.equal(1000);
    });

    it('answers a hash already paid with its preimage, whatever the request uuid, without paying again', async () => {
      w = await memoryWorld();
      const bill = await w.merchant.createInvoice(700);
      expect(await w.consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
      const other = await secondConsumer(w);
      try {
        expect(await other.requestPay(bill.bolt11)).to.equal(bill.preimage);
      } finally {
        await other.disconnect();
      }
      expect(w.payCalls).to.have.length(1);
      expect(w.merchant.balanceMsats).to.equal(700);
    });

    it('answers a hash being paid as unknown, then delivers the first answer to whoever holds the beacon', async () => {
      let release: () => void = () => undefined;
      w = await memoryWorld({provider: {handlePayRequest: async ({bolt11}) => {
        await new Promise<void>((resolve) => (release = resolve));
        return w!.wallet.pay(bolt11);
      }}});
      const bill = await w.merchant.createInvoice(900);
      const asked = w.provider.once('pay-request');
      const first = failure(w.consumer.requestPay(bill.bolt11));
      await asked;
      const other = await secondConsumer(w);
      try {
        expect((await first).code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
        const second = await failure(other.requestPay(bill.bolt11));
        expect(second.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
        expect(second.message).to.match(/earlier request/);
        const late = other.once('preimage');
        release();
        const {preimage, late: isLate} = await late;
        expect(preimage).to.equal(bill.preimage);
        expect(isLate).to.equal(true);
      } finally {
        await other.disconnect();
      }
      expect(w.merchant.balanceMsats).to.equal(900);
    });
  });

  describe('what ends an attempt, for the consumer', () => {
    it('sends an invoice again after a definite refusal, and only then', async () => {
      let refuse = true;
      w = await memoryWorld({provider: {handlePayRequest: async ({bolt11}) => {
        if (refuse) throw new MoneysocketError('REQUEST_REFUSED', 'the owner said no');
        return w!.wallet.pay(bolt11);
      }}});
      const bill = await w.merchant.createInvoice(500);
      const refused = await failure(w.consumer.requestPay(bill.bolt11));
      expect(refused.code).to.equal('REQUEST_REFUSED');
      expect(refused.message).to.equal('the provider refused: the owner said no');
      refuse = false;
      expect(await w.consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
    });

    it('never sends an invoice again after a failure that does not say nothing moved', async () => {
      let calls = 0;
      w = await memoryWorld({provider: {handlePayRequest: () => {
        calls++;
        throw new Error('route timed out');
      }}});
      const bill = await w.merchant.createInvoice(500);
      const failed = await failure(w.consumer.requestPay(bill.bolt11));
      expect(failed.code).to.equal('PAYMENT_FAILED');
      expect(failed.reason).to.equal('route timed out');
      expect((await failure(w.consumer.requestPay(bill.bolt11))).code).to.equal('INVALID_ARGUMENT');
      expect(calls).to.equal(1);
      expect(sentFrames(w, 'REQUEST_PAY')).to.have.length(1);
    });

    it('frees an invoice that never left (not connected)', async () => {
      w = await memoryWorld({connect: false});
      const bill = await w.merchant.createInvoice(300);
      expect((await failure(w.consumer.requestPay(bill.bolt11))).code).to.equal('NOT_CONNECTED');
      await w.provider.connect(w.beacon);
      await w.consumer.connect(w.beacon);
      expect(await w.consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
    });
  });

  describe('checks before paying', () => {
    it('never sends an expired, testnet or amount-less invoice', async () => {
      w = await memoryWorld();
      const expired = signedInvoice({msats: 1000, expirySeconds: 60, timestamp: Math.floor(Date.now() / 1000) - 61});
      const testnet = signedInvoice({msats: 1000, network: 'tb'});
      const amountless = signedInvoice({msats: null});
      const e1 = await failure(w.consumer.requestPay(expired.bolt11));
      expect([e1.code, e1.message]).to.deep.equal(['BOLT11_INVALID', 'the invoice has expired']);
      const e2 = await failure(w.consumer.requestPay(testnet.bolt11));
      expect(e2.code).to.equal('BOLT11_INVALID');
      expect(e2.message).to.match(/mainnet/);
      expect((await failure(w.consumer.requestPay(amountless.bolt11))).code).to.equal('AMOUNT_INVALID');
      expect(sentFrames(w, 'REQUEST_PAY')).to.have.length(0);
    });

    it('refuses, at the provider, amount-less and expired invoices without asking the wallet', async () => {
      w = await memoryWorld();
      const answers = collectAnswers(w);
      for (const bill of [signedInvoice({msats: null}), signedInvoice({msats: 1000, expirySeconds: 1, timestamp: Math.floor(Date.now() / 1000) - 10})]) {
        inject(w, createRequest('REQUEST_PAY', {bolt11: bill.bolt11}));
      }
      await until(() => answers.length === 2, 5000, 'two answers');
      expect(answers.map((a) => a.notification)).to.deep.equal(['NOTIFY_ERROR', 'NOTIFY_ERROR']);
      expect(answers.map((a) => a.errorMessage)).to.deep.equal(['refused: bolt11 does not specify amount', 'refused: the invoice has expired']);
      expect(w.payCalls).to.have.length(0);
    });

    it('makes no invoice for an app it is not payee for, and pays none for an app it is not payer for', async () => {
      w = await memoryWorld({provider: {providerInfo: {payer: false, payee: false, wad: bitcoinWad(5000)}}});
      const invoice = await failure(w.consumer.requestInvoice(1000));
      expect(invoice.code).to.equal('REQUEST_REFUSED');
      const pay = await failure(w.consumer.requestPay((await w.merchant.createInvoice(10)).bolt11));
      expect(pay.code).to.equal('REQUEST_REFUSED');
      expect(w.invoiceCalls).to.have.length(0);
      expect(w.payCalls).to.have.length(0);
    });
  });

  describe('checks of the invoices a wallet makes', () => {
    const cases: [string, (msats: number) => unknown][] = [
      ['a garbage string', () => 'lnbc-not-an-invoice'],
      ['a non-string', () => 42],
      ['an invoice for another amount', (msats) => signedInvoice({msats: msats + 1}).bolt11],
      ['an invoice without an amount', () => signedInvoice({msats: null}).bolt11],
      ['a testnet invoice', (msats) => signedInvoice({msats, network: 'tb'}).bolt11],
    ];
    for (const [name, make] of cases) {
      it(`never sends ${name} as NOTIFY_INVOICE`, async () => {
        w = await memoryWorld({provider: {handleInvoiceRequest: ({msats}) => make(msats) as string}});
        const answers = collectAnswers(w);
        const error = await failure(w.consumer.requestInvoice(1000));
        expect(error.code).to.equal('REQUEST_FAILED');
        expect(answers.map((a) => a.notification)).to.deep.equal(['NOTIFY_ERROR']);
      });
    }
  });

  describe('replays', () => {
    it('never acts on a recorded pay request again, even after 10,001 other requests', async () => {
      const cheap = signedInvoice({msats: 1}).bolt11;
      w = await memoryWorld({provider: {handleInvoiceRequest: () => cheap}});
      const bill = await w.merchant.createInvoice(100);
      await w.consumer.requestPay(bill.bolt11);
      const recorded = sentFrames(w, 'REQUEST_PAY')[0]!.frame;
      await Promise.all(Array.from({length: 10_001}, () => w!.consumer.requestInvoice(1)));
      const errorsBefore = w.providerErrors.length;
      w.relay.replay(recorded, consumerSocket(w));
      await until(() => w!.providerErrors.length > errorsBefore, 5000, 'the replay reported');
      expect(w.providerErrors.at(-1)!.message).to.match(/already received/);
      expect(w.payCalls).to.have.length(1);
    });

    it('compares request uuids canonically: an upper-cased replay is a replay', async () => {
      w = await memoryWorld({provider: {handlePayRequest: async () => {
        await new Promise(() => undefined); // never ends: only the count matters
      }}});
      const bill = await w.merchant.createInvoice(100);
      let calls = 0;
      w.provider.on('pay-request', () => calls++);
      void w.consumer.requestPay(bill.bolt11).catch(() => undefined);
      await until(() => calls === 1, 5000, 'pay asked');
      const original = sentFrames(w, 'REQUEST_PAY')[0]!.message as Message & {request_uuid: string};
      inject(w, {...original, request_uuid: original.request_uuid.toUpperCase()} as Message);
      await until(() => w!.providerErrors.some((e) => /already received/.test(e.message)), 5000, 'the replay reported');
      expect(calls).to.equal(1);
    });

    it('refuses requests stamped outside the replay window, either way', async () => {
      w = await memoryWorld();
      const answers = collectAnswers(w);
      const bill = await w.merchant.createInvoice(100);
      const now = Date.now() / 1000;
      inject(w, createRequest('REQUEST_PAY', {bolt11: bill.bolt11}, {timestamp: now - 11 * 60}));
      inject(w, createRequest('REQUEST_PAY', {bolt11: bill.bolt11}, {timestamp: now + 11 * 60}));
      await until(() => answers.length === 2, 5000, 'two answers');
      expect(answers.map((a) => a.errorMessage)).to.satisfy((texts: string[]) => texts.every((t) => /^refused: .*replay window/.test(t)));
      expect(answers[0]!.errorMessage).to.match(/in the past/);
      expect(answers[1]!.errorMessage).to.match(/in the future/);
      expect(w.payCalls).to.have.length(0);
    });

    it('remembers, given a storage, what it paid and what it saw across a restart', async () => {
      const storage = new MemoryStorage();
      w = await memoryWorld({provider: {storage}});
      const bill = await w.merchant.createInvoice(100);
      await w.consumer.requestPay(bill.bolt11);
      const recorded = sentFrames(w, 'REQUEST_PAY')[0]!.frame;
      // The wallet page reloads: a new provider stack over the same storage and beacon.
      await w.provider.disconnect();
      let calls = w.payCalls.length;
      const restarted = new ProviderStack({
        webSocket: w.relay.socketFactory,
        storage,
        providerInfo: {payer: true, payee: true, wad: bitcoinWad(1_000_000)},
        handlePayRequest: ({bolt11}) => {
          calls++;
          return w!.wallet.pay(bolt11);
        },
      });
      const errors: MoneysocketError[] = [];
      restarted.on('error', ({error}) => errors.push(error));
      try {
        await restarted.connect(w.beacon);
        await until(() => w!.consumer.state === 'connected' && restarted.state === 'connected', 10000, 'reconnected');
        w.relay.replay(recorded, consumerSocket(w));
        await until(() => errors.some((e) => /already received/.test(e.message)), 5000, 'the replay refused');
        // A fresh request for the same invoice is answered from the ledger, not paid again.
        const other = await secondConsumerFor(w, restarted);
        try {
          expect(await other.requestPay(bill.bolt11)).to.equal(bill.preimage);
        } finally {
          await other.disconnect();
        }
      } finally {
        await restarted.disconnect();
      }
      expect(calls).to.equal(1);
      expect(w.merchant.balanceMsats).to.equal(100);
    });
  });

  describe('answers lost with a connection', () => {
    it('delivers a payment that completed while the relay was gone, after the next handshake', async () => {
      let release: () => void = () => undefined;
      w = await memoryWorld({provider: {handlePayRequest: async ({bolt11}) => {
        await new Promise<void>((resolve) => (release = resolve));
        return w!.wallet.pay(bolt11);
      }}});
      const bill = await w.merchant.createInvoice(800);
      const asked = w.provider.once('pay-request');
      const paying = failure(w.consumer.requestPay(bill.bolt11));
      await asked;
      const late = w.consumer.once('preimage');
      w.relay.down = true;
      w.relay.cutAll();
      expect((await paying).code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
      release(); // the wallet finishes while nobody is connected
      await new Promise((r) => setTimeout(r, 100));
      w.relay.down = false;
      const answer = await late;
      expect(answer).to.include({preimage: bill.preimage, late: true, bolt11: bill.bolt11});
      expect((await failure(w.consumer.requestPay(bill.bolt11))).message).to.match(/already paid/);
      expect(w.merchant.balanceMsats).to.equal(800);
    });

    it('keeps notifyInvoicePaid() for a consumer that is away, and reports each paid invoice once', async () => {
      w = await memoryWorld();
      const bolt11 = await w.consumer.requestInvoice(2000);
      const received: string[] = [];
      w.consumer.on('payment-received', ({bolt11: paid}) => received.push(paid));
      w.relay.down = true;
      w.relay.cutAll();
      await until(() => w!.provider.state !== 'connected', 5000, 'provider cut off');
      const {preimage} = await w.network.settle(bolt11, 'merchant');
      expect(w.provider.notifyInvoicePaid(preimage).ok).to.equal(true);
      w.relay.down = false;
      await until(() => received.length === 1, 10000, 'the notice after the handshake');
      // Another reconnection re-sends the outbox; the app is not told twice.
      w.relay.cutAll();
      await until(() => w!.consumer.state === 'connected' && w!.provider.state === 'connected', 10000, 'reconnected');
      await new Promise((r) => setTimeout(r, 100));
      expect(received).to.deep.equal([bolt11]);
    });
  });

  describe('payment-received', () => {
    it('fires only for invoices this consumer obtained; others are reported unmatched', async () => {
      w = await memoryWorld();
      const received: unknown[] = [];
      w.consumer.on('payment-received', (d) => received.push(d));
      const stranger = signedInvoice({msats: 1000});
      w.provider.notifyInvoicePaid(stranger.preimage);
      await until(() => w!.consumerErrors.some((e) => e.code === 'UNMATCHED_NOTIFICATION'), 5000, 'unmatched reported');
      expect(received).to.have.length(0);
    });
  });

  describe('forged rendezvous end', () => {
    it('keeps a healthy session when the peer sends NOTIFY_RENDEZVOUS_END itself', async () => {
      let release: () => void = () => undefined;
      w = await memoryWorld({provider: {handlePayRequest: async ({bolt11}) => {
        await new Promise<void>((resolve) => (release = resolve));
        return w!.wallet.pay(bolt11);
      }}});
      const bill = await w.merchant.createInvoice(600);
      const asked = w.provider.once('pay-request');
      const paying = w.consumer.requestPay(bill.bolt11);
      await asked;
      const forged = encodeFrame(createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: rendezvousIdOf(seedOf(w))}), null);
      if (!forged.ok) throw forged.error;
      // The provider forges an end towards the consumer, the consumer towards the provider.
      w.relay.replay(forged.value, consumerSocket(w));
      const providerSocket = w.relay.sent.find(({from}) => from !== consumerSocket(w!))!.from;
      w.relay.replay(forged.value, providerSocket);
      await new Promise((r) => setTimeout(r, 50));
      expect(w.consumer.state).to.equal('connected');
      expect(w.provider.state).to.equal('connected');
      release();
      expect(await paying).to.equal(bill.preimage);
    });
  });
});

function collectAnswers(w: MemoryWorld): {notification: string; errorMessage?: string}[] {
  const answers: {notification: string; errorMessage?: string}[] = [];
  w.provider.on('answered', (a) => answers.push(a));
  return answers;
}

async function secondConsumerFor(w: MemoryWorld, provider: {state: string}): Promise<ConsumerStack> {
  await w.consumer.disconnect();
  await until(() => provider.state === 'waiting-for-peer', 5000, 'provider waiting again');
  const next = new ConsumerStack({webSocket: w.relay.socketFactory});
  await next.connect(w.beacon);
  return next;
}
