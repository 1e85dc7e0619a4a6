// Survivors of the mutation run over provider-session.ts (issue 12): each test
// fails with the mutants it names and passes without them. The session is
// driven through its own transact layer with a host that records what the
// consumer would receive and what the application would see (answers sent,
// `answered` events, `error` events): no socket, no relay.
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {decodeBeacon} from '../../../src/core/beacon.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import type {Message} from '../../../src/core/message-codec.js';
import {createRequest} from '../../../src/core/message-types.js';
import type {Connection} from '../../../src/core/stack/connection.js';
import type {LayerContext} from '../../../src/core/stack/layer.js';
import {ProviderSession} from '../../../src/core/stack/provider-session.js';
import type {InvoiceHandler, PayHandler, ProviderStackOptions} from '../../../src/core/stack/provider-stack.js';
import type {StackState} from '../../../src/core/stack/stack.js';
import {beaconFor} from './fixtures.js';
import {settle, signedInvoice} from './memory-world.js';

type InstalledClock = ReturnType<typeof FakeTimers.install>;

interface Setup {
  invoiceHandler?: InvoiceHandler;
  payHandler?: PayHandler;
  payee?: boolean;
  payer?: boolean;
  state?: StackState;
  options?: ProviderStackOptions;
}

/** A session with a recording host; `request` hands it a request as the consumer would. */
function session(setup: Setup = {}) {
  const sent: Message[] = [];
  const errors: MoneysocketError[] = [];
  const answered: unknown[] = [];
  let state: StackState = setup.state ?? 'connected';
  const beacon = decodeBeacon(beaconFor('ws://127.0.0.1:1'));
  if (!beacon.ok) throw beacon.error;
  const connection = {send: (message: Message) => (sent.push(message), {ok: true as const, value: undefined})} as unknown as Connection;
  const host = {
    setState: (s: StackState) => (state = s),
    emit: (type: string, detail: unknown) => (type === 'answered' ? answered.push(detail) : undefined),
    reportError: (error: MoneysocketError) => errors.push(error),
    connection: () => connection,
    state: () => state,
    beacon: () => beacon.value,
    info: () => ({payer: setup.payer ?? true, payee: setup.payee ?? true, wad: {msats: 1_000_000}}),
    providerFields: () => ({payer: true, payee: true, wad: {msats: 1_000_000}, account_uuid: 'a'}) as never,
    invoiceHandler: () => setup.invoiceHandler,
    payHandler: () => setup.payHandler,
  };
  const s = new ProviderSession(host as never, setup.options ?? {});
  const transact = s.layers[2]!;
  transact.attach({announce: () => undefined} as unknown as LayerContext);
  const request = (message: Message) => transact.handle(message);
  const errorTexts = () => sent.map((m) => (m as {error_msg?: string}).error_msg);
  /** The consumer comes back and asks for the provider's info: the handshake completes again. */
  const handshake = () => {
    const provider = s.layers[1]!;
    provider.attach({status: () => undefined, send: () => ({ok: true, value: undefined}), announce: () => undefined} as unknown as LayerContext);
    provider.handle(createRequest('REQUEST_PROVIDER', {}) as unknown as Message);
    provider.detach();
  };
  return {sent, errors, answered, request, errorTexts, handshake, setState: (s2: StackState) => (state = s2)};
}

const invoiceRequest = (msats: number, uuid?: string) => createRequest('REQUEST_INVOICE', {msats}, uuid === undefined ? {} : {uuid}) as unknown as Message;
const payRequest = (bolt11: string, uuid?: string) => createRequest('REQUEST_PAY', {bolt11}, uuid === undefined ? {} : {uuid}) as unknown as Message;

describe('provider-session survivors, killed', () => {
  let clock: InstalledClock | undefined;
  afterEach(() => {
    clock?.uninstall();
    clock = undefined;
  });

  // :123 (its text → ""), :124 (the msats rule → false, `||` → `&&`, `<= 0` → `< 0`; its text → "")
  it('an invoice request the wallet must not serve is refused, saying why', async () => {
    const w = session({payee: false, invoiceHandler: () => 'lnbc1'});
    w.request(invoiceRequest(1000));
    const v = session({invoiceHandler: () => Promise.reject(new Error('should not be asked'))});
    v.request(invoiceRequest(0));
    v.request(invoiceRequest(1.5));
    await settle();
    expect(w.errorTexts()).to.deep.equal(['refused: this wallet does not make invoices for this app']);
    const why = 'refused: msats must be a positive whole number of millisatoshis';
    expect(v.errorTexts()).to.deep.equal([why, why]);
  });

  // :126 (its text → "")
  it('an invoice request with no invoice handler is refused, saying the wallet does not make invoices', async () => {
    const w = session();
    w.request(invoiceRequest(1000));
    await settle();
    expect(w.errorTexts()).to.deep.equal(['refused: this wallet does not make invoices']);
  });

  // :121 (the replay check → false)
  it('a replayed invoice request is not answered twice and does not ask the wallet twice', async () => {
    const {bolt11} = signedInvoice({msats: 1000});
    let asked = 0;
    const w = session({invoiceHandler: () => (asked++, bolt11)});
    const message = invoiceRequest(1000);
    w.request(message);
    w.request(message);
    await settle();
    expect(asked).to.equal(1);
    expect(w.sent.map((m) => m['notification_name'])).to.deep.equal(['NOTIFY_INVOICE']);
  });

  // :137 (the refused/failed choice → true)
  it('an invoice handler that fails (not refuses) is answered as a plain failure, a refusal as a refusal', async () => {
    const w = session({invoiceHandler: (r) => Promise.reject(r.msats === 1000 ? new Error('node offline') : Object.assign(new Error('over limit'), {code: 'REQUEST_REFUSED'}))});
    w.request(invoiceRequest(1000));
    w.request(invoiceRequest(2000));
    await settle();
    expect(w.errorTexts()).to.deep.equal(['node offline', 'refused: over limit']);
  });

  // :221, :223, :224 (the texts → "" / ``, `??` → `&&`)
  it('an invoice the wallet made wrong is not sent, and the answer says what is wrong with it', async () => {
    const amountless = signedInvoice({msats: null}).bolt11;
    const other = signedInvoice({msats: 2000}).bolt11;
    const made: Record<number, string> = {1: 'not an invoice', 2: 'lnbc1garbage', 3: other, 4: amountless};
    const w = session({invoiceHandler: (r) => made[r.msats]!});
    for (const msats of [1, 2, 3, 4]) w.request(invoiceRequest(msats));
    await settle();
    const texts = w.errorTexts();
    expect(texts[0]).to.equal('the wallet produced no usable invoice');
    expect(texts[1]).to.match(/^the wallet produced an unreadable invoice: \S/);
    expect(texts[2]).to.equal('the wallet made an invoice for 2000 msats, not 3');
    expect(texts[3]).to.equal('the wallet made an invoice for no msats, not 4');
  });

  // :148 (its text → ``), :153 (its text → "")
  it('a pay request with an unreadable invoice, or with no pay handler, is refused saying why', async () => {
    const w = session();
    w.request(payRequest('lnbc1garbage'));
    w.request(payRequest(signedInvoice({msats: 1000}).bolt11));
    await settle();
    const texts = w.errorTexts();
    expect(texts[0]).to.match(/^refused: invalid bolt11: \S/);
    expect(texts[1]).to.equal('refused: this wallet does not pay invoices');
  });

  // :151 (`<=` → `<`)
  it('an invoice expiring this very millisecond is refused as expired, not paid', async () => {
    const timestamp = 1_700_000_000;
    const {bolt11} = signedInvoice({msats: 1000, timestamp, expirySeconds: 60});
    clock = FakeTimers.install({now: (timestamp + 60) * 1000, toFake: ['Date']});
    let paid = 0;
    const w = session({payHandler: () => (paid++, '00'.repeat(32))});
    w.request(payRequest(bolt11));
    await settle();
    expect(paid).to.equal(0);
    expect(w.errorTexts()).to.deep.equal(['refused: the invoice has expired']);
  });

  // :44 (the ledger margin → 3.6 ms or 1 s): a clock stepped forward and back does not get an invoice paid twice.
  it('an invoice paid just before its expiry is not paid again after the clock steps forward past it and back', async () => {
    const timestamp = 1_700_000_000;
    const a = signedInvoice({msats: 1000, timestamp, expirySeconds: 60});
    const b = signedInvoice({msats: 1000, timestamp: timestamp + 30, expirySeconds: 3600});
    clock = FakeTimers.install({now: (timestamp + 50) * 1000, toFake: ['Date']});
    const asked: string[] = [];
    const w = session({payHandler: (r) => (asked.push(r.bolt11), r.bolt11 === a.bolt11 ? a.preimage : b.preimage)});
    w.request(payRequest(a.bolt11));
    await settle();
    clock.setSystemTime((timestamp + 65) * 1000);
    w.request(payRequest(b.bolt11));
    await settle();
    clock.setSystemTime((timestamp + 55) * 1000);
    w.request(payRequest(a.bolt11));
    await settle();
    expect(asked).to.deep.equal([a.bolt11, b.bolt11]);
    expect(w.sent.map((m) => m['preimage'])).to.deep.equal([a.preimage, b.preimage, a.preimage]);
  });

  // :168 (→ true), :171 (→ true, its second text → "")
  it('an invoice being paid, or whose payment ended without a known outcome, is never paid again; the answer says which', async () => {
    const {bolt11} = signedInvoice({msats: 1000});
    let paid = 0;
    const w = session({payHandler: () => (paid++, new Promise<string>(() => undefined))});
    w.request(payRequest(bolt11));
    w.request(payRequest(bolt11));
    const failing = signedInvoice({msats: 1000}).bolt11;
    let failed = 0;
    const v = session({payHandler: () => (failed++, Promise.reject(new Error('route lost')))});
    v.request(payRequest(failing));
    await settle();
    v.request(payRequest(failing));
    await settle();
    expect(paid).to.equal(1);
    expect(w.errorTexts()).to.deep.equal(['outcome unknown: this invoice is being paid by an earlier request; it is never paid twice']);
    // :191 (→ true): a failure that may have moved money is not released for another try.
    expect(failed).to.equal(1);
    expect(v.errorTexts()).to.deep.equal(['route lost', 'outcome unknown: an earlier attempt to pay this invoice ended without a known outcome; it is never paid twice']);
  });

  // :182 (its text → ``), :183 (its text → "")
  it('a preimage that does not pay the invoice is reported with the request, and answered as an unknown outcome', async () => {
    const w = session({payHandler: () => 'ab'.repeat(32)});
    const message = payRequest(signedInvoice({msats: 1000}).bolt11);
    w.request(message);
    await settle();
    expect(w.errorTexts()).to.deep.equal(['outcome unknown: the wallet reported the payment done, but its preimage does not match the invoice']);
    const uuid = message['request_uuid'] as string;
    expect(w.errors.map((e) => [e.code, e.message])).to.deep.equal([['PREIMAGE_MISMATCH', `the pay handler returned a preimage that does not match the invoice for request ${uuid}`]]);
  });

  // :211 (→ false): a successful answer carries no errorMessage, not even an undefined one.
  it('a successful answer is announced without an error message', async () => {
    const {bolt11, preimage} = signedInvoice({msats: 1000});
    const w = session({payHandler: () => preimage});
    const message = payRequest(bolt11);
    w.request(message);
    await settle();
    expect(w.answered).to.deep.equal([{requestUuid: message['request_uuid'], kind: 'pay', notification: 'NOTIFY_PREIMAGE'}]);
  });

  // :95 (→ false), :204 (→ true), :205 (→ false, → {}), :206 (all four), :207 (its text → ``)
  it('an answer with no connected consumer is not announced; the error says whether it is kept (pay) or not (invoice)', async () => {
    let answerInvoice: (b: string) => void = () => undefined;
    let answerPay: (p: string) => void = () => undefined;
    const invoice = signedInvoice({msats: 1000});
    const pay = signedInvoice({msats: 1000});
    const w = session({invoiceHandler: () => new Promise((r) => (answerInvoice = r)), payHandler: () => new Promise((r) => (answerPay = r))});
    const i = invoiceRequest(1000);
    const p = payRequest(pay.bolt11);
    w.request(i);
    w.request(p);
    await settle();
    w.setState('handshaking');
    answerInvoice(invoice.bolt11);
    answerPay(pay.preimage);
    await settle();
    expect(w.sent).to.deep.equal([]);
    expect(w.answered).to.deep.equal([]);
    expect(w.errors.map((e) => [e.code, e.message])).to.deep.equal([
      ['DISCONNECTED', `could not deliver the answer to invoice request ${i['request_uuid'] as string}: the consumer is gone`],
      ['DISCONNECTED', `could not deliver the answer to pay request ${p['request_uuid'] as string}: the consumer is gone; it is kept and sent again after the next handshake`],
    ]);
  });

  // :204 (→ true): only pay answers are kept; a lost invoice answer moved no money and is not sent again.
  it('after the next handshake the lost pay answer is delivered, the lost invoice answer is not', async () => {
    let answerInvoice: (b: string) => void = () => undefined;
    let answerPay: (p: string) => void = () => undefined;
    const pay = signedInvoice({msats: 1000});
    const w = session({invoiceHandler: () => new Promise((r) => (answerInvoice = r)), payHandler: () => new Promise((r) => (answerPay = r))});
    const p = payRequest(pay.bolt11);
    w.request(invoiceRequest(1000));
    w.request(p);
    await settle();
    w.setState('handshaking');
    answerInvoice(signedInvoice({msats: 1000}).bolt11);
    answerPay(pay.preimage);
    await settle();
    w.handshake();
    await settle();
    expect(w.sent.map((m) => [m['notification_name'], m['request_reference_uuid'], m['preimage']])).to.deep.equal([['NOTIFY_PREIMAGE', p['request_uuid'], pay.preimage]]);
  });

  // :54 (the storage error reporter → undefined)
  it('a storage that fails to write is reported as an error', async () => {
    const storage = {getItem: () => null, setItem: () => { throw new Error('quota exceeded'); }, removeItem: () => undefined};
    const w = session({options: {storage} as ProviderStackOptions, invoiceHandler: () => signedInvoice({msats: 1000}).bolt11});
    w.request(invoiceRequest(1000));
    await settle();
    expect(w.errors.length).to.be.greaterThan(0);
    expect(w.errors[0]!.message).to.contain('quota exceeded');
  });
});
