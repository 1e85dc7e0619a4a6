/**
 * The provider wallet page: a DemoLedger (this tab's own, random id) behind
 * `<ms-provider>`. The page answers the app's requests from the ledger, keeps
 * the balance the app sees in step with it, and tells the app when one of the
 * invoices it asked for was paid. Or, at the person's choice, the provider is
 * backed by a real wallet (`provider.backend`): a WebLN wallet found in the
 * browser, which then answers the requests the page leaves alone.
 */
import '../src/elements/define/index.js';
import type {WalletBackend} from '../src/core/stack/wallet-backend.js';
import type {MsProvider} from '../src/elements/ms-provider.js';
import {DemoLedger, type IssuedInvoice} from '../src/testing/demo-ledger.js';
import {HttpDemoNetwork, subscribeToPayments, type PaidEvent} from './lib/http-network.js';
import {byId, errorText, formatSats, loadConfig, logLine, randomId} from './lib/page.js';

const STARTING_MSATS = 100_000_000; // 100 000 sats of play money

const ledger = new DemoLedger({id: randomId('wallet'), balanceMsats: STARTING_MSATS, network: new HttpDemoNetwork()});
const provider = byId<MsProvider>('provider');
const log = byId('log');
/** Our invoices not paid yet, by payment hash: each is credited once, and only ours are. */
const unpaid = new Map<string, IssuedInvoice>();

/** The balance on the page and the one offered to the app, after every change to the ledger (or the backend's). */
function showBalance(): void {
  provider.balanceMsats = ledger.balanceMsats;
  const backend = provider.backend;
  if (backend === undefined) {
    byId('balance').textContent = formatSats(ledger.balanceMsats);
    return;
  }
  if (backend.getBalance === undefined) return void (byId('balance').textContent = 'not told by this wallet');
  backend.getBalance().then(
    ({msats}) => backend === provider.backend && (byId('balance').textContent = formatSats(msats)),
    (error: unknown) => logLine(log, `Could not read the wallet's balance: ${errorText(error)}`, 'bad'),
  );
}

/**
 * The wallet behind the provider for each choice on the page; undefined: the
 * demo ledger, answering through the request events below. Add a backing by
 * adding its radio button in wallet.html and its case here.
 */
async function backendFor(backing: string): Promise<WalletBackend | undefined> {
  switch (backing) {
    case 'webln': {
      if (window.webln === undefined) throw new Error('there is no WebLN wallet in this browser');
      // The bridges are their own chunk: only pages that use one load it.
      const {WebLNBackend} = await import('../src/bridges/index.js');
      return new WebLNBackend(window.webln, {defaultMemo: 'Moneysocket demo wallet'});
    }
    // NWC: case 'nwc': return the NWC backend for the connection string pasted on the page.
    default:
      return undefined;
  }
}

const BACKING_NAMES: Record<string, string> = {ledger: 'the demo ledger', webln: 'your WebLN wallet'};

async function chooseBacking(backing: string): Promise<void> {
  try {
    provider.backend = await backendFor(backing);
    byId('backed-by').hidden = backing !== 'ledger';
    logLine(log, `Now backed by ${BACKING_NAMES[backing] ?? backing}.`, 'good');
  } catch (error) {
    logLine(log, `Could not switch to ${BACKING_NAMES[backing] ?? backing}: ${errorText(error)}`, 'bad');
  }
  showBalance();
}

/** The WebLN option is offered once a WebLN provider is in the page (extensions announce it with `webln:ready`). */
function offerWebLN(): void {
  if (window.webln === undefined) return;
  byId('backing').querySelector<HTMLInputElement>('input[value="webln"]')!.disabled = false;
  byId('webln-hint').hidden = true;
}

provider.addEventListener('ms-invoice-request', (event) => {
  const {msats} = event.detail.request;
  // With a backend, the page leaves the request alone and the backend answers it.
  if (provider.backend !== undefined) return logLine(log, `The app asks for an invoice for ${formatSats(msats)}: your wallet makes it.`);
  const invoice = ledger.createInvoice(msats, 'Moneysocket demo wallet').then(
    (issued) => {
      unpaid.set(issued.paymentHash, issued);
      logLine(log, `Made an invoice for ${formatSats(msats)} for the app.`);
      return issued.bolt11;
    },
    (error: unknown) => {
      logLine(log, `Could not make an invoice: ${errorText(error)}`, 'bad');
      throw error;
    },
  );
  event.detail.respondWith(invoice);
});

provider.addEventListener('ms-pay-request', (event) => {
  const msats = Number(event.detail.request.msats);
  if (provider.backend !== undefined) return logLine(log, `The app asks to pay ${formatSats(msats)}: your wallet pays it.`);
  const payment = ledger.pay(event.detail.request.bolt11);
  showBalance(); // the ledger holds the amount while the payment is in flight
  const settled = payment.then(
    (preimage) => {
      showBalance();
      logLine(log, `Paid ${formatSats(msats)} for the app.`, 'good');
      return preimage;
    },
    (error: unknown) => {
      showBalance();
      logLine(log, `Refused or failed to pay ${formatSats(msats)}: ${errorText(error)}`, 'bad');
      throw error;
    },
  );
  event.detail.respondWith(settled);
});

/** The network says one of our invoices was paid: take the money, then tell the app. */
function paid(event: PaidEvent): void {
  const invoice = unpaid.get(event.paymentHash);
  if (invoice === undefined || invoice.preimage !== event.preimage) return;
  unpaid.delete(event.paymentHash);
  ledger.credit(invoice.msats);
  showBalance();
  logLine(log, `Received ${formatSats(invoice.msats)}.`, 'good');
  try {
    provider.notifyInvoicePaid(event.preimage);
  } catch (error) {
    logLine(log, `Could not tell the app about it: ${errorText(error)}`, 'bad');
  }
}

provider.addEventListener('ms-connected', () => logLine(log, 'An app connected.', 'good'));
byId('backing').addEventListener('change', (event) => void chooseBacking((event.target as HTMLInputElement).value));
window.addEventListener('webln:ready', offerWebLN);
offerWebLN();
provider.addEventListener('ms-disconnected', () => logLine(log, 'The app left.'));
provider.addEventListener('ms-error', (event) => logLine(log, `${event.detail.code}: ${event.detail.message}`, 'bad'));

async function start(): Promise<void> {
  byId('ledger-id').textContent = ledger.id;
  showBalance();
  // A backend's balance changes as it pays and is paid: show it after every answer.
  provider.stack.on('answered', () => showBalance());
  const payments = subscribeToPayments(ledger.id, paid);
  const [config] = await Promise.all([loadConfig(), payments.ready]);
  // Only now: an app must not get an invoice from us before we can hear that it was paid.
  provider.relay = config.relayUrl;
  logLine(log, `Ready, through the relay at ${config.relayUrl}.`);
}

start().catch((error: unknown) => logLine(log, `Could not start: ${errorText(error)}`, 'bad'));
