/**
 * A provider that lies: the in-memory relay swallows the consumer's request
 * before the real provider sees it, and a crafted answer comes back from the
 * provider's socket instead. The consumer must check what it is told.
 */
import {expect} from 'chai';
import {bech32} from '@scure/base';
import {decodeBeacon} from '../../../src/core/beacon.js';
import {aesKeyOf} from '../../../src/core/seed-keys.js';
import {BOLT11_MAX_LENGTH} from '../../../src/core/bolt11.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {utf8Encode} from '../../../src/core/bytes.js';
import {decodeFrame, encodeFrame, encryptPayload} from '../../../src/core/frame.js';
import type {Message} from '../../../src/core/message-codec.js';
import {createNotification} from '../../../src/core/message-types.js';
import type {MemorySocket} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {memoryWorld, signedInvoice, type MemoryWorld, type MemoryWorldOptions} from './memory-world.js';

type Answer = (request: Message & {request_uuid: string}) => Message | undefined;

const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a failure'), (e: MoneysocketError) => e);

/** Requests named `name` never reach the provider; `answer` replies in its place (undefined: silence). */
async function lyingProvider(name: string, answer: Answer, options: MemoryWorldOptions = {}): Promise<{w: MemoryWorld; asked: () => number}> {
  const w = await memoryWorld(options);
  const beacon = decodeBeacon(w.beacon);
  if (!beacon.ok) throw beacon.error;
  const seed = beacon.value.sharedSeed;
  const providerSocket = [...w.relay.sockets][0] as MemorySocket; // the provider connected first
  let asked = 0;
  w.relay.fault = (frame) => {
    const decoded = decodeFrame(frame, seed);
    if (!decoded.ok || (decoded.value as {request_name?: string}).request_name !== name) return 1;
    asked++;
    const reply = answer(decoded.value as Message & {request_uuid: string});
    // Encrypted by hand: our encoder refuses to send what a lying provider sends.
    if (reply !== undefined) w.relay.replay(encryptPayload(aesKeyOf(seed), utf8Encode(JSON.stringify(reply))), providerSocket);
    return 0;
  };
  return {w, asked: () => asked};
}

/** The same invoice with one signature word changed (and a valid checksum). */
function forgedSignature(bolt11: string): string {
  const decoded = bech32.decodeUnsafe(bolt11, BOLT11_MAX_LENGTH)!;
  const words = [...decoded.words];
  const at = words.length - 60; // inside r
  words[at] = (words[at]! + 1) % 32;
  return bech32.encode(decoded.prefix, words, BOLT11_MAX_LENGTH);
}

describe('a consumer facing a lying provider', function () {
  this.timeout(20000);
  let world: MemoryWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const invoiceCases: [string, (msats: number) => string, string][] = [
    ['an invoice without an amount', () => signedInvoice({msats: null}).bolt11, 'no amount'],
    ['an invoice for less than asked', (msats) => signedInvoice({msats: msats - 1}).bolt11, 'not the 1000 asked'],
    ['an invoice for more than asked', (msats) => signedInvoice({msats: msats + 1}).bolt11, 'not the 1000 asked'],
    ['an expired invoice', (msats) => signedInvoice({msats, expirySeconds: 60, timestamp: Math.floor(Date.now() / 1000) - 120}).bolt11, 'expired'],
    ['garbage', () => 'lnbc1garbage', 'unreadable'],
  ];
  for (const [name, make, why] of invoiceCases) {
    it(`refuses ${name} in answer to requestInvoice()`, async () => {
      const {w} = await lyingProvider('REQUEST_INVOICE', (r) => createNotification('NOTIFY_INVOICE', r.request_uuid, {bolt11: make(1000)}));
      world = w;
      const invoices: unknown[] = [];
      w.consumer.on('invoice', (d) => invoices.push(d));
      const error = await failure(w.consumer.requestInvoice(1000));
      expect(error.message).to.include(why);
      expect(invoices).to.have.length(0);
    });
  }

  it('drops a testnet invoice as an invalid message, and accepts nothing', async () => {
    const {w} = await lyingProvider('REQUEST_INVOICE', (r) => createNotification('NOTIFY_INVOICE', r.request_uuid, {bolt11: signedInvoice({msats: 1000, network: 'tb'}).bolt11}));
    world = w;
    const error = await failure(w.consumer.requestInvoice(1000, {timeoutMs: 100}));
    expect(error.code).to.equal('REQUEST_TIMEOUT');
    expect(w.consumerErrors.map((e) => e.reason)).to.include("doesn't look like a bolt11");
  });

  it('checks invoice signatures when asked to, and says so when it does not', async () => {
    const forged = forgedSignature(signedInvoice({msats: 1000}).bolt11);
    const checking = await lyingProvider('REQUEST_INVOICE', (r) => createNotification('NOTIFY_INVOICE', r.request_uuid, {bolt11: forged}), {consumer: {verifyInvoiceSignatures: true}});
    world = checking.w;
    const error = await failure(checking.w.consumer.requestInvoice(1000));
    expect([error.code, error.message]).to.deep.equal(['BOLT11_INVALID', 'the provider sent an invoice whose signature does not verify']);
    // A genuine one passes the same check.
    const genuine = signedInvoice({msats: 1000}).bolt11;
    checking.w.relay.fault = undefined;
    await checking.w.close();
    const honest = await lyingProvider('REQUEST_INVOICE', (r) => createNotification('NOTIFY_INVOICE', r.request_uuid, {bolt11: genuine}), {consumer: {verifyInvoiceSignatures: true}});
    world = honest.w;
    expect(await honest.w.consumer.requestInvoice(1000)).to.equal(genuine);
  });

  it('does not check signatures by default (documented): the forged invoice is accepted', async () => {
    const forged = forgedSignature(signedInvoice({msats: 1000}).bolt11);
    const {w} = await lyingProvider('REQUEST_INVOICE', (r) => createNotification('NOTIFY_INVOICE', r.request_uuid, {bolt11: forged}));
    world = w;
    expect(await w.consumer.requestInvoice(1000)).to.equal(forged);
  });

  it('refuses a preimage that does not match, and never sends that invoice again', async () => {
    const {w, asked} = await lyingProvider('REQUEST_PAY', (r) => createNotification('NOTIFY_PREIMAGE', r.request_uuid, {preimage: 'ab'.repeat(32), ext: null}));
    world = w;
    const bill = await w.merchant.createInvoice(100);
    expect((await failure(w.consumer.requestPay(bill.bolt11))).code).to.equal('PREIMAGE_MISMATCH');
    expect((await failure(w.consumer.requestPay(bill.bolt11))).code).to.equal('INVALID_ARGUMENT');
    expect(asked()).to.equal(1);
  });

  it('reports a late preimage only when it hashes to the invoice\'s payment hash', async () => {
    let request: (Message & {request_uuid: string}) | undefined;
    const {w} = await lyingProvider('REQUEST_PAY', (r) => {
      request = r;
      return undefined; // no answer in time
    });
    world = w;
    const bill = await w.merchant.createInvoice(100);
    expect((await failure(w.consumer.requestPay(bill.bolt11, {timeoutMs: 50}))).code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    const late: string[] = [];
    w.consumer.on('preimage', ({preimage}) => late.push(preimage));
    const providerSocket = [...w.relay.sockets][0] as MemorySocket;
    const send = (preimage: string) => {
      const frame = encodeFrame(createNotification('NOTIFY_PREIMAGE', request!.request_uuid, {preimage, ext: null}), seedOf(w));
      if (!frame.ok) throw frame.error;
      w.relay.replay(frame.value, providerSocket);
    };
    send('cd'.repeat(32));
    await until(() => w.consumerErrors.some((e) => e.code === 'UNMATCHED_NOTIFICATION'), 5000, 'the fake reported');
    expect(late).to.deep.equal([]);
    send(bill.preimage);
    await until(() => late.length === 1, 5000, 'the genuine late preimage');
    expect(late).to.deep.equal([bill.preimage]);
  });

  it('reads "outcome unknown" and "refused" answers for what they say about money', async () => {
    let text = 'outcome unknown: the node crashed mid-payment';
    const {w} = await lyingProvider('REQUEST_PAY', (r) => createNotification('NOTIFY_ERROR', r.request_uuid, {error_msg: text}));
    world = w;
    const first = await w.merchant.createInvoice(100);
    const unknown = await failure(w.consumer.requestPay(first.bolt11));
    expect(unknown.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    expect((await failure(w.consumer.requestPay(first.bolt11))).code).to.equal('INVALID_ARGUMENT');
    text = 'refused: over budget';
    const second = await w.merchant.createInvoice(100);
    expect((await failure(w.consumer.requestPay(second.bolt11))).code).to.equal('REQUEST_REFUSED');
    expect((await failure(w.consumer.requestPay(second.bolt11))).code).to.equal('REQUEST_REFUSED'); // sent again
  });
});

function seedOf(w: MemoryWorld) {
  const beacon = decodeBeacon(w.beacon);
  if (!beacon.ok) throw beacon.error;
  return beacon.value.sharedSeed;
}
