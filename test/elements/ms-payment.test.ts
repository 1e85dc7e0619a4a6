/**
 * `<ms-payment>` in Chromium: on its own (invoices signed by the testing
 * helpers, the fetch path, the `paid` property, expiry, copy, QR, slots,
 * a11y), then paying through a real `<ms-consumer>` connected to a provider
 * through a real relay process: paid, refused, unknown then paid late (a
 * provider too slow, a relay killed mid-payment), and a shop's own wallet
 * hearing that its invoice was paid.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import {toHex} from '../../src/core/bytes.js';
import {refusal} from '../../src/core/stack/answer-text.js';
import type {ProviderStack} from '../../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../../src/core/wad.js';
import '../../src/elements/define/ms-consumer.js';
import {MsPayment} from '../../src/elements/define/ms-payment.js';
import type {MsPaymentState} from '../../src/elements/events.js';
import {MsConsumer} from '../../src/elements/ms-consumer.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {createSignedInvoice, newPreimage} from '../../src/testing/invoice-signer.js';
import {beaconFor, walletProvider} from '../core/stack/fixtures.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import {nextEvent, reachState, record, sleep, slotText, within} from './connection-helpers.js';
import {readQr} from './qr-read.js';
import {part, shownIn} from './shadow-helpers.js';

const KEY = new Uint8Array(32).fill(7);
const STATES: MsPaymentState[] = ['idle', 'loading', 'ready', 'paying', 'paid', 'failed', 'outcome-unknown', 'expired', 'error'];

/** A signed invoice nobody can pay (no network knows it), with its preimage. */
function signed(msats: number, options: {expirySeconds?: number; timestamp?: number} = {}): {bolt11: string; preimage: string} {
  const {preimage, paymentHash} = newPreimage();
  return {bolt11: createSignedInvoice({privateKey: KEY, msats, paymentHash, description: 'an article', ...options}), preimage: toHex(preimage)};
}

/** Resolves once `el` is in `state`, within `ms`. */
async function reach(el: MsPayment, state: MsPaymentState, ms = 10000): Promise<void> {
  if (el.state === state) return;
  await within(
    new Promise<void>((resolve) => {
      const listener = (e: GlobalEventHandlersEventMap['ms-payment-state']) => {
        if (e.detail.state !== state) return;
        el.removeEventListener('ms-payment-state', listener);
        resolve();
      };
      el.addEventListener('ms-payment-state', listener);
    }),
    ms,
    `payment state ${state}`,
  );
}

const has = (el: Element, name: string): boolean => el.shadowRoot!.querySelector(`[part~="${name}"]`) !== null;
const sats = (n: number): string => `${n.toLocaleString()} sats`;

describe('<ms-payment> on its own', () => {
  afterEach(() => fixtureCleanup());

  it('starts idle, with a polite live region and the state reflected', async () => {
    const el = await fixture<MsPayment>(html`<ms-payment></ms-payment>`);
    expect(el).to.be.instanceOf(MsPayment);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    const status = part(el, 'status');
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.getAttribute('aria-live')).to.equal('polite');
    expect(shownIn(el, 'status')).to.equal('No invoice yet');
    for (const name of ['amount', 'qr', 'pay-button', 'copy-button']) expect(has(el, name), name).to.equal(false);
    expect(() => ((el as unknown as {state: string}).state = 'paid')).to.throw(TypeError);
  });

  it('shows an invoice: its amount grouped in sats, a QR code a phone reads as a lightning: link, the text and a copy button', async () => {
    const {bolt11} = signed(1_234_567_000);
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${bolt11}><span>A long read</span></ms-payment>`);
    await el.updateComplete;
    expect(el.state).to.equal('ready');
    expect(shownIn(el, 'amount')).to.equal(sats(1_234_567));
    expect(shownIn(el, 'status')).to.equal('Waiting for payment');
    expect(shownIn(el, 'invoice')).to.equal(bolt11);
    expect(shownIn(el, 'copy-button')).to.equal('Copy');
    const qr = part(el, 'qr');
    expect(qr.getAttribute('role')).to.equal('img');
    expect(slotText(el.shadowRoot!, 'qr-label')).to.equal('QR code of the invoice');
    expect(await readQr(el, 600)).to.equal(`LIGHTNING:${bolt11.toUpperCase()}`);
    expect(el.querySelector('span')!.assignedSlot).to.not.equal(null);
    // Nothing to pay with: no pay button.
    expect(has(el, 'pay-button')).to.equal(false);
  });

  it('reads an invoice in upper case or with a lightning: prefix, and shows fractions of a sat', async () => {
    const {bolt11} = signed(1500);
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${`lightning:${bolt11.toUpperCase()}`}></ms-payment>`);
    expect(el.state).to.equal('ready');
    expect(shownIn(el, 'invoice')).to.equal(bolt11);
    expect(shownIn(el, 'amount')).to.equal(`${(1.5).toLocaleString()} sats`);
  });

  it('shows the amount through formatAmount, for fiat', async () => {
    const {bolt11} = signed(21_000_000);
    const el = await fixture<MsPayment>(html`<ms-payment
      invoice=${bolt11}
      .formatAmount=${(msats: number) => `${msats / 1000} sats (about $${((msats / 1e11) * 60000).toFixed(2)})`}
    ></ms-payment>`);
    expect(shownIn(el, 'amount')).to.equal('21000 sats (about $12.60)');
  });

  it('copies the bare invoice and announces it', async () => {
    const {bolt11} = signed(2000);
    const written: string[] = [];
    const original = Object.getOwnPropertyDescriptor(navigator.clipboard, 'writeText');
    Object.defineProperty(navigator.clipboard, 'writeText', {configurable: true, value: async (text: string) => void written.push(text)});
    try {
      const el = await fixture<MsPayment>(html`<ms-payment invoice=${`LIGHTNING:${bolt11.toUpperCase()}`}></ms-payment>`);
      const copied = nextEvent(el, 'ms-copy');
      part(el, 'copy-button').click();
      expect((await copied).detail.text).to.equal(bolt11);
      expect(written).to.deep.equal([bolt11]);
      await el.updateComplete;
      expect(shownIn(el, 'copy-status')).to.equal('Copied');
      expect(part(el, 'copy-status').getAttribute('role')).to.equal('status');
    } finally {
      if (original) Object.defineProperty(navigator.clipboard, 'writeText', original);
      else delete (navigator.clipboard as unknown as Record<string, unknown>).writeText;
    }
  });

  it('says an unreadable invoice is an error (ms-error BOLT11_INVALID) and offers nothing to pay', async () => {
    const el = document.createElement('ms-payment');
    const error = nextEvent(el, 'ms-error');
    el.invoice = 'lnbc1notaninvoice';
    document.body.append(el);
    try {
      expect((await error).detail.code).to.equal('BOLT11_INVALID');
      await el.updateComplete;
      expect(el.state).to.equal('error');
      expect(shownIn(el, 'status')).to.equal('Could not get an invoice.');
      expect(has(el, 'qr')).to.equal(false);
    } finally {
      el.remove();
    }
  });

  it('expires with the invoice: a timer moves ready to expired, and hides the QR code', async () => {
    const {bolt11} = signed(1000, {expirySeconds: 2});
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${bolt11}></ms-payment>`);
    expect(el.state).to.equal('ready');
    const states = record(el, ['ms-payment-state']);
    await reach(el, 'expired', 5000);
    await el.updateComplete;
    expect(states.map((e) => e.detail)).to.deep.equal([{state: 'expired', previous: 'ready'}]);
    expect(el.getAttribute('state')).to.equal('expired');
    expect(shownIn(el, 'status')).to.equal('This invoice has expired.');
    expect(has(el, 'qr')).to.equal(false);
    expect(has(el, 'copy-button')).to.equal(false);
    expect(await el.pay()).to.equal('expired');
  });

  it('is expired at once for an invoice already past its expiry', async () => {
    const {bolt11} = signed(1000, {expirySeconds: 60, timestamp: Math.floor(Date.now() / 1000) - 120});
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${bolt11}></ms-payment>`);
    expect(el.state).to.equal('expired');
  });

  it('fetches an invoice for its amount, again when the amount changes, and drops an answer that came too late', async () => {
    const asked: number[] = [];
    const answers = new Map<number, (bolt11: string) => void>();
    const fetchInvoice = (msats: number) => {
      asked.push(msats);
      return new Promise<string>((resolve) => answers.set(msats, resolve));
    };
    const el = await fixture<MsPayment>(html`<ms-payment amount="2.5" .fetchInvoice=${fetchInvoice}></ms-payment>`);
    expect(el.state).to.equal('loading');
    expect(shownIn(el, 'status')).to.equal('Getting an invoice…');
    expect(shownIn(el, 'amount')).to.equal(`${(2.5).toLocaleString()} sats`);
    expect(asked).to.deep.equal([2500]);

    el.setAttribute('amount-msats', '7000'); // the newer amount wins over the older fetch
    await el.updateComplete;
    expect(asked).to.deep.equal([2500, 7000]);
    answers.get(2500)!(signed(2500).bolt11);
    await sleep(20);
    expect(el.state).to.equal('loading');
    const {bolt11} = signed(7000);
    answers.get(7000)!(bolt11);
    await reach(el, 'ready');
    await el.updateComplete;
    expect(el.invoice).to.equal(bolt11);
    expect(shownIn(el, 'invoice')).to.equal(bolt11);
    expect(shownIn(el, 'amount')).to.equal(sats(7));
  });

  it('reports a failed fetch (ms-error, state error) and asks again from "Get a new invoice"', async () => {
    let calls = 0;
    const {bolt11} = signed(3000);
    const fetchInvoice = async () => {
      calls++;
      if (calls === 1) throw new Error('the shop server is down');
      return bolt11;
    };
    const el = document.createElement('ms-payment');
    el.amount = 3;
    el.fetchInvoice = fetchInvoice;
    const error = nextEvent(el, 'ms-error');
    document.body.append(el);
    try {
      expect((await error).detail.message).to.equal('the shop server is down');
      await reach(el, 'error');
      await el.updateComplete;
      expect(shownIn(el, 'renew-button')).to.equal('Get a new invoice');
      part(el, 'renew-button').click();
      await reach(el, 'ready');
      expect(el.invoice).to.equal(bolt11);
      expect(calls).to.equal(2);
    } finally {
      el.remove();
    }
  });

  it('does not fetch without end when fetchInvoice answers nothing', async () => {
    let calls = 0;
    const el = document.createElement('ms-payment');
    el.amount = 1;
    el.fetchInvoice = async () => (calls++, '');
    const error = nextEvent(el, 'ms-error');
    document.body.append(el);
    try {
      expect((await error).detail.code).to.equal('INVALID_ARGUMENT');
      await sleep(50);
      expect(el.state).to.equal('error');
      expect(calls).to.equal(1);
    } finally {
      el.remove();
    }
  });

  it('moves to paid when the page sets paid (ms-paid, how: external), and a new invoice starts unpaid', async () => {
    const first = signed(1000);
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${first.bolt11}></ms-payment>`);
    const paid = nextEvent(el, 'ms-paid');
    el.paid = true;
    const event = await paid;
    expect(event.detail).to.deep.equal({preimage: undefined, invoice: first.bolt11, paymentHash: event.detail.paymentHash, how: 'external'});
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(el.state).to.equal('paid');
    expect(shownIn(el, 'status')).to.equal('Paid');
    expect(has(el, 'qr')).to.equal(false);

    const next = signed(2000);
    el.invoice = next.bolt11;
    await el.updateComplete;
    expect(el.paid).to.equal(false);
    expect(el.state).to.equal('ready');
  });

  it('is paid from the start with the paid attribute', async () => {
    const {bolt11} = signed(1000);
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${bolt11} paid></ms-payment>`);
    expect(el.state).to.equal('paid');
  });

  it('settles on a preimage for its invoice from any consumer on the page, checked against the payment hash', async () => {
    const {bolt11, preimage} = signed(1000);
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${bolt11}></ms-payment>`);
    const paid = record(el, ['ms-paid']);
    const fire = (p: string) =>
      document.body.dispatchEvent(new CustomEvent('ms-preimage', {detail: {preimage: p, requestUuid: 'x', bolt11, late: true}, bubbles: true, composed: true}));
    fire('00'.repeat(32)); // a preimage that does not pay it
    await el.updateComplete;
    expect(el.state).to.equal('ready');
    fire(preimage);
    await el.updateComplete;
    expect(el.state).to.equal('paid');
    fire(preimage); // told twice, paid once
    expect(paid.map((e) => e.detail)).to.deep.equal([{preimage, invoice: bolt11, paymentHash: paid[0]!.detail.paymentHash, how: 'moneysocket'}]);
  });

  it('lets every text be replaced through slots', async () => {
    const {bolt11} = signed(1000);
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${bolt11}>
      ${STATES.map((s) => html`<span slot="state-${s}">fr-${s}</span>`)}
      <span slot="qr-label">Code QR de la facture</span>
      <span slot="copy-label">Copier</span>
      <span slot="pay-label">Payer</span>
    </ms-payment>`);
    expect(slotText(el.shadowRoot!, 'state-ready')).to.equal('fr-ready');
    expect(slotText(el.shadowRoot!, 'qr-label')).to.equal('Code QR de la facture');
    expect(shownIn(el, 'copy-button')).to.equal('Copier');
    // Only the current state's slot is rendered.
    expect(el.shadowRoot!.querySelector('slot[name="state-paid"]')).to.equal(null);
    el.paid = true;
    await el.updateComplete;
    expect(shownIn(el, 'status')).to.equal('fr-paid');
  });

  it('is accessible: idle, ready, expired and paid', async () => {
    const idle = await fixture<MsPayment>(html`<ms-payment></ms-payment>`);
    await expect(idle).to.be.accessible();
    const el = await fixture<MsPayment>(html`<ms-payment invoice=${signed(1000).bolt11}>Coffee</ms-payment>`);
    await el.updateComplete;
    await expect(el).to.be.accessible();
    el.paid = true;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const expired = await fixture<MsPayment>(html`<ms-payment invoice=${signed(1000, {timestamp: 1_700_000_000}).bolt11}></ms-payment>`);
    expect(expired.state).to.equal('expired');
    await expect(expired).to.be.accessible();
  });
});

describe('<ms-payment> paying through an <ms-consumer> and a real relay', function () {
  this.timeout(60000);
  const FAST = {backoff: {initialMs: 50, maxMs: 300}, openTimeoutMs: 2000};
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let wallet: DemoLedger;
  let shop: DemoLedger;
  let provider: ProviderStack;
  let beacon: string;
  const extra: ProviderStack[] = [];
  /** Holds the wallet's payments while set: resolve it to let them through. */
  let gate: {promise: Promise<void>; open: () => void} | undefined;
  let handled = 0;

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    wallet = new DemoLedger({id: 'wallet', balanceMsats: 1_000_000, network});
    shop = new DemoLedger({id: 'shop', balanceMsats: 0, network});
    network.listen('shop', (invoice) => shop.credit(invoice.msats));
    handled = 0;
    gate = undefined;
    provider = await walletProvider(wallet, {
      ...FAST,
      handlePayRequest: async ({bolt11}) => {
        handled++;
        if (gate) await gate.promise;
        return wallet.pay(bolt11);
      },
    });
    beacon = beaconFor(relay.url);
    await within(provider.connect(beacon), 10000, 'provider waiting');
  });

  afterEach(async () => {
    gate?.open();
    for (const el of document.querySelectorAll<MsConsumer>('ms-consumer, shop-wallet')) await el.disconnect();
    fixtureCleanup();
    for (const p of [provider, ...extra.splice(0)]) await p.disconnect();
    await relay.stop();
  });

  function hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    gate = {promise, open};
  }

  /** A shop page: the customer's wallet (`<ms-consumer id="payer">`) and a payment for `bolt11`. */
  async function page(bolt11: string, consumerOptions: object = {}): Promise<{payment: MsPayment; consumer: MsConsumer}> {
    const root = await fixture<HTMLDivElement>(html`<div>
      <ms-consumer id="payer" .stackOptions=${{...FAST, ...consumerOptions}} beacon=${beacon}></ms-consumer>
      <ms-payment for="payer" invoice=${bolt11}>An article</ms-payment>
    </div>`);
    const consumer = root.querySelector('ms-consumer')!;
    const payment = root.querySelector('ms-payment')!;
    await reachState(consumer, 'connected');
    await payment.updateComplete;
    return {payment, consumer};
  }

  it('pays with the Moneysocket wallet: ready, paying, paid with the checked preimage (ms-paid, how: moneysocket)', async () => {
    const bill = await shop.createInvoice(150_000);
    const {payment} = await page(bill.bolt11);
    expect(shownIn(payment, 'pay-button')).to.equal('Pay with your Moneysocket wallet');
    const states = record(payment, ['ms-payment-state']);
    const paid = nextEvent(payment, 'ms-paid');
    part(payment, 'pay-button').click();
    await payment.updateComplete;
    expect(payment.state).to.equal('paying');
    expect(part<HTMLButtonElement>(payment, 'pay-button').disabled).to.equal(true);
    expect(shownIn(payment, 'status')).to.equal('Paying…');
    const {detail} = await paid;
    expect(detail).to.deep.equal({preimage: bill.preimage, invoice: bill.bolt11, paymentHash: bill.paymentHash, how: 'moneysocket'});
    expect(states.map((e) => e.detail.state)).to.deep.equal(['paying', 'paid']);
    expect(payment.paid).to.equal(true);
    expect(shop.balanceMsats).to.equal(150_000);
    await payment.updateComplete;
    expect(has(payment, 'pay-button')).to.equal(false);
    expect(shownIn(payment, 'status')).to.equal('Paid');
    await expect(payment).to.be.accessible();
  });

  it('shows the pay button only while the wallet is connected, pays for this app and has enough', async () => {
    const bill = await shop.createInvoice(5_000);
    const {payment, consumer} = await page(bill.bolt11);
    await expect(payment).to.be.accessible();
    expect(has(payment, 'pay-button')).to.equal(true);

    provider.setProviderInfo({payer: false, payee: true, wad: bitcoinWad(1_000_000)});
    await until(() => !has(payment, 'pay-button'), 5000, 'the button hidden: the wallet does not pay for this app');
    provider.setProviderInfo({payer: true, payee: true, wad: bitcoinWad(4_999)});
    await nextEvent(consumer, 'ms-provider-info');
    await payment.updateComplete;
    expect(has(payment, 'pay-button'), 'hidden: the balance is short').to.equal(false);
    provider.setProviderInfo({payer: true, payee: true, wad: bitcoinWad(5_000)});
    await until(() => has(payment, 'pay-button'), 5000, 'the button back: just enough');

    await consumer.disconnect();
    await payment.updateComplete;
    expect(has(payment, 'pay-button'), 'hidden when disconnected').to.equal(false);
    expect(await payment.pay()).to.equal('ready');
    expect(handled).to.equal(0);
  });

  it('finds the wallet under a tag name of the page\'s own', async () => {
    if (!customElements.get('shop-wallet')) customElements.define('shop-wallet', class extends MsConsumer {});
    const bill = await shop.createInvoice(2_000);
    const root = await fixture<HTMLDivElement>(html`<div>
      <shop-wallet id="mine" beacon=${beacon}></shop-wallet>
      <ms-payment for="mine" invoice=${bill.bolt11}></ms-payment>
    </div>`);
    await reachState(root.querySelector<MsConsumer>('shop-wallet')!, 'connected');
    const payment = root.querySelector('ms-payment')!;
    await until(() => has(payment, 'pay-button'), 5000, 'the pay button');
    expect(await within(payment.pay(), 10000, 'the payment')).to.equal('paid');
  });

  it('says failed after a definite refusal (nothing paid), and can pay again', async () => {
    provider.handlePayRequest = () => {
      throw refusal('not today');
    };
    const bill = await shop.createInvoice(3_000);
    const {payment} = await page(bill.bolt11);
    const error = nextEvent(payment, 'ms-error');
    expect(await within(payment.pay(), 10000, 'the refusal')).to.equal('failed');
    expect((await error).detail.code).to.equal('REQUEST_REFUSED');
    await payment.updateComplete;
    expect(shownIn(payment, 'status')).to.equal('The payment did not go through; nothing was paid.');
    expect(has(payment, 'qr')).to.equal(true);
    expect(has(payment, 'pay-button')).to.equal(true);
    expect(shop.balanceMsats).to.equal(0);

    provider.handlePayRequest = ({bolt11}) => wallet.pay(bolt11);
    const paid = nextEvent(payment, 'ms-paid');
    part(payment, 'pay-button').click();
    expect((await paid).detail.preimage).to.equal(bill.preimage);
    expect(shop.balanceMsats).to.equal(3_000);
  });

  it('says outcome-unknown, never failed, when the wallet does not answer in time; the late preimage moves it to paid', async () => {
    hold();
    const bill = await shop.createInvoice(4_000);
    const {payment} = await page(bill.bolt11, {timeouts: {payMs: 500}});
    const error = nextEvent(payment, 'ms-error');
    expect(await within(payment.pay(), 10000, 'the timeout')).to.equal('outcome-unknown');
    expect((await error).detail.code).to.equal('PAYMENT_OUTCOME_UNKNOWN');
    await payment.updateComplete;
    expect(payment.getAttribute('state')).to.equal('outcome-unknown');
    expect(shownIn(payment, 'status')).to.include('Do not pay again');
    for (const name of ['pay-button', 'qr', 'copy-button']) expect(has(payment, name), name).to.equal(false);
    expect(await payment.pay()).to.equal('outcome-unknown');
    await expect(payment).to.be.accessible();

    const paid = nextEvent(payment, 'ms-paid', 15000);
    gate!.open();
    const {detail} = await paid;
    expect(detail).to.include({preimage: bill.preimage, how: 'moneysocket'});
    expect(payment.state).to.equal('paid');
    expect(handled).to.equal(1);
    expect(shop.balanceMsats).to.equal(4_000);
  });

  it('says outcome-unknown when the relay is killed mid-payment, then paid once both are back and the answer arrives', async () => {
    hold();
    const bill = await shop.createInvoice(6_000);
    const {payment, consumer} = await page(bill.bolt11);
    const asked = provider.once('pay-request');
    const paying = payment.pay();
    await within(asked, 10000, 'the wallet asked');
    await relay.kill();
    expect(await within(paying, 10000, 'the lost connection')).to.equal('outcome-unknown');
    gate!.open(); // the wallet pays while the relay is down
    await until(() => shop.balanceMsats === 6_000, 5000, 'the wallet done');
    const paid = nextEvent(payment, 'ms-paid', 20000);
    await relay.restart();
    await reachState(consumer, 'connected', 15000);
    expect((await paid).detail).to.include({preimage: bill.preimage, how: 'moneysocket'});
    expect(payment.state).to.equal('paid');
    expect(handled).to.equal(1);
  });

  it("hears from the shop's own wallet that its invoice was paid by another wallet (ms-payment-received, then ms-paid)", async () => {
    // The shop's wallet, served through a second beacon; the page's consumer makes the invoices.
    const shopProvider = await walletProvider(shop, FAST);
    extra.push(shopProvider);
    const shopBeacon = beaconFor(relay.url);
    await within(shopProvider.connect(shopBeacon), 10000, 'the shop wallet waiting');
    const root = await fixture<HTMLDivElement>(html`<div>
      <ms-consumer id="shop" beacon=${shopBeacon}></ms-consumer>
      <ms-payment amount="12"></ms-payment>
    </div>`);
    const shopWallet = root.querySelector('ms-consumer')!;
    const payment = root.querySelector('ms-payment')!;
    await reachState(shopWallet, 'connected');
    payment.fetchInvoice = (msats) => shopWallet.requestInvoice(msats);
    await reach(payment, 'ready');
    const bolt11 = payment.invoice;
    expect(shownIn(payment, 'amount')).to.equal(sats(12));

    // Someone scans the QR code with another wallet; the shop's wallet tells its app.
    const events = record(payment, ['ms-payment-received', 'ms-paid']);
    const paid = nextEvent(payment, 'ms-paid');
    const preimage = await wallet.pay(bolt11);
    shopProvider.notifyInvoicePaid(preimage);
    await paid;
    expect(events.map((e) => e.type)).to.deep.equal(['ms-payment-received', 'ms-paid']);
    expect(events[0]!.detail).to.include({bolt11, preimage});
    expect(events[1]!.detail).to.include({preimage, invoice: bolt11, how: 'external'});
    expect(events[0]!.target).to.equal(payment);
    expect(payment.state).to.equal('paid');
  });
});
