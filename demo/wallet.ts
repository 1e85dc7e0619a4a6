/**
 * The provider wallet page: a DemoLedger (this tab's own, random id) behind
 * `<ms-provider>`. The page answers the app's requests from the ledger, keeps
 * the balance the app sees in step with it, and tells the app when one of the
 * invoices it asked for was paid. Or, at the person's choice, the provider is
 * backed by a real wallet, which then answers the requests the page leaves
 * alone: a WebLN wallet found in the browser (`provider.backend`), or a Nostr
 * Wallet Connect string pasted in, or the demo server's own (`provider.nwc`).
 *
 * Served from the ledger, every payment waits for the person's answer in a
 * dialog (the limits refuse larger ones before that). The tab keeps its
 * wallet across reloads: the ledger here (sessionStorage), the beacon and
 * budget in `<ms-provider persist>`.
 */
import '../src/elements/define/index.js';
import {refusal} from '../src/core/stack/answer-text.js';
import type {PayRequest} from '../src/core/stack/provider-stack.js';
import type {WalletBackend} from '../src/core/stack/wallet-backend.js';
import type {MsRequestRefusedDetail} from '../src/elements/events.js';
import type {MsProvider} from '../src/elements/ms-provider.js';
import {DemoLedger, type IssuedInvoice} from '../src/testing/demo-ledger.js';
import {ApprovalDialog} from './lib/approval.js';
import {HttpDemoNetwork, subscribeToPayments, type PaidEvent} from './lib/http-network.js';
import {byId, errorText, fillAmounts, formatSats, loadConfig, logLine, randomId, type DemoConfig} from './lib/page.js';
import {loadWalletState, saveWalletState} from './lib/wallet-state.js';

const STARTING_MSATS = 100_000_000; // 100,000 sats of play money
const DECLINED = "the wallet's owner declined it";

const provider = byId<MsProvider>('provider');
// Before the element's first update, which reads back what it kept: this tab's own store.
provider.storage = sessionStorage;
const kept = loadWalletState(sessionStorage);
const ledger = new DemoLedger({id: kept?.ledgerId ?? randomId('wallet'), balanceMsats: kept?.balanceMsats ?? STARTING_MSATS, network: new HttpDemoNetwork()});
const log = byId('log');
const approval = new ApprovalDialog(byId<HTMLDialogElement>('approval'));
/** Our invoices not paid yet, by payment hash: each is credited once, and only ours are. */
const unpaid = new Map<string, IssuedInvoice>(kept?.unpaid.map((invoice) => [invoice.paymentHash, invoice]));

/** Keeps the ledger, its unpaid invoices and the limits for the next load of this tab. */
function saveWallet(): void {
  const limits = {maxPaymentMsats: provider.maxPaymentMsats, dailyBudgetMsats: provider.dailyBudgetMsats};
  saveWalletState(sessionStorage, {ledgerId: ledger.id, balanceMsats: ledger.balanceMsats, unpaid: [...unpaid.values()], limits});
}

/** The wallet that answers the app instead of this page: a backend, or an NWC string (connecting or connected). */
function servedByWallet(): boolean {
  return provider.backend !== undefined || Boolean(provider.nwc);
}

/** The balance on the page and the one offered to the app, after every change to the ledger (or the wallet's). */
function showBalance(): void {
  provider.balanceMsats = ledger.balanceMsats;
  saveWallet();
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
      saveWallet();
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
  const {request} = event.detail;
  const msats = Number(request.msats);
  if (provider.nwc) return logLine(log, `The app asks to pay ${formatSats(msats)}: the NWC wallet pays.`);
  if (provider.backend !== undefined) return logLine(log, `The app asks to pay ${formatSats(msats)}: your wallet pays it.`);
  if (approval.busy) {
    // Decided now, while the event is dispatched: one question at a time.
    event.preventDefault();
    return logLine(log, `Refused to pay ${formatSats(msats)}: another payment is waiting for your answer.`, 'bad');
  }
  // The answer is a promise: it waits for the person, then pays (or refuses, which the app may ask again after).
  event.detail.respondWith(askThenPay(request));
});

/** Shows the approval dialog; pays from the ledger if approved, else refuses. */
async function askThenPay(request: PayRequest): Promise<string> {
  const msats = Number(request.msats);
  const description = request.invoice.description ?? '(the invoice has no description)';
  logLine(log, `The app asks to pay ${formatSats(msats)} (${description}): waiting for your answer.`);
  if (!(await approval.ask({amount: formatSats(msats), description}))) {
    logLine(log, `Declined paying ${formatSats(msats)}.`, 'bad');
    throw refusal(DECLINED);
  }
  const payment = ledger.pay(request.bolt11);
  showBalance(); // the ledger holds the amount while the payment is in flight
  try {
    const preimage = await payment;
    logLine(log, `Paid ${formatSats(msats)} for the app.`, 'good');
    return preimage;
  } catch (error) {
    logLine(log, `Failed to pay ${formatSats(msats)}: ${errorText(error)}`, 'bad');
    throw error;
  } finally {
    showBalance();
  }
}

/** What the element refused by itself: a limit, the budget, a permission. */
function showRefusal({kind, request, code, message}: MsRequestRefusedDetail): void {
  const amount = 'msats' in request ? ` ${formatSats(request.msats)}` : '';
  const what = kind === 'pay' ? `to pay${amount}` : `for an invoice${amount && ` of${amount}`}`;
  logLine(log, `Refused the app's request ${what} (${code}): ${message}.`, 'bad');
}

/** The limit inputs show the provider's attributes, and write them back (in sats; empty: no limit). */
function bindLimits(): void {
  const fields = [
    {input: byId<HTMLInputElement>('max-payment'), attribute: 'max-payment-msats', value: kept?.limits.maxPaymentMsats},
    {input: byId<HTMLInputElement>('daily-budget'), attribute: 'daily-budget-msats', value: kept?.limits.dailyBudgetMsats},
  ];
  for (const {input, attribute, value} of fields) {
    if (kept !== undefined) setLimit(attribute, value === undefined ? '' : String(value / 1000));
    const msats = provider.getAttribute(attribute);
    input.value = msats === null ? '' : String(Number(msats) / 1000);
    input.addEventListener('change', () => {
      setLimit(attribute, input.value);
      saveWallet();
      logLine(log, input.value === '' ? `No ${input.labels?.[0]?.textContent?.toLowerCase()} limit.` : `${input.labels?.[0]?.textContent}: ${formatSats(Number(input.value) * 1000)}.`);
    });
  }
}

function setLimit(attribute: string, sats: string): void {
  const value = Number(sats);
  if (sats.trim() === '' || !Number.isFinite(value) || value <= 0) provider.removeAttribute(attribute);
  else provider.setAttribute(attribute, String(Math.round(value * 1000)));
}

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
provider.addEventListener('ms-request-refused', (event) => showRefusal(event.detail));
byId('disconnect').addEventListener('click', () => {
  provider.forget().then(
    () => logLine(log, 'Disconnected the app. This wallet has a new beacon: the old one no longer reaches it.'),
    (error: unknown) => logLine(log, `Could not disconnect: ${errorText(error)}`, 'bad'),
  );
});
bindLimits();
fillAmounts();

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
