import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import {decodeBeacon} from '../../src/core/beacon.js';
import {MoneysocketError} from '../../src/core/errors.js';
import type {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import {bitcoinWad} from '../../src/core/wad.js';
import type {MsPayRequestDetail} from '../../src/elements/events.js';
import '../../src/elements/define/ms-provider.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {startTestRelay, type TestRelay} from '../support/relay.js';
import {makeConsumer} from '../core/stack/fixtures.js';
import {nextEvent, reachState, record, sleep, slotText, within} from './connection-helpers.js';

const DEAD_RELAY = 'ws://127.0.0.1:45679';
const DAY = 24 * 60 * 60 * 1000;

function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: MoneysocketError) => e,
  );
}

describe('<ms-provider> without an app', () => {
  it('starts disconnected with its parts, live region and default texts', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider></ms-provider>`);
    expect(el.state).to.equal('disconnected');
    expect(el.getAttribute('state')).to.equal('disconnected');
    expect(el.beacon).to.equal(undefined);
    const root = el.shadowRoot!;
    for (const part of ['base', 'label', 'state']) expect(root.querySelector(`[part~="${part}"]`), part).to.not.equal(null);
    expect(root.querySelector('[part="state"]')!.getAttribute('role')).to.equal('status');
    expect(root.querySelector('[part="state"]')!.getAttribute('aria-live')).to.equal('polite');
    expect(slotText(root, 'label')).to.equal('Moneysocket provider');
    expect(slotText(root, 'state-disconnected')).to.equal('Offline');
  });

  it('lets its texts be replaced through slots and shows slotted content', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider>
      <span slot="label">Fournisseur</span><span slot="state-disconnected">Hors ligne</span>
      <button>Share</button>
    </ms-provider>`);
    expect(slotText(el.shadowRoot!, 'label')).to.equal('Fournisseur');
    expect(slotText(el.shadowRoot!, 'state-disconnected')).to.equal('Hors ligne');
    const button = el.querySelector('button')!;
    expect(button.assignedSlot).to.not.equal(null);
    button.focus();
    expect(document.activeElement).to.equal(button);
  });

  it('generates a beacon for its relay, fires ms-beacon, and keeps it until the relay changes', async () => {
    const beacons: string[] = [];
    const el = await fixture<MsProvider>(html`<ms-provider relay=${DEAD_RELAY} @ms-beacon=${(e: CustomEvent<{beacon: string}>) => beacons.push(e.detail.beacon)}></ms-provider>`);
    const first = el.beacon!;
    expect(first).to.match(/^moneysocket1/);
    expect(el.beacon).to.equal(first);
    expect(el.hasAttribute('beacon')).to.equal(false); // not reflected
    const decoded = decodeBeacon(first);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value.locations).to.deep.equal([{type: 'WebSocket', host: '127.0.0.1', port: 45679, use_tls: false}]);
    expect(beacons).to.deep.equal([first]);

    const next = nextEvent(el, 'ms-beacon');
    el.relay = 'ws://127.0.0.1:45680';
    const event = await next;
    expect(event.detail.beacon).to.equal(el.beacon).and.not.equal(first);
    expect(event.detail.decoded.locations[0]).to.include({port: 45680});
    expect(event.detail.decoded.shared_seed).to.match(/^[0-9a-f]{32}$/);
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('serves a given beacon over the generated one', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider relay=${DEAD_RELAY}></ms-provider>`);
    const generated = el.beacon!;
    const foreign = (await fixture<MsProvider>(html`<ms-provider relay="ws://127.0.0.1:45681"></ms-provider>`)).beacon!;
    const given = nextEvent(el, 'ms-beacon');
    el.setAttribute('beacon', foreign);
    expect(el.beacon).to.equal(foreign);
    expect((await given).detail.beacon).to.equal(foreign);
    const back = nextEvent(el, 'ms-beacon');
    el.removeAttribute('beacon');
    expect(el.beacon).to.equal(generated);
    expect((await back).detail.beacon).to.equal(generated);
  });

  it('puts every relay of a space-separated list in the beacon it generates, in order', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider relay="ws://127.0.0.1:45682   wss://relay.example.com ws://127.0.0.1:45683"></ms-provider>`);
    const decoded = decodeBeacon(el.beacon!);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value.locations).to.deep.equal([
      {type: 'WebSocket', host: '127.0.0.1', port: 45682, use_tls: false},
      {type: 'WebSocket', host: 'relay.example.com', port: 443, use_tls: true},
      {type: 'WebSocket', host: '127.0.0.1', port: 45683, use_tls: false},
    ]);
    const error = nextEvent(el, 'ms-error');
    el.setAttribute('relay', 'ws://127.0.0.1:45682 http://example.com');
    expect((await error).detail.code).to.equal('LOCATION_INVALID');
    expect(el.beacon).to.equal(undefined);
  });

  it('fires ms-error for a relay that is not a WebSocket address', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider></ms-provider>`);
    const error = nextEvent(el, 'ms-error');
    el.setAttribute('relay', 'http://example.com');
    expect((await error).detail.code).to.equal('LOCATION_INVALID');
    expect(el.beacon).to.equal(undefined);
  });

  it('fires ms-error for a balance that is not an amount', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider></ms-provider>`);
    const error = nextEvent(el, 'ms-error');
    el.setAttribute('balance-msats', '-5');
    expect((await error).detail.code).to.equal('WAD_INVALID');
  });

  it('keeps notifyInvoicePaid() with no app for the next one, and throws on a malformed preimage', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider></ms-provider>`);
    expect(() => el.notifyInvoicePaid('00'.repeat(32))).not.to.throw();
    expect(() => el.notifyInvoicePaid('xyz')).to.throw().with.property('code', 'INVALID_ARGUMENT');
  });

  it('is accessible', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider></ms-provider>`);
    await expect(el).to.be.accessible();
  });
});

describe('<ms-provider> serving a consumer stack through a real relay', function () {
  this.timeout(30000);
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let wallet: DemoLedger;
  let merchant: DemoLedger;
  let consumer: ConsumerStack;

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    wallet = new DemoLedger({id: 'wallet', balanceMsats: 1_000_000, network});
    merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
    consumer = await makeConsumer();
  });

  afterEach(async () => {
    await consumer.disconnect();
    for (const el of document.querySelectorAll('ms-provider')) await el.disconnect();
    fixtureCleanup();
    await relay.stop();
  });

  async function waiting(attributes: Record<string, string | boolean> = {}): Promise<MsProvider> {
    const el = document.createElement('ms-provider');
    el.relay = relay.url;
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== false) el.setAttribute(name, value === true ? '' : value);
    }
    const wrapped = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapped.append(el);
    await reachState(el, 'waiting-for-peer');
    return el;
  }

  async function served(attributes: Record<string, string | boolean> = {payer: true, payee: true, 'balance-msats': '1000000'}): Promise<MsProvider> {
    const el = await waiting(attributes);
    await within(consumer.connect(el.beacon!), 10000, 'consumer connected');
    await reachState(el, 'connected');
    return el;
  }

  /** Pays from the wallet whenever the page is asked. */
  function payFromWallet(el: MsProvider): MsPayRequestDetail[] {
    const asked: MsPayRequestDetail[] = [];
    el.addEventListener('ms-pay-request', (e) => {
      asked.push(e.detail);
      e.detail.respondWith(wallet.pay(e.detail.request.bolt11));
    });
    return asked;
  }

  it('waits for an app, then fires ms-connected, and ms-disconnected when it leaves', async () => {
    const el = await waiting({payer: true, payee: true, 'balance-msats': '5000', 'account-uuid': '2f1d7b9c-43a6-4bd8-9c3e-1b0b7cb7a001'});
    const seen = record(el, ['ms-state', 'ms-connected', 'ms-disconnected']);
    await within(consumer.connect(el.beacon!), 10000, 'consumer connected');
    await reachState(el, 'connected');
    expect(el.getAttribute('state')).to.equal('connected');
    expect(consumer.providerInfo).to.deep.equal({accountUuid: '2f1d7b9c-43a6-4bd8-9c3e-1b0b7cb7a001', payer: true, payee: true, wad: bitcoinWad(5000)});
    await consumer.disconnect();
    await reachState(el, 'waiting-for-peer');
    expect(seen.filter((e) => e.type !== 'ms-state').map((e) => e.type)).to.deep.equal(['ms-connected', 'ms-disconnected']);
    expect(seen.filter((e) => e.type === 'ms-state').map((e) => (e as CustomEvent<{state: string}>).detail.state)).to.include.members(['handshaking', 'connected', 'waiting-for-peer']);
    for (const e of seen) expect(e.bubbles && e.composed && !e.cancelable, e.type).to.equal(true);
  });

  it('pushes every change of its provider info; wad overrides balance-msats', async () => {
    const el = await served();
    const update = () => within(consumer.once('provider-info'), 10000, 'provider info');
    let next = update();
    el.setAttribute('balance-msats', '7000');
    expect((await next).providerInfo.wad?.msats).to.equal(7000);
    next = update();
    el.wad = bitcoinWad(123);
    expect((await next).providerInfo.wad?.msats).to.equal(123);
    next = update();
    el.removeAttribute('payer');
    expect((await next).providerInfo).to.include({payer: false, payee: true});
    const refused = await failure(consumer.requestPay((await merchant.createInvoice(10)).bolt11));
    expect(refused.code).to.equal('REQUEST_REFUSED');
  });

  it('is not ready until balance-msats or wad is set', async () => {
    const el = await waiting({payer: true, payee: true});
    let ready = false;
    const connecting = consumer.connect(el.beacon!).then(() => (ready = true));
    await sleep(500);
    expect(ready).to.equal(false);
    expect(consumer.state).to.equal('handshaking');
    expect(el.state).to.equal('handshaking');
    el.balanceMsats = 1000;
    await within(connecting, 10000, 'ready after the balance');
    expect(consumer.providerInfo?.wad?.msats).to.equal(1000);
    await reachState(el, 'connected');
  });

  it('asks the page for invoices with a cancelable ms-invoice-request answered through respondWith', async () => {
    const el = await served();
    const asked: CustomEvent[] = [];
    el.addEventListener('ms-invoice-request', (e) => {
      asked.push(e);
      // Asynchronous on purpose: the answer comes after dispatch has ended.
      e.detail.respondWith(sleep(50).then(async () => (await wallet.createInvoice(e.detail.request.msats)).bolt11));
    });
    const bolt11 = await within(consumer.requestInvoice(3000), 10000, 'invoice');
    expect(bolt11).to.match(/^lnbc30n1/);
    expect(asked).to.have.length(1);
    expect(asked[0]!.detail.request.msats).to.equal(3000);
    expect(asked[0]!.cancelable && asked[0]!.bubbles && asked[0]!.composed).to.equal(true);
  });

  it('refuses an invoice request the page cancels with preventDefault()', async () => {
    const el = await served();
    el.addEventListener('ms-invoice-request', (e) => e.preventDefault());
    const error = await failure(consumer.requestInvoice(1000));
    expect(error.code).to.equal('REQUEST_REFUSED');
    expect(error.reason).to.equal('refused: the wallet\'s owner did not allow it');
    expect(error.message).to.equal('the provider refused: the wallet\'s owner did not allow it');
  });

  it('refuses a payment the page cancels with preventDefault()', async () => {
    const el = await served();
    const asked = record(el, ['ms-pay-request']);
    el.addEventListener('ms-pay-request', (e) => e.preventDefault());
    const error = await failure(consumer.requestPay((await merchant.createInvoice(10)).bolt11));
    expect(error.code).to.equal('REQUEST_REFUSED');
    expect(error.message).to.equal('the provider refused: the wallet\'s owner did not allow it');
    expect(asked).to.have.length(1);
    expect(asked[0]!.defaultPrevented).to.equal(true);
    expect(wallet.balanceMsats).to.equal(1_000_000);
  });

  it('answers or refuses, never both: preventDefault() after respondWith() throws InvalidStateError and the answer stands', async () => {
    const el = await served();
    const thrown: string[] = [];
    el.addEventListener('ms-pay-request', (e) => {
      e.detail.respondWith(wallet.pay(e.detail.request.bolt11));
      try {
        e.preventDefault();
      } catch (error) {
        thrown.push((error as DOMException).name);
      }
      thrown.push(`defaultPrevented=${e.defaultPrevented}`);
    });
    const bill = await merchant.createInvoice(10);
    const preimage = await within(consumer.requestPay(bill.bolt11), 10000, 'pay');
    expect(preimage).to.equal(bill.preimage);
    expect(thrown).to.deep.equal(['InvalidStateError', 'defaultPrevented=false']);
    expect(wallet.balanceMsats).to.equal(1_000_000 - 10);
  });

  it('answers or refuses, never both: respondWith() after preventDefault() throws InvalidStateError and the refusal stands', async () => {
    const el = await served();
    const thrown: string[] = [];
    const bill = await merchant.createInvoice(10);
    el.addEventListener('ms-pay-request', (e) => {
      e.preventDefault();
      try {
        e.detail.respondWith(bill.preimage); // the right preimage, which would be delivered if it were taken
      } catch (error) {
        thrown.push((error as DOMException).name);
      }
    });
    const error = await failure(consumer.requestPay(bill.bolt11));
    expect(error.message).to.equal('the provider refused: the wallet\'s owner did not allow it');
    expect(thrown).to.deep.equal(['InvalidStateError']);
  });

  it('holds to it across listeners: a second listener cannot undo the first one\'s decision', async () => {
    const el = await served();
    const thrown: string[] = [];
    el.addEventListener('ms-invoice-request', (e) => e.detail.respondWith(wallet.createInvoice(e.detail.request.msats).then((i) => i.bolt11)));
    document.addEventListener('ms-invoice-request', (e) => {
      try {
        e.preventDefault();
      } catch (error) {
        thrown.push((error as DOMException).name);
      }
    }, {once: true});
    expect(await within(consumer.requestInvoice(1000), 10000, 'invoice')).to.match(/^lnbc10n1/);
    expect(thrown).to.deep.equal(['InvalidStateError']);
  });

  it('refuses requests nobody answers', async () => {
    await served(); // and no listener for its requests
    const invoice = await failure(consumer.requestInvoice(1000));
    expect(invoice.message).to.equal('the provider refused: nothing on the wallet\'s side answers this kind of request');
    const pay = await failure(consumer.requestPay((await merchant.createInvoice(10)).bolt11));
    expect(pay.reason).to.equal('refused: nothing on the wallet\'s side answers this kind of request');
  });

  it('takes the first respondWith() and throws InvalidStateError for a second or a late one', async () => {
    const el = await served();
    const errors: string[] = [];
    el.addEventListener('ms-invoice-request', (e) => {
      e.detail.respondWith(wallet.createInvoice(e.detail.request.msats).then((i) => i.bolt11));
      try {
        e.detail.respondWith('lnbc-ignored');
      } catch (error) {
        errors.push((error as DOMException).name);
      }
    });
    expect(await within(consumer.requestInvoice(1000), 10000, 'invoice')).to.match(/^lnbc10n1/);
    expect(errors).to.deep.equal(['InvalidStateError']);

    const late = new Promise<string>((resolve) => {
      el.addEventListener('ms-pay-request', (e) => setTimeout(() => {
        try {
          e.detail.respondWith('00'.repeat(32));
          resolve('no error');
        } catch (error) {
          resolve((error as DOMException).name);
        }
      }), {once: true});
    });
    const refused = await failure(consumer.requestPay((await merchant.createInvoice(10)).bolt11));
    expect(refused.reason).to.equal('refused: nothing on the wallet\'s side answers this kind of request');
    expect(await within(late, 5000, 'late respondWith')).to.equal('InvalidStateError');
  });

  it('pays through the page with ms-pay-request', async () => {
    const el = await served();
    const asked = payFromWallet(el);
    const bill = await merchant.createInvoice(4000);
    expect(await within(consumer.requestPay(bill.bolt11), 10000, 'pay')).to.equal(bill.preimage);
    expect(asked).to.have.length(1);
    expect(asked[0]!.request.msats).to.equal(4000n);
    expect(asked[0]!.request.bolt11).to.equal(bill.bolt11);
    expect(wallet.balanceMsats).to.equal(1_000_000 - 4000);
  });

  it('refuses a payment over max-payment-msats without asking the page', async () => {
    const el = await served({payer: true, payee: true, 'balance-msats': '1000000', 'max-payment-msats': '1000'});
    const asked = payFromWallet(el);
    const error = await failure(consumer.requestPay((await merchant.createInvoice(1001)).bolt11));
    expect(error.code).to.equal('REQUEST_REFUSED');
    expect(error.message).to.equal('the provider refused: the payment is over the wallet\'s limit per payment');
    expect(asked).to.have.length(0);
    const exact = await merchant.createInvoice(1000);
    expect(await within(consumer.requestPay(exact.bolt11), 10000, 'pay at the limit')).to.equal(exact.preimage);
    expect(asked).to.have.length(1);
  });

  it('keeps a rolling 24-hour budget, read from an injected clock', async () => {
    const el = await served({payer: true, payee: true, 'balance-msats': '1000000', 'daily-budget-msats': '5000'});
    let now = Date.UTC(2025, 0, 1, 12);
    el.now = () => now;
    const asked = payFromWallet(el);
    const pay = async (msats: number) => consumer.requestPay((await merchant.createInvoice(msats)).bolt11);

    expect(await within(pay(3000), 10000, 'first payment')).to.match(/^[0-9a-f]{64}$/);
    const over = await failure(pay(2001));
    expect(over.message).to.equal('the provider refused: the payment would go over the wallet\'s daily budget');
    expect(asked).to.have.length(1);
    expect(await within(pay(2000), 10000, 'up to the budget')).to.match(/^[0-9a-f]{64}$/);
    expect(asked).to.have.length(2);

    now += DAY - 1; // the first payment is still inside the window
    expect((await failure(pay(1))).reason).to.equal('refused: the payment would go over the wallet\'s daily budget');
    now += 1; // now it has left it
    expect(await within(pay(3000), 10000, 'after the window rolled')).to.match(/^[0-9a-f]{64}$/);
    expect(asked).to.have.length(3);
  });

  it('counts payments in flight against the budget, and not the ones refused before anything was tried', async () => {
    const el = await served({payer: true, payee: true, 'balance-msats': '1000000', 'daily-budget-msats': '5000'});
    let release: (() => void) | undefined;
    let refuseNext = true;
    const asked: MsPayRequestDetail[] = [];
    el.addEventListener('ms-pay-request', (e) => {
      asked.push(e.detail);
      if (refuseNext) {
        refuseNext = false;
        e.detail.respondWith(Promise.reject(new MoneysocketError('REQUEST_REFUSED', 'card declined')));
        return;
      }
      const paying = new Promise<void>((resolve) => (release = resolve)).then(() => wallet.pay(e.detail.request.bolt11));
      e.detail.respondWith(paying);
    });
    const declined = await failure(consumer.requestPay((await merchant.createInvoice(4000)).bolt11));
    expect(declined.reason).to.equal('refused: card declined');

    const first = consumer.requestPay((await merchant.createInvoice(4000)).bolt11); // a refused one does not count
    await within((async () => { while (release === undefined) await sleep(10); })(), 10000, 'first payment in flight');
    const second = await failure(consumer.requestPay((await merchant.createInvoice(2000)).bolt11));
    expect(second.reason).to.equal('refused: the payment would go over the wallet\'s daily budget');
    expect(asked).to.have.length(2);
    release!();
    expect(await within(first, 10000, 'first payment')).to.match(/^[0-9a-f]{64}$/);
  });

  it('tells the app about paid invoices with notifyInvoicePaid()', async () => {
    const el = await served();
    el.addEventListener('ms-invoice-request', (e) => e.detail.respondWith(wallet.createInvoice(e.detail.request.msats).then((i) => i.bolt11)));
    const bolt11 = await within(consumer.requestInvoice(2000), 10000, 'invoice');
    const received = within(consumer.once('payment-received'), 10000, 'payment received');
    const {preimage} = await network.settle(bolt11, 'merchant');
    el.notifyInvoicePaid(preimage);
    expect((await received).bolt11).to.equal(bolt11);
  });

  it('is accessible while serving an app', async () => {
    const el = await served();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
