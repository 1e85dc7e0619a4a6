import {expect} from 'chai';
import {decodeBolt11} from '../../../src/core/bolt11.js';
import {encodeFrame, encryptPayload} from '../../../src/core/frame.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {createNotification, createRequest, isNotification, isRequest} from '../../../src/core/message-types.js';
import {decodeBeacon} from '../../../src/core/beacon.js';
import {SharedSeed} from '../../../src/core/seed.js';
import {aesKeyOf} from '../../../src/core/seed-keys.js';
import {utf8Encode} from '../../../src/core/bytes.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {RawPeer} from '../../support/raw-peer.js';
import {makeConsumer, until, world, type World} from './fixtures.js';
import type {ConsumerStackOptions} from '../../../src/core/stack/consumer-stack.js';

function seedOf(beacon: string): SharedSeed {
  const decoded = decodeBeacon(beacon);
  if (!decoded.ok) throw decoded.error;
  return decoded.value.sharedSeed;
}

describe('stacks under faults and hostile peers', function () {
  this.timeout(60000);
  let w: World | undefined;
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await w?.close();
    w = undefined;
  });

  it('reconnects both sides by themselves when the relay is killed and restarted mid-session', async () => {
    w = await world();
    expect(await w.consumer.requestInvoice(1000)).to.match(/^lnbc/);
    await w.relay.kill();
    await until(() => w!.consumer.state === 'reconnecting' || w!.consumer.state === 'connecting', 5000, 'consumer notices');
    await until(() => w!.provider.state === 'reconnecting' || w!.provider.state === 'connecting', 5000, 'provider notices');
    // Several retries (backoff 50–500 ms) fail while the relay is down: each side says so once.
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.consumerErrors.filter((e) => e.code === 'CONNECTION_FAILED')).to.have.length(1);
    expect(w.providerErrors.filter((e) => e.code === 'CONNECTION_FAILED')).to.have.length(1);
    await w.relay.restart();
    await until(() => w!.consumer.state === 'connected', 20000, 'consumer back');
    await until(() => w!.provider.state === 'connected', 20000, 'provider back');
    expect(await w.consumer.requestInvoice(2000)).to.match(/^lnbc20n1/);
    expect(typeof (await w.consumer.ping())).to.equal('number');
  });

  it('fails a pay in flight with PAYMENT_OUTCOME_UNKNOWN when the provider vanishes, and never re-sends it', async () => {
    let payCalls = 0;
    w = await world({provider: {handlePayRequest: () => {
      payCalls++;
      return new Promise<string>(() => undefined); // the wallet hangs
    }}});
    const bill = await w.merchant.createInvoice(300);
    const paying = w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    await until(() => payCalls === 1, 5000, 'pay handler called');
    await w.provider.disconnect();
    const error = (await paying) as MoneysocketError;
    expect(error.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    // The consumer does not go on without the provider, and nothing is re-sent when it comes back.
    await w.provider.connect(w.beacon);
    await until(() => w!.consumer.state === 'connected', 20000, 'consumer reconnected');
    await new Promise((r) => setTimeout(r, 200));
    expect(payCalls).to.equal(1);
    const again = (await w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e)) as MoneysocketError;
    expect(again.code).to.equal('INVALID_ARGUMENT'); // outcome unknown: never sent a second time
  });

  it('times out an unanswered payment as outcome unknown, and reports a late preimage', async () => {
    let release: (() => void) | undefined;
    w = await world({provider: {handlePayRequest: async ({bolt11}) => {
      await new Promise<void>((r) => (release = r));
      return w!.wallet.pay(bolt11);
    }}});
    const bill = await w.merchant.createInvoice(50);
    const error = (await w.consumer.requestPay(bill.bolt11, {timeoutMs: 200}).catch((e) => e)) as MoneysocketError;
    expect(error.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    const late = w.consumer.once('preimage');
    release!();
    const detail = await late;
    expect(detail.late).to.equal(true);
    expect(detail.bolt11).to.equal(bill.bolt11);
  });

  it('fails what is in flight at once when the app disconnects: invoices DISCONNECTED, payments outcome unknown', async () => {
    w = await world({provider: {
      handleInvoiceRequest: () => new Promise<string>(() => undefined),
      handlePayRequest: () => new Promise<string>(() => undefined),
    }});
    const bill = await w.merchant.createInvoice(10);
    const invoicing = w.consumer.requestInvoice(10).catch((e: MoneysocketError) => e);
    const paying = w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    await new Promise((r) => setTimeout(r, 100)); // both are at the provider now
    const started = Date.now();
    await w.consumer.disconnect();
    expect(((await invoicing) as MoneysocketError).code).to.equal('DISCONNECTED');
    expect(((await paying) as MoneysocketError).code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    expect(Date.now() - started).to.be.below(1000); // not left to their 10 s and 60 s timeouts
    expect(w.consumer.providerInfo).to.equal(undefined);
  });

  it('times out an unanswered invoice request with REQUEST_TIMEOUT', async () => {
    w = await world({provider: {handleInvoiceRequest: () => new Promise<string>(() => undefined)}});
    const error = (await w.consumer.requestInvoice(10, {timeoutMs: 150}).catch((e) => e)) as MoneysocketError;
    expect(error.code).to.equal('REQUEST_TIMEOUT');
    expect(w.consumer.state).to.equal('connected');
  });

  it('closes a third client with the same rendezvous id, and the pair keeps working', async () => {
    w = await world();
    const third = await makeConsumer();
    const error = (await third.connect(w.beacon).catch((e) => e)) as MoneysocketError;
    expect(error.code).to.equal('RENDEZVOUS_IN_USE');
    expect(third.state).to.equal('disconnected');
    expect(await w.consumer.requestInvoice(3000)).to.match(/^lnbc30n1/);
  });

  it('answers 1,000 concurrent invoice requests, each exactly once', async () => {
    let handled = 0;
    w = await world({provider: {handleInvoiceRequest: async ({msats}) => {
      handled++;
      return (await w!.wallet.createInvoice(msats)).bolt11;
    }}});
    const amounts = Array.from({length: 1000}, (_, i) => 1000 + i);
    const invoiceEvents: string[] = [];
    w.consumer.on('invoice', ({requestUuid}) => invoiceEvents.push(requestUuid));
    const results = await Promise.all(amounts.map((msats) => w!.consumer.requestInvoice(msats, {timeoutMs: 30000})));
    expect(handled).to.equal(1000);
    expect(new Set(results).size).to.equal(1000);
    expect(new Set(invoiceEvents).size).to.equal(1000);
    expect(invoiceEvents).to.have.length(1000);
    // Each answer went to the request that asked for its amount.
    const decodedAmounts = results.map((bolt11) => {
      const decoded = decodeBolt11(bolt11);
      return decoded.ok ? Number(decoded.value.msats) : -1;
    });
    expect(decodedAmounts).to.deep.equal(amounts);
  });

  describe('hostile provider', () => {
    /** A real consumer, connected to a hand-driven provider that answered the handshake. */
    async function hostile(consumer: ConsumerStackOptions = {}): Promise<{w: World; peer: RawPeer; seed: SharedSeed}> {
      // A relay that lets big frames through, so the consumer's own limit is what is tested.
      const made = await world({connect: false, consumer, relayArgs: ['--max-frame-bytes', '200000']});
      w = made;
      const seed = seedOf(made.beacon);
      const peer = new RawPeer(seed);
      peers.push(peer);
      await peer.connect(made.relay.url);
      const connecting = made.consumer.connect(made.beacon);
      const request = await peer.next((m) => isRequest(m, 'REQUEST_PROVIDER'));
      peer.send(createNotification('NOTIFY_PROVIDER', request.request_uuid as string, {account_uuid: '9d1aefb0-b364-4800-8f61-5ef31837df63', payer: true, payee: true, wad: bitcoinWad(1)}));
      await connecting;
      return {w: made, peer, seed};
    }

    async function stillUsable(world_: World, peer: RawPeer): Promise<void> {
      const from = peer.received.length;
      const pong = world_.consumer.ping();
      const ping = await peer.next((m) => isRequest(m, 'REQUEST_PING'), from);
      peer.send(createNotification('NOTIFY_PONG', ping.request_uuid as string, {}));
      expect(await pong).to.be.a('number');
    }

    it('reports garbage, wrong-key, oversized and unknown-type frames and stays usable', async () => {
      const h = await hostile();
      w = h.w; // narrows the shared variable for the code below
      const before = w.consumerErrors.length;
      h.peer.sendBytes(new Uint8Array([1, 2, 3, 4, 5]));
      const wrongKey = encodeFrame(createNotification('NOTIFY_PONG', null, {}), SharedSeed.generate());
      if (!wrongKey.ok) throw wrongKey.error;
      h.peer.sendBytes(wrongKey.value);
      h.peer.sendBytes(encryptPayload(aesKeyOf(h.seed), new Uint8Array(70_000).fill(0x20)));
      const unknown = {...createNotification('NOTIFY_PONG', null, {}), notification_name: 'NOTIFY_SURPRISE'};
      h.peer.sendBytes(encryptPayload(aesKeyOf(h.seed), utf8Encode(JSON.stringify(unknown))));
      await until(() => w!.consumerErrors.length >= before + 4, 5000, 'four error events');
      const codes = w.consumerErrors.slice(before).map((e) => e.code);
      expect(codes).to.deep.equal(['FRAME_CIPHERTEXT', 'MESSAGE_NOT_JSON', 'FRAME_TOO_LARGE', 'MESSAGE_UNKNOWN_TYPE']);
      expect(w.consumer.state).to.equal('connected');
      await stillUsable(w, h.peer);
    });

    it('reports answers to requests never made, and stays usable', async () => {
      const h = await hostile();
      w = h.w; // narrows the shared variable for the code below
      const before = w.consumerErrors.length;
      const news: string[] = [];
      for (const name of ['invoice', 'preimage', 'payment-received'] as const) w.consumer.on(name, () => news.push(name));
      const stranger = '11111111-2222-4333-8444-555555555555';
      h.peer.send(createNotification('NOTIFY_INVOICE', stranger, {bolt11: 'lnbc1stranger'}));
      h.peer.send(createNotification('NOTIFY_PREIMAGE', stranger, {preimage: 'ab'.repeat(32), ext: null}));
      h.peer.send(createNotification('NOTIFY_PREIMAGE', null, {preimage: 'cd'.repeat(32), ext: null}));
      h.peer.send(createNotification('NOTIFY_ERROR', stranger, {error_msg: 'boo'}));
      h.peer.send(createNotification('NOTIFY_PONG', stranger, {}));
      await until(() => w!.consumerErrors.length >= before + 5, 5000, 'five error events');
      const reported = w.consumerErrors.slice(before).map((e) => [e.code, e.message]);
      expect(reported).to.deep.equal([
        ['UNEXPECTED_MESSAGE', 'dropped NOTIFY_INVOICE that answers no invoice request of ours'],
        ['UNMATCHED_NOTIFICATION', 'ignored NOTIFY_PREIMAGE for no invoice or payment of ours'],
        ['UNMATCHED_NOTIFICATION', 'ignored NOTIFY_PREIMAGE for no invoice or payment of ours'],
        ['REQUEST_FAILED', 'the provider reported a failure: boo'],
        ['UNEXPECTED_MESSAGE', 'dropped NOTIFY_PONG for a ping we did not send'],
      ]);
      expect(news).to.deep.equal([]);
      await stillUsable(w, h.peer);
    });

    it('rejects a preimage that does not match the invoice (PREIMAGE_MISMATCH)', async () => {
      const h = await hostile();
      w = h.w; // narrows the shared variable for the code below
      const bill = await w.merchant.createInvoice(900);
      const from = h.peer.received.length;
      const paying = w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
      const request = await h.peer.next((m) => isRequest(m, 'REQUEST_PAY'), from);
      h.peer.send(createNotification('NOTIFY_PREIMAGE', request.request_uuid as string, {preimage: 'cd'.repeat(32), ext: null}));
      expect(((await paying) as MoneysocketError).code).to.equal('PREIMAGE_MISMATCH');
    });

    it('rejects an invoice for another amount than asked', async () => {
      const h = await hostile();
      w = h.w; // narrows the shared variable for the code below
      const from = h.peer.received.length;
      const asking = w.consumer.requestInvoice(1000).catch((e: MoneysocketError) => e);
      const request = await h.peer.next((m) => isRequest(m, 'REQUEST_INVOICE'), from);
      const other = await w.merchant.createInvoice(999_999);
      h.peer.send(createNotification('NOTIFY_INVOICE', request.request_uuid as string, {bolt11: other.bolt11}));
      expect(((await asking) as MoneysocketError).code).to.equal('REQUEST_FAILED');
    });

    it('goes to reconnecting when the provider stops answering pings', async () => {
      const {w: made} = await hostile({pingIntervalMs: 50, livenessTimeoutMs: 300});
      const seen: string[] = [];
      made.consumer.on('state', ({state}) => seen.push(state));
      await until(() => seen.includes('reconnecting'), 5000, 'reconnecting after silence');
      expect(made.consumerErrors.some((e) => e.code === 'REQUEST_TIMEOUT')).to.equal(true);
    });
  });

  describe('hostile consumer', () => {
    /** A real provider, and a hand-driven consumer that has done the handshake. */
    async function hostileConsumer(): Promise<{made: World; peer: RawPeer}> {
      const made = await world({connect: false});
      w = made;
      await made.provider.connect(made.beacon);
      const peer = new RawPeer(seedOf(made.beacon));
      peers.push(peer);
      await peer.connect(made.relay.url);
      peer.send(createRequest('REQUEST_PROVIDER', {}));
      await peer.next((m) => isNotification(m, 'NOTIFY_PROVIDER'));
      return {made, peer};
    }

    it('acts on a replayed pay request only once', async () => {
      const {made, peer} = await hostileConsumer();
      const bill = await made.merchant.createInvoice(100);
      const pay = createRequest('REQUEST_PAY', {bolt11: bill.bolt11});
      peer.send(pay);
      peer.send(pay);
      await peer.next((m) => isNotification(m, 'NOTIFY_PREIMAGE'));
      await until(() => made.providerErrors.some((e) => e.message.includes('already received')), 5000, 'replay reported');
      expect(made.merchant.balanceMsats).to.equal(100);
      expect(peer.received.filter((m) => m.message_class === 'NOTIFICATION' && m.request_reference_uuid === pay.request_uuid)).to.have.length(1);
      // Answers pings at any time, and garbage does not hurt it.
      peer.sendBytes(new Uint8Array([9, 9, 9]));
      const from = peer.received.length;
      const ping = createRequest('REQUEST_PING', {});
      peer.send(ping);
      const pong = await peer.next((m) => isNotification(m, 'NOTIFY_PONG'), from);
      expect(pong.request_reference_uuid).to.equal(ping.request_uuid);
    });

    it('refuses amountless invoices with the deployed wording, marked as a refusal', async () => {
      const {peer} = await hostileConsumer();
      const {createSignedInvoice, newPreimage} = await import('../../../src/testing/invoice-signer.js');
      const {secp256k1} = await import('@noble/curves/secp256k1.js');
      const bolt11 = createSignedInvoice({privateKey: secp256k1.utils.randomSecretKey(), msats: null, paymentHash: newPreimage().paymentHash});
      const from = peer.received.length;
      peer.send(createRequest('REQUEST_PAY', {bolt11}));
      const answer = await peer.next((m) => isNotification(m, 'NOTIFY_ERROR'), from);
      expect(answer['error_msg']).to.equal('refused: bolt11 does not specify amount');
    });
  });
});
