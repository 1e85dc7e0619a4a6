/**
 * The provider wallet page: a DemoLedger (this tab's own, random id) behind
 * `<ms-provider>`. The page answers the app's requests from the ledger, keeps
 * the balance the app sees in step with it, and tells the app when one of the
 * invoices it asked for was paid. Or, at the person's choice, the provider is
 * backed by a real wallet, which then answers the requests the page leaves
 * alone: a WebLN wallet found in the browser (`provider.backend`), or a Nostr
 * Wallet Connect string pasted in, or the demo server's own (`provider.nwc`).
 */
import '../src/elements/define/index.js';
import type {WalletBackend} from '../src/core/stack/wallet-backend.js';
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

/** The wallet that answers the app instead of this page: a backend, or an NWC string (connecting or connected). */
function servedByWallet(): boolean {
  return provider.backend !== undefined || Boolean(provider.nwc);
}

/** The balance on the page and the one offered to the app, after every change to the ledger (or the wallet's). */
function showBalance(): void {
  provider.balanceMsats = ledger.balanceMsats;
  // The element hands `backend` to its stack on its next update: read the property itself.
  const backend = provider.backend ?? provider.stack.backend;
  if (!servedByWallet() || backend === undefined) {
    if (!servedByWallet()) byId('balance').textContent = formatSats(ledger.balanceMsats);
    return;
  }
  if (backend.getBalance === undefined) return void (byId('balance').textContent = 'not told by this wallet');
  backend.getBalance().then(
    ({msats}) => backend === (provider.backend ?? provider.stack.backend) && (byId('balance').textContent = formatSats(msats)),
    (error: unknown) => logLine(log, `Could not read the wallet's balance: ${errorText(error)}`, 'bad'),
  );
}

/**
 * The wallet behind the provider for each choice on the page; undefined: the
 * demo ledger, answering through the request events below. (NWC is not a
 * backend the page builds: `provider.nwc` takes the string, see useNwc().)
 */
async function backendFor(backing: string): Promise<WalletBackend | undefined> {
  if (backing !== 'webln') return undefined;
  if (window.webln === undefined) throw new Error('there is no WebLN wallet in this browser');
  // The bridges are their own chunk: only pages that use one load it.
  const {WebLNBackend} = await import('../src/bridges/index.js');
  return new WebLNBackend(window.webln, {defaultMemo: 'Moneysocket demo wallet'});
}

const BACKING_TEXT: Record<string, string> = {
  ledger: "This page's own play-money ledger.",
  webln: 'Your WebLN wallet: it answers the app.',
  nwc: 'A Nostr Wallet Connect wallet: connecting…',
};

function showBacking(backing: string): void {
  byId('backing').textContent = BACKING_TEXT[backing] ?? backing;
  byId('ledger-line').hidden = backing !== 'ledger';
  byId('backing-choice').querySelector<HTMLInputElement>(`input[value="${backing}"]`)!.checked = true;
}

async function chooseBacking(backing: string): Promise<void> {
  showBacking(backing);
  if (backing === 'nwc') return logLine(log, 'Paste a nostr+walletconnect:// string, or use the demo\'s own NWC wallet.');
  useNwc(undefined);
  try {
    provider.backend = await backendFor(backing);
    logLine(log, `Now backed by ${backing === 'webln' ? 'your WebLN wallet' : 'the demo ledger'}.`, 'good');
  } catch (error) {
    logLine(log, `Could not switch: ${errorText(error)}`, 'bad');
  }
  showBalance();
}

/** While an NWC wallet serves the app, the page shows the balance the app is told. */
let nwcWatch: ReturnType<typeof setInterval> | undefined;

/** Serves the app from the NWC wallet for `connection`, or (undefined) stops doing so. */
function useNwc(connection: string | undefined): void {
  clearInterval(nwcWatch);
  nwcWatch = undefined;
  if (connection === undefined) {
    provider.nwc = undefined;
    return;
  }
  provider.backend = undefined;
  provider.nwc = connection;
  showBacking('nwc');
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
}

/** The WebLN option is offered once a WebLN provider is in the page (extensions announce it with `webln:ready`). */
function offerWebLN(): void {
  if (window.webln === undefined) return;
  byId('backing-choice').querySelector<HTMLInputElement>('input[value="webln"]')!.disabled = false;
  byId('webln-hint').hidden = true;
}

provider.addEventListener('ms-invoice-request', (event) => {
  const {msats} = event.detail.request;
  // Served by a wallet, the page leaves the request alone and the wallet answers it.
  if (provider.nwc) return logLine(log, `The app asks for an invoice for ${formatSats(msats)}: the NWC wallet makes it.`);
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
  if (provider.nwc) return logLine(log, `The app asks to pay ${formatSats(msats)}: the NWC wallet pays.`);
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
byId('backing-choice').addEventListener('change', (event) => void chooseBacking((event.target as HTMLInputElement).value));
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
  setUpNwc(config);
  // Only now: an app must not get an invoice from us before we can hear that it was paid.
  provider.relay = config.relayUrl;
  logLine(log, `Ready, through the relay at ${config.relayUrl}.`);
}

start().catch((error: unknown) => logLine(log, `Could not start: ${errorText(error)}`, 'bad'));
