import {expect} from 'chai';
import {decodeBolt11} from '../../../src/core/bolt11.js';
import {hashOfPreimage} from '../../../src/core/preimage.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {beaconFor, makeConsumer, states, until, world, type World} from './fixtures.js';

describe('consumer and provider stacks through a real relay', function () {
  this.timeout(30000);
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('runs a whole session: info, ping, invoice, payment received, pay, info update, disconnect', async () => {
    w = await world({connect: false});
    const consumerStates = states(w.consumer);
    const infos: number[] = [];
    w.consumer.on('provider-info', ({providerInfo}) => infos.push(providerInfo.wad?.msats ?? -1));
    await w.provider.connect(w.beacon);
    expect(w.provider.state).to.equal('waiting-for-peer');
    await w.consumer.connect(w.beacon);
    expect(w.consumer.state).to.equal('connected');
    expect(consumerStates).to.deep.equal(['connecting', 'handshaking', 'connected']);
    expect(w.consumer.providerInfo).to.include({payer: true, payee: true});
    expect(w.consumer.providerInfo?.wad?.msats).to.equal(10_000_000);
    await until(() => w!.provider.state === 'connected', 5000, 'provider connected');

    const rtt = await w.consumer.ping();
    expect(rtt).to.be.a('number').and.at.least(0);

    // Invoice: a real signed BOLT11 for the amount asked, and its payment surfaced.
    const bolt11 = await w.consumer.requestInvoice(2500);
    const invoice = decodeBolt11(bolt11);
    if (!invoice.ok) throw invoice.error;
    expect(invoice.value.msats).to.equal(2500n);
    const received = w.consumer.once('payment-received');
    const outsider = await w.merchant.createInvoice(1); // keep the merchant's ledger in play
    void outsider;
    await w.network.settle(bolt11, 'merchant').then(({preimage}) => {
      const sent = w!.provider.notifyInvoicePaid(preimage);
      if (!sent.ok) throw sent.error;
    });
    const paid = await received;
    expect(paid.bolt11).to.equal(bolt11);
    expect(paid.paymentHash).to.equal(invoice.value.paymentHash);
    expect(hashOfPreimage(paid.preimage)).to.equal(invoice.value.paymentHash);

    // Pay: the preimage comes back checked against the invoice's hash.
    const bill = await w.merchant.createInvoice(4000);
    const preimage = await w.consumer.requestPay(bill.bolt11);
    expect(hashOfPreimage(preimage)).to.equal(bill.paymentHash);
    expect(w.merchant.balanceMsats).to.equal(4000);
    expect(w.wallet.balanceMsats).to.equal(10_000_000 + 2500 - 4000);

    // Provider info update reaches the consumer.
    const update = w.consumer.once('provider-info');
    const set = w.provider.setProviderInfo({payer: true, payee: true, wad: bitcoinWad(w.wallet.balanceMsats)});
    expect(set.ok).to.equal(true);
    expect((await update).providerInfo.wad?.msats).to.equal(w.wallet.balanceMsats);

    // The consumer leaves: the provider stays available and waits for the next one.
    await w.consumer.disconnect();
    expect(w.consumer.state).to.equal('disconnected');
    await until(() => w!.provider.state === 'waiting-for-peer', 5000, 'provider back to waiting');
    const second = await makeConsumer();
    try {
      await second.connect(w.beacon);
      expect(await second.requestInvoice(1000)).to.match(/^lnbc10n1/);
    } finally {
      await second.disconnect();
    }
    expect(w.consumerErrors).to.deep.equal([]);
    expect(w.providerErrors).to.deep.equal([]);
  });

  it('waits while the provider is not ready, then connects when it is', async () => {
    w = await world({connect: false, provider: {providerInfo: null}});
    await w.provider.connect(w.beacon);
    const connecting = w.consumer.connect(w.beacon);
    await until(() => w!.consumer.state === 'handshaking', 5000, 'consumer handshaking');
    await new Promise((r) => setTimeout(r, 100));
    expect(w.consumer.state).to.equal('handshaking');
    w.provider.setProviderInfo({payer: false, payee: true, wad: bitcoinWad(5)});
    await connecting;
    expect(w.consumer.providerInfo).to.include({payer: false, payee: true});
  });

  it('refuses what the provider does not permit, with the provider\'s reason', async () => {
    w = await world({provider: {providerInfo: {payer: false, payee: true, wad: bitcoinWad(1)}}});
    const bill = await w.merchant.createInvoice(10);
    const error = await w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    expect(error).to.be.instanceOf(MoneysocketError);
    expect((error as MoneysocketError).code).to.equal('REQUEST_REFUSED');
    expect((error as MoneysocketError).message).to.match(/does not pay/);
    // A definite refusal frees the invoice for another attempt.
    w.provider.setProviderInfo({payer: true, payee: true, wad: bitcoinWad(1)});
    await until(() => w!.consumer.providerInfo?.payer === true, 5000, 'updated info');
    expect(hashOfPreimage(await w.consumer.requestPay(bill.bolt11))).to.equal(bill.paymentHash);
  });

  it('never pays the same invoice twice', async () => {
    w = await world();
    const bill = await w.merchant.createInvoice(700);
    const first = w.consumer.requestPay(bill.bolt11);
    const again = await w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    expect((again as MoneysocketError).code).to.equal('INVALID_ARGUMENT');
    await first;
    const third = await w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    expect((third as MoneysocketError).message).to.match(/already paid/);
    expect(w.merchant.balanceMsats).to.equal(700);
  });

  it('reports the wallet\'s refusal as REQUEST_REFUSED (balance exceeded)', async () => {
    w = await world();
    const bill = await w.merchant.createInvoice(20_000_000);
    const error = await w.consumer.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
    expect((error as MoneysocketError).code).to.equal('REQUEST_REFUSED');
    expect((error as MoneysocketError).reason).to.equal('refused: account balance exceeded');
  });

  it('rejects bad arguments before anything is sent', async () => {
    w = await world();
    for (const msats of [0, -5, 1.5, Number.NaN, 2 ** 60]) {
      const e = await w.consumer.requestInvoice(msats).catch((x: MoneysocketError) => x);
      expect((e as MoneysocketError).code, String(msats)).to.equal('AMOUNT_INVALID');
    }
    for (const bolt11 of ['', 'lntb1500n1p0xyz', 'LNBC1', 'lnbc1garbage']) {
      const e = await w.consumer.requestPay(bolt11).catch((x: MoneysocketError) => x);
      expect((e as MoneysocketError).code, bolt11).to.equal('BOLT11_INVALID');
    }
  });

  it('fails requests when not connected, and connect() on a bad beacon or a dead relay', async () => {
    const consumer = await makeConsumer();
    expect(((await consumer.requestInvoice(5).catch((e) => e)) as MoneysocketError).code).to.equal('NOT_CONNECTED');
    expect(((await consumer.connect('moneysocket1nope').catch((e) => e)) as MoneysocketError).code).to.match(/^BEACON_/);
    const dead = beaconFor('ws://127.0.0.1:9'); // nothing listens on the discard port
    expect(((await consumer.connect(dead).catch((e) => e)) as MoneysocketError).code).to.equal('CONNECTION_FAILED');
    expect(consumer.state).to.equal('disconnected');
  });

  it('emits layer events in the reference order for a consumer', async () => {
    w = await world({connect: false});
    const events: string[] = [];
    w.consumer.on('layer', ({layer, status}) => events.push(`${layer} ${status}`));
    await w.provider.connect(w.beacon);
    await w.consumer.connect(w.beacon);
    expect(events).to.deep.equal([
      'OUTGOING_WEBSOCKET NEXUS_CREATED',
      'OUTGOING_WEBSOCKET NEXUS_ANNOUNCED',
      'OUTGOING_RENDEZVOUS NEXUS_CREATED',
      'OUTGOING_RENDEZVOUS NEXUS_WAITING',
      'OUTGOING_RENDEZVOUS NEXUS_ANNOUNCED',
      'CONSUMER NEXUS_CREATED',
      'CONSUMER NEXUS_ANNOUNCED',
      'CONSUMER_TRANSACT NEXUS_CREATED',
      // js stops here; we announce the top layer too, so application layers can sit above it.
      'CONSUMER_TRANSACT NEXUS_ANNOUNCED',
    ]);
  });
});
