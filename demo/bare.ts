/**
 * The elements on a bare page: a provider waiting with its beacon shown, an
 * app connected to a second provider (a play-money ledger behind it that
 * pays without asking: this page shows looks, not policy), and a payment for
 * the demo shop. `?theme=light|dark` sets every element's `theme` attribute.
 */
import '../src/elements/define/index.js';
import type {MsConsumer} from '../src/elements/ms-consumer.js';
import type {MsPayment} from '../src/elements/ms-payment.js';
import type {MsProvider} from '../src/elements/ms-provider.js';
import {DemoLedger} from '../src/testing/demo-ledger.js';
import {HttpDemoNetwork, postJson} from './lib/http-network.js';
import {byId, loadConfig, randomId} from './lib/page.js';

const theme = new URLSearchParams(location.search).get('theme');
if (theme === 'light' || theme === 'dark') for (const element of document.querySelectorAll('body *')) if (element.localName.startsWith('ms-')) element.setAttribute('theme', theme);

const ledger = new DemoLedger({id: randomId('bare'), balanceMsats: 100_000_000, network: new HttpDemoNetwork()});
const serving = byId<MsProvider>('serving');
serving.balanceMsats = ledger.balanceMsats;
serving.addEventListener('ms-pay-request', (event) => {
  event.detail.respondWith(ledger.pay(event.detail.request.bolt11).finally(() => (serving.balanceMsats = ledger.balanceMsats)));
});
serving.addEventListener('ms-invoice-request', (event) => {
  event.detail.respondWith(ledger.createInvoice(Number(event.detail.request.msats)).then((issued) => issued.bolt11));
});

const payment = byId<MsPayment>('payment');
payment.fetchInvoice = async (msats) => (await postJson<{bolt11: string}>('/demo-ln/merchant/invoice', {msats, description: 'An article'})).bolt11;

async function start(): Promise<void> {
  const {relayUrl} = await loadConfig();
  byId<MsProvider>('waiting').relay = relayUrl;
  serving.relay = relayUrl;
  await serving.updateComplete;
  // Typed in by script: the field shows the beacon, and the consumer is given it directly.
  document.querySelector('ms-beacon-input')!.value = serving.beacon ?? '';
  byId<MsConsumer>('app').beacon = serving.beacon;
}

void start();
