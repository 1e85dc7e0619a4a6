/**
 * The provider wallet page: a DemoLedger (this tab's own, random id) behind
 * `<ms-provider>`. The page answers the app's requests from the ledger, keeps
 * the balance the app sees in step with it, and tells the app when one of the
 * invoices it asked for was paid. Or, with a Nostr Wallet Connect string
 * pasted in (or the demo server's own NWC wallet), `<ms-provider nwc>` serves
 * the app from that wallet and the page only watches.
 */
import '../src/elements/define/index.js';
import type {MsProvider} from '../src/elements/ms-provider.js';
import {DemoLedger, type IssuedInvoice} from '../src/testing/demo-ledger.js';
import {HttpDemoNetwork, subscribeToPayments, type PaidEvent} from './lib/http-network.js';
import {byId, errorText, formatSats, loadConfig, logLine, randomId, type DemoConfig} from './lib/page.js';

const STARTING_MSATS = 100_000_000; // 100 000 sats of play money

const ledger = new DemoLedger({id: randomId('wallet'), balanceMsats: STARTING_MSATS, network: new HttpDemoNetwork()});
const provider = byId<MsProvider>('provider');
const log = byId('log');
/** Our invoices not paid yet, by payment hash: each is credited once, and only ours are. */
const unpaid = new Map<string, IssuedInvoice>();

/** While an NWC wallet serves the app, the balance shown is the one the app is told. */
let nwcWatch: ReturnType<typeof setInterval> | undefined;

/** The balance on the page and the one offered to the app, after every change to the ledger. */
function showBalance(): void {
  provider.balanceMsats = ledger.balanceMsats;
  if (provider.nwc) return;
  byId('balance').textContent = formatSats(ledger.balanceMsats);
}

provider.addEventListener('ms-invoice-request', (event) => {
  const {msats} = event.detail.request;
  // Left unanswered, the NWC wallet answers.
  if (provider.nwc) return logLine(log, `The app asks for an invoice for ${formatSats(msats)}: the NWC wallet makes it.`);
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
  if (provider.nwc) return logLine(log, `The app asks to pay ${formatSats(msats)}: the NWC wallet pays.`);
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
provider.addEventListener('ms-disconnected', () => logLine(log, 'The app left.'));
provider.addEventListener('ms-error', (event) => logLine(log, `${event.detail.code}: ${event.detail.message}`, 'bad'));

/** Serves the app from the NWC wallet for `connection`, or (undefined) from this page's ledger again. */
function useNwc(connection: string | undefined): void {
  clearInterval(nwcWatch);
  nwcWatch = undefined;
  provider.nwc = connection;
  byId('use-ledger').hidden = connection === undefined;
  byId('ledger-line').hidden = connection !== undefined;
  if (connection === undefined) {
    byId('backing').textContent = "This page's own play-money ledger.";
    showBalance();
    return logLine(log, "Back to this page's own ledger.");
  }
  byId('backing').textContent = 'A Nostr Wallet Connect wallet: connecting…';
  logLine(log, 'Connecting to the NWC wallet…');
  // The element keeps the app's balance in step with the wallet; the page shows the same figure.
  nwcWatch = setInterval(() => {
    const msats = provider.stack.backend === undefined ? undefined : provider.stack.providerInfo?.wad?.msats;
    if (msats === undefined) return;
    byId('backing').textContent = 'A Nostr Wallet Connect wallet: it answers the app.';
    byId('balance').textContent = formatSats(msats);
  }, 500);
}

function setUpNwc(config: DemoConfig): void {
  const input = byId<HTMLInputElement>('nwc-input');
  byId('nwc-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim() === '') return logLine(log, 'Paste a nostr+walletconnect:// string first.', 'bad');
    useNwc(input.value.trim());
  });
  const demoButton = byId<HTMLButtonElement>('nwc-demo');
  demoButton.hidden = config.nwcUrl === undefined;
  demoButton.addEventListener('click', () => {
    input.value = config.nwcUrl ?? '';
    useNwc(config.nwcUrl);
  });
  byId('use-ledger').addEventListener('click', () => useNwc(undefined));
}

async function start(): Promise<void> {
  byId('ledger-id').textContent = ledger.id;
  showBalance();
  const payments = subscribeToPayments(ledger.id, paid);
  const [config] = await Promise.all([loadConfig(), payments.ready]);
  setUpNwc(config);
  // Only now: an app must not get an invoice from us before we can hear that it was paid.
  provider.relay = config.relayUrl;
  logLine(log, `Ready, through the relay at ${config.relayUrl}.`);
}

start().catch((error: unknown) => logLine(log, `Could not start: ${errorText(error)}`, 'bad'));
