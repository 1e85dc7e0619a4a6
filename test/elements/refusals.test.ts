/**
 * What `<ms-provider>` refuses by itself, told to the page (`ms-request-refused`)
 * and shown in the element while it serves an app, with the words the app reads.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import type {MoneysocketError} from '../../src/core/errors.js';
import type {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import type {MsEventMap, MsRequestRefusedDetail} from '../../src/elements/events.js';
import '../../src/elements/define/ms-provider.js';
import type {MsProvider} from '../../src/elements/ms-provider.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {decodeBeacon} from '../../src/core/beacon.js';
import {createRequest, isNotification} from '../../src/core/message-types.js';
import {createSignedInvoice} from '../../src/testing/invoice-signer.js';
import {RawPeer} from '../support/raw-peer.js';
import {startTestRelay, type TestRelay} from '../support/relay.js';
import {makeConsumer} from '../core/stack/fixtures.js';
import {reachState, record, slotText, within} from './connection-helpers.js';
import {part} from './shadow-helpers.js';

function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: MoneysocketError) => e,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('<ms-provider> refusing by itself, and showing what the app asked', function () {
  this.timeout(30000);
  let relay: TestRelay;
  let wallet: DemoLedger;
  let merchant: DemoLedger;
  let consumer: ConsumerStack;

  beforeEach(async () => {
    relay = await startTestRelay();
    const network = new InMemoryDemoNetwork();
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

  async function served(template: ReturnType<typeof html>): Promise<MsProvider> {
    const el = await fixture<MsProvider>(template);
    await reachState(el, 'waiting-for-peer');
    await within(consumer.connect(el.beacon!), 10000, 'consumer connected');
    await reachState(el, 'connected');
    return el;
  }

  const refusedBy = (el: MsProvider) => record(el, ['ms-request-refused']) as CustomEvent<MsRequestRefusedDetail>[];

  it('fires ms-request-refused for a payment over the limit, over the budget, and a request nobody answers', async () => {
    const el = await served(html`<ms-provider relay=${relay.url} payer payee balance-msats="1000000" max-payment-msats="2000" daily-budget-msats="3000"></ms-provider>`);
    const refused = refusedBy(el);

    const tooBig = await merchant.createInvoice(2001);
    const overLimit = await failure(consumer.requestPay(tooBig.bolt11));
    expect(refused).to.have.length(1);
    expect(refused[0]!.detail).to.include({kind: 'pay', code: 'OVER_LIMIT', message: 'the payment is over the wallet\'s limit per payment'});
    expect(refused[0]!.detail.request).to.include({bolt11: tooBig.bolt11, msats: 2001n});
    expect(overLimit.message).to.equal(`the provider refused: ${refused[0]!.detail.message}`);
    expect(refused[0]!.bubbles && refused[0]!.composed && !refused[0]!.cancelable).to.equal(true);

    const pays = (e: MsEventMap['ms-pay-request']) => e.detail.respondWith(wallet.pay(e.detail.request.bolt11));
    el.addEventListener('ms-pay-request', pays);
    await within(consumer.requestPay((await merchant.createInvoice(2000)).bolt11), 10000, 'a payment within both');
    const overBudget = await failure(consumer.requestPay((await merchant.createInvoice(1001)).bolt11));
    expect(refused[1]!.detail).to.include({kind: 'pay', code: 'OVER_BUDGET', message: 'the payment would go over the wallet\'s daily budget'});
    expect(overBudget.message).to.equal('the provider refused: the payment would go over the wallet\'s daily budget');
    el.removeEventListener('ms-pay-request', pays);

    const unanswered = await failure(consumer.requestInvoice(1500));
    expect(refused[2]!.detail).to.include({kind: 'invoice', code: 'UNANSWERED', message: 'nothing on the wallet\'s side answers this kind of request'});
    expect(refused[2]!.detail.request).to.include({msats: 1500});
    expect(unanswered.message).to.equal('the provider refused: nothing on the wallet\'s side answers this kind of request');
    expect(refused).to.have.length(3);
  });

  it('tells of a permission not granted (PAY_NOT_ALLOWED, INVOICE_NOT_ALLOWED), refused before the page is asked', async () => {
    const el = await served(html`<ms-provider relay=${relay.url} balance-msats="1000"></ms-provider>`);
    const refused = refusedBy(el);
    const asked = record(el, ['ms-pay-request', 'ms-invoice-request']);
    const pay = await failure(consumer.requestPay((await merchant.createInvoice(10)).bolt11));
    const invoice = await failure(consumer.requestInvoice(10));
    expect(refused.map((e) => [e.detail.kind, e.detail.code, e.detail.message])).to.deep.equal([
      ['pay', 'PAY_NOT_ALLOWED', 'this wallet does not pay invoices for this app'],
      ['invoice', 'INVOICE_NOT_ALLOWED', 'this wallet does not make invoices for this app'],
    ]);
    for (const e of refused) expect(Object.keys(e.detail.request)).to.deep.equal(['requestUuid']);
    for (const e of refused) expect(e.detail.request.requestUuid).to.match(UUID);
    expect([pay.message, invoice.message]).to.deep.equal([
      'the provider refused: this wallet does not pay invoices for this app',
      'the provider refused: this wallet does not make invoices for this app',
    ]);
    expect(asked).to.have.length(0);
  });

  it('tells of an unusable request (INVALID_REQUEST), such as an expired invoice a hand-driven app sends', async () => {
    const el = await fixture<MsProvider>(html`<ms-provider relay=${relay.url} payer balance-msats="1000"></ms-provider>`);
    await reachState(el, 'waiting-for-peer');
    const decoded = decodeBeacon(el.beacon!);
    if (!decoded.ok) throw decoded.error;
    const peer = new RawPeer(decoded.value.sharedSeed);
    try {
      await peer.connect(relay.url);
      peer.send(createRequest('REQUEST_PROVIDER', {}));
      await peer.next((m) => isNotification(m, 'NOTIFY_PROVIDER'));
      const refused = new Promise<MsRequestRefusedDetail>((resolve) => el.addEventListener('ms-request-refused', (e) => resolve(e.detail), {once: true}));
      const hourAgo = Math.floor(Date.now() / 1000) - 7200;
      const expired = createSignedInvoice({privateKey: new Uint8Array(32).fill(7), paymentHash: new Uint8Array(32).fill(2), msats: 1000n, timestamp: hourAgo, expirySeconds: 3600});
      const request = createRequest('REQUEST_PAY', {bolt11: expired});
      peer.send(request);
      const detail = await within(refused, 10000, 'the refusal');
      expect(detail).to.deep.equal({kind: 'pay', request: {requestUuid: request.request_uuid}, code: 'INVALID_REQUEST', message: 'the invoice has expired'});
      const answer = await peer.next((m) => isNotification(m, 'NOTIFY_ERROR'));
      expect(answer.error_msg).to.equal('refused: the invoice has expired');
    } finally {
      peer.close();
    }
  });

  it('does not report the page\'s own refusals', async () => {
    const el = await served(html`<ms-provider relay=${relay.url} payer payee balance-msats="1000"></ms-provider>`);
    const refused = refusedBy(el);
    el.addEventListener('ms-pay-request', (e) => e.preventDefault());
    el.addEventListener('ms-invoice-request', (e) => e.detail.respondWith(Promise.reject(new Error('the node is down'))));
    expect((await failure(consumer.requestPay((await merchant.createInvoice(10)).bolt11))).code).to.equal('REQUEST_REFUSED');
    expect((await failure(consumer.requestInvoice(10))).code).to.equal('REQUEST_FAILED');
    expect(refused).to.have.length(0);
  });

  it('shows the app\'s requests and how they ended while it serves an app, in place of the beacon slot', async () => {
    const page = await fixture<HTMLDivElement>(html`<div>
      <ms-provider relay=${relay.url} payer payee balance-msats="1000000" max-payment-msats="2000">
        <span slot="beacon" id="beacon">the beacon goes here</span>
      </ms-provider>
    </div>`);
    const el = page.querySelector('ms-provider')!;
    await reachState(el, 'waiting-for-peer');
    await el.updateComplete;
    const beaconSlot = page.querySelector<HTMLElement>('#beacon')!;
    expect(beaconSlot.assignedSlot, 'the beacon while waiting').to.not.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="activity"]')).to.equal(null);

    await within(consumer.connect(el.beacon!), 10000, 'consumer connected');
    await reachState(el, 'connected');
    await el.updateComplete;
    expect(beaconSlot.assignedSlot, 'no beacon while serving').to.equal(null);
    expect(part(el, 'activity').getAttribute('aria-live')).to.equal('polite');
    expect(slotText(el.shadowRoot!, 'activity-label')).to.equal('Requests from the app');
    expect(slotText(el.shadowRoot!, 'no-activity')).to.equal('No requests yet');

    el.addEventListener('ms-invoice-request', (e) => e.detail.respondWith(wallet.createInvoice(e.detail.request.msats).then((i) => i.bolt11)));
    await within(consumer.requestInvoice(2000), 10000, 'invoice');
    await failure(consumer.requestPay((await merchant.createInvoice(3000)).bolt11));
    await el.updateComplete;
    const rows = () => [...el.shadowRoot!.querySelectorAll('[part="request"]')].map((li) => [li.getAttribute('data-outcome'), li.textContent!.trim()]);
    expect(rows()).to.deep.equal([
      ['refused', 'A payment of 3 sats: refused (the payment is over the wallet\'s limit per payment)'],
      ['done', 'An invoice for 2 sats: invoice made'],
    ]);
    expect(el.activity.map((a) => [a.kind, a.msats, a.outcome])).to.deep.equal([['pay', 3000n, 'refused'], ['invoice', 2000n, 'done']]);
    await expect(el).to.be.accessible();

    el.formatRequest = (a) => `${a.kind === 'pay' ? 'Paiement' : 'Facture'} : ${a.outcome}`;
    await el.updateComplete;
    expect(rows().map(([, text]) => text)).to.deep.equal(['Paiement : refused', 'Facture : done']);

    await consumer.disconnect();
    await reachState(el, 'waiting-for-peer');
    await el.updateComplete;
    expect(beaconSlot.assignedSlot, 'the beacon again once the app left').to.not.equal(null);
  });
});
