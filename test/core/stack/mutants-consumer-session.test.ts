// The consumer session on its own, driven message by message (issue 12,
// mutation testing): what the app is told about pay, preimage and invoice
// answers, re-deliveries after a reconnection, and the words of each error.
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {MoneysocketError} from '../../../src/core/errors.js';
import type {Message} from '../../../src/core/message-codec.js';
import {createNotification} from '../../../src/core/message-types.js';
import {ConsumerSession} from '../../../src/core/stack/consumer-session.js';
import type {Connection} from '../../../src/core/stack/connection.js';
import type {StackState} from '../../../src/core/stack/stack.js';
import {signedInvoice, track} from './memory-world.js';

interface Harness {
  session: ConsumerSession;
  sent: Message[];
  events: [string, unknown][];
  errors: MoneysocketError[];
  setState(state: StackState): void;
  deliver(message: Message): void;
  lastUuid(): string;
}

function harness(state: StackState = 'connected'): Harness {
  const sent: Message[] = [];
  const events: [string, unknown][] = [];
  const errors: MoneysocketError[] = [];
  let current = state;
  const connection = {send: (message: Message) => (sent.push(message), {ok: true})} as unknown as Connection;
  const session = new ConsumerSession(
    {
      setState: (s) => void (current = s),
      emit: (type, detail) => void events.push([type, detail]),
      reportError: (error) => void errors.push(error),
      connection: () => connection,
      state: () => current,
    },
    {},
    {handshakeMs: 1000, invoiceMs: 1000, payMs: 1000, pingMs: 1000},
  );
  return {
    session, sent, events, errors,
    setState: (s) => void (current = s),
    deliver: (message) => void session.layers[2]!.handle(message),
    lastUuid: () => (sent.at(-1) as {request_uuid: string}).request_uuid,
  };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const preimageNote = (uuid: string | null, preimage: string) => createNotification('NOTIFY_PREIMAGE', uuid, {preimage, ext: null});
const errorNote = (uuid: string | null, text: string) => createNotification('NOTIFY_ERROR', uuid, {error_msg: text});

describe('consumer session, exactly', () => {
  it('pays, tells the preimage as not late, and ignores the same answer delivered again', async () => {
    const h = harness();
    const bill = signedInvoice({msats: 1000});
    const paid = h.session.requestPay(bill.bolt11);
    const uuid = h.lastUuid();
    h.deliver(preimageNote(uuid, bill.preimage));
    expect(await paid).to.equal(bill.preimage);
    expect(h.events).to.deep.equal([['preimage', {preimage: bill.preimage, requestUuid: uuid, bolt11: bill.bolt11, late: false}]]);
    await flush();
    h.deliver(preimageNote(uuid, bill.preimage));
    h.deliver(errorNote(uuid, 'failed: again'));
    expect(h.events).to.have.length(1);
    expect(h.errors).to.deep.equal([]);
    const again = await h.session.requestPay(bill.bolt11).catch((error: MoneysocketError) => error);
    expect(again).to.be.instanceOf(MoneysocketError);
    expect((again as MoneysocketError).message).to.equal('this invoice was already paid; it is never sent twice');
  });

  it('says an invoice in flight is being paid, not that it was paid', async () => {
    const h = harness();
    const bill = signedInvoice({msats: 1000});
    void h.session.requestPay(bill.bolt11).catch(() => undefined);
    const again = await h.session.requestPay(bill.bolt11).catch((error: MoneysocketError) => error);
    expect((again as MoneysocketError).message).to.equal('this invoice is being paid, or an earlier attempt ended without a known outcome; it is never sent twice');
    h.session.sessionEnded();
  });

  it('rejects a preimage that does not match, in words', async () => {
    const h = harness();
    const bill = signedInvoice({msats: 1000});
    const paid = h.session.requestPay(bill.bolt11).catch((error: MoneysocketError) => error);
    h.deliver(preimageNote(h.lastUuid(), 'cd'.repeat(32)));
    const error = (await paid) as MoneysocketError;
    expect(error.code).to.equal('PREIMAGE_MISMATCH');
    expect(error.message).to.equal('the provider answered with a preimage that does not match the invoice\'s payment hash; the invoice is not sent again');
  });

  it('on a lost connection says what a pay and another request may have done', async () => {
    const h = harness();
    const bill = signedInvoice({msats: 1000});
    const pay = h.session.requestPay(bill.bolt11).catch((error: MoneysocketError) => error);
    const invoice = h.session.requestInvoice(500).catch((error: MoneysocketError) => error);
    h.session.sessionEnded();
    expect(((await pay) as MoneysocketError).message).to.equal('the connection ended before the provider answered; the payment may or may not have been made');
    expect(((await invoice) as MoneysocketError).message).to.equal('the connection ended before the provider answered');
  });

  it('matches a late preimage by payment hash among several unresolved payments', async () => {
    const h = harness();
    const first = signedInvoice({msats: 1000});
    const second = signedInvoice({msats: 2000});
    void h.session.requestPay(first.bolt11).catch(() => undefined);
    const firstUuid = h.lastUuid();
    void h.session.requestPay(second.bolt11).catch(() => undefined);
    const secondUuid = h.lastUuid();
    h.session.sessionEnded();
    await flush();
    h.deliver(preimageNote(null, second.preimage));
    h.deliver(preimageNote(firstUuid, first.preimage));
    expect(h.errors).to.deep.equal([]);
    expect(h.events).to.deep.equal([
      ['preimage', {preimage: second.preimage, requestUuid: secondUuid, bolt11: second.bolt11, late: true}],
      ['preimage', {preimage: first.preimage, requestUuid: firstUuid, bolt11: first.bolt11, late: true}],
    ]);
  });

  it('frees an unresolved invoice when the refusal arrives late', async () => {
    const h = harness();
    const bill = signedInvoice({msats: 1000});
    void h.session.requestPay(bill.bolt11).catch(() => undefined);
    const uuid = h.lastUuid();
    h.session.sessionEnded();
    await flush();
    h.deliver(errorNote(uuid, 'refused: no route'));
    expect(h.errors.map((e) => e.code)).to.deep.equal(['REQUEST_REFUSED']);
    const before = h.sent.length;
    void h.session.requestPay(bill.bolt11).catch(() => undefined);
    expect(h.sent.length).to.equal(before + 1);
    h.session.sessionEnded();
  });

  it('reports a payment received only for its own invoice request', async () => {
    const h = harness();
    const bill = signedInvoice({msats: 700});
    const asked = h.session.requestInvoice(700);
    const uuid = h.lastUuid();
    h.deliver(createNotification('NOTIFY_INVOICE', uuid, {bolt11: bill.bolt11}));
    expect(await asked).to.equal(bill.bolt11);
    h.deliver(preimageNote('00000000-0000-4000-8000-000000000000', bill.preimage));
    expect(h.errors.map((e) => e.message)).to.deep.equal(['ignored NOTIFY_PREIMAGE for no invoice or payment of ours']);
    h.deliver(preimageNote(uuid, bill.preimage));
    expect(h.events.at(-1)).to.deep.equal(['payment-received', {preimage: bill.preimage, paymentHash: bill.paymentHash, bolt11: bill.bolt11, requestUuid: uuid}]);
    h.deliver(preimageNote(null, signedInvoice({msats: 1}).preimage));
    expect(h.errors).to.have.length(2);
    expect(h.errors[1]!.code).to.equal('UNMATCHED_NOTIFICATION');
  });

  it('refuses a ping before the handshake, in words', async () => {
    const h = harness('connecting');
    const error = await h.session.ping().catch((e: MoneysocketError) => e);
    expect((error as MoneysocketError).code).to.equal('NOT_CONNECTED');
    expect((error as MoneysocketError).message).to.equal('not connected to a provider (state: connecting)');
    h.setState('waiting-for-peer');
    expect(((await h.session.ping().catch((e: MoneysocketError) => e)) as MoneysocketError).code).to.equal('NOT_CONNECTED');
    expect(h.sent).to.deep.equal([]);
  });

  it('names a bad amount and an invoice without one', async () => {
    const h = harness();
    const bad = await h.session.requestInvoice(1.5).catch((e: MoneysocketError) => e);
    expect((bad as MoneysocketError).message).to.equal('msats must be a positive whole number, got 1.5');
    const none = await h.session.requestPay(signedInvoice({msats: null}).bolt11).catch((e: MoneysocketError) => e);
    expect((none as MoneysocketError).message).to.equal('the invoice has no amount; v0 cannot say how much to pay');
  });

  it('never sends a testnet invoice to be paid', async () => {
    const h = harness();
    const error = await h.session.requestPay(signedInvoice({msats: 1000, network: 'tb'}).bolt11).catch((e: MoneysocketError) => e);
    expect((error as MoneysocketError).code).to.equal('BOLT11_INVALID');
    expect((error as MoneysocketError).message).to.equal('only lower-case mainnet (lnbc…) or regtest (lnbcrt…) invoices can be paid over Moneysocket v0');
    expect(h.sent).to.deep.equal([]);
    // A caller without types may pass anything: it gets a rejected promise, not a throw.
    const odd = h.session.requestPay(42 as unknown as string);
    expect(((await odd.catch((e: MoneysocketError) => e)) as MoneysocketError).code).to.equal('BOLT11_INVALID');
  });

  it('says in words which request timed out, and a failed payment is not sent again', async () => {
    const clock = FakeTimers.install({toFake: ['setTimeout', 'clearTimeout']});
    try {
      const h = harness();
      const bill = signedInvoice({msats: 1000});
      const pay = track(h.session.requestPay(bill.bolt11, {timeoutMs: 40}));
      const invoice = track(h.session.requestInvoice(10, {timeoutMs: 30}));
      await clock.tickAsync(50);
      expect(pay.error?.message).to.equal('no answer to the payment within 40 ms; it may or may not have been made');
      expect(invoice.error?.message).to.equal('no answer to the invoice request within 30 ms');
      const ping = track(h.session.ping({timeoutMs: 20}));
      await clock.tickAsync(25);
      expect(ping.error?.message).to.equal('no answer to the ping request within 20 ms');
      const other = signedInvoice({msats: 3000});
      const failed = track(h.session.requestPay(other.bolt11));
      h.deliver(errorNote(h.lastUuid(), 'no route'));
      await clock.tickAsync(0);
      expect(failed.error?.message).to.equal('the provider reported a failure: no route. It did not say that nothing was paid, so this invoice is not sent again');
    } finally {
      clock.uninstall();
    }
  });

  it('takes an invoice that expires this very second as expired', async () => {
    const timestamp = 1_700_000_000;
    const bill = signedInvoice({msats: 1000, timestamp, expirySeconds: 60});
    const asked = signedInvoice({msats: 800, timestamp, expirySeconds: 60});
    const clock = FakeTimers.install({now: (timestamp + 60) * 1000, toFake: ['Date']});
    try {
      const h = harness();
      const error = await h.session.requestPay(bill.bolt11).catch((e: MoneysocketError) => e);
      expect((error as MoneysocketError).message).to.equal('the invoice has expired');
      const invoice = h.session.requestInvoice(800).catch((e: MoneysocketError) => e);
      h.deliver(createNotification('NOTIFY_INVOICE', h.lastUuid(), {bolt11: asked.bolt11}));
      expect(((await invoice) as MoneysocketError).message).to.equal('the provider sent an invoice that has already expired');
    } finally {
      clock.uninstall();
    }
  });

  it('answers a ping once, and a pong delivered again is reported as unexpected', async () => {
    const h = harness();
    const reports: MoneysocketError[] = [];
    const layer = h.session.layers[1]!;
    layer.attach({send: (m: Message) => (h.sent.push(m), {ok: true}), announce: () => undefined, status: () => undefined,
      report: (e: MoneysocketError) => void reports.push(e), close: () => undefined, expectClose: () => undefined} as never);
    try {
      const ping = h.session.ping();
      const pong = createNotification('NOTIFY_PONG', h.lastUuid(), {});
      layer.handle(pong);
      expect(await ping).to.be.a('number');
      await flush();
      layer.handle(pong);
      expect(reports.map((e) => e.message)).to.deep.equal(['dropped NOTIFY_PONG for a ping we did not send']);
    } finally {
      layer.detach();
    }
  });
});
