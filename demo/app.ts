/**
 * The consumer app: a pay-per-article reader. It connects to a wallet with
 * `<ms-beacon-input>` + `<ms-consumer persist>` (a reload reconnects), sells
 * its article with `<ms-payment>` (the demo shop's invoice, paid through the
 * wallet, which asks its owner), and asks the wallet for an invoice that the
 * demo faucet pays.
 */
import '../src/elements/define/index.js';
import {decodeBolt11} from '../src/core/bolt11.js';
import type {MsPaymentReceivedDetail} from '../src/elements/events.js';
import type {MsBeaconInput} from '../src/elements/ms-beacon-input.js';
import type {MsConsumer} from '../src/elements/ms-consumer.js';
import type {MsPayment} from '../src/elements/ms-payment.js';
import {postJson} from './lib/http-network.js';
import {byId, errorText, fillAmounts, formatSats, logLine} from './lib/page.js';

const RECEIVE_MSATS = 5_000_000;
const PAYMENT_NEWS_TIMEOUT_MS = 20_000;
const ARTICLE = 'The Satoshi Times: "Why the relay never sees your money"';

const consumer = byId<MsConsumer>('consumer');
// This tab's own store, set before the element's first update reads it back.
consumer.storage = sessionStorage;
const beaconInput = document.querySelector<MsBeaconInput>('ms-beacon-input')!;
const payment = byId<MsPayment>('payment');
const receiveButton = byId<HTMLButtonElement>('receive');
const forgetButton = byId<HTMLButtonElement>('forget');
const log = byId('log');
let receiving = false;

/** Each button only when the wallet allows it and nothing is under way. */
function updateButtons(): void {
  const info = consumer.providerInfo;
  receiveButton.disabled = receiving || !info?.payee;
  forgetButton.disabled = consumer.beacon === undefined;
  byId('connect-hint').hidden = info?.payer === true || payment.state === 'paid';
}

function say(id: 'unlock-status' | 'receive-status', text: string): void {
  byId(id).textContent = text;
}

// The shop's invoice for the article: <ms-payment> asks for it, shows it, and pays it through the wallet.
payment.fetchInvoice = async (msats) => (await postJson<{bolt11: string}>('/demo-ln/merchant/invoice', {msats, description: ARTICLE})).bolt11;
payment.addEventListener('ms-paid', (event) => {
  byId('article-body').hidden = false;
  byId('article').dataset.state = 'unlocked';
  // The preimage hashes to the invoice's payment hash (the element checked): it is the receipt.
  say('unlock-status', `Unlocked. Receipt (preimage): ${event.detail.preimage?.slice(0, 16) ?? '?'}…`);
  logLine(log, `Paid ${formatSats(1_000_000)} to the shop; article unlocked.`, 'good');
  updateButtons();
});
payment.addEventListener('ms-payment-state', (event) => {
  if (event.detail.state === 'paying') say('unlock-status', 'Your wallet is asked to pay…');
  updateButtons();
});
// Why a payment did not go through (the wallet refused, a limit…), or why there is no invoice.
payment.addEventListener('ms-error', (event) => {
  say('unlock-status', `Not paid: ${event.detail.message}`);
  logLine(log, `Paying for the article failed: ${event.detail.message}`, 'bad');
});

async function receive(): Promise<void> {
  say('receive-status', 'Asking your wallet for an invoice…');
  const bolt11 = await consumer.requestInvoice(RECEIVE_MSATS, {description: 'Demo faucet'});
  const invoice = byId('invoice');
  invoice.textContent = bolt11;
  byId('invoice-row').hidden = false;
  // Listen before the faucet pays: the wallet's news may arrive before the faucet's own answer.
  let received = false;
  const news = paymentReceived(bolt11).then(() => void (received = true));
  news.catch(() => undefined); // if the faucet fails below, nobody awaits this: not an unhandled rejection
  say('receive-status', 'Your wallet made an invoice. The demo faucet is paying it…');
  await postJson('/demo-ln/faucet/pay', {bolt11});
  if (!received) say('receive-status', 'The faucet paid. Waiting for your wallet to confirm…');
  await news;
  say('receive-status', `Payment received: ${formatSats(RECEIVE_MSATS)}.`);
}

/** Resolves when the wallet says this invoice was paid; bounded, so the button never stays busy. */
function paymentReceived(bolt11: string): Promise<void> {
  const decoded = decodeBolt11(bolt11);
  const hash = decoded.ok ? decoded.value.paymentHash : undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error('the wallet did not confirm the payment'))), PAYMENT_NEWS_TIMEOUT_MS);
    const onReceived = (event: CustomEvent<MsPaymentReceivedDetail>): void => {
      if (event.detail.bolt11 !== bolt11 && event.detail.paymentHash !== hash) return;
      stop();
      resolve();
    };
    const stop = (): void => {
      clearTimeout(timer);
      consumer.removeEventListener('ms-payment-received', onReceived);
    };
    consumer.addEventListener('ms-payment-received', onReceived);
  });
}

async function runReceive(): Promise<void> {
  receiving = true;
  updateButtons();
  try {
    await receive();
  } catch (error) {
    say('receive-status', `Failed: ${errorText(error)}`);
    logLine(log, `Receiving failed: ${errorText(error)}`, 'bad');
  } finally {
    receiving = false;
    updateButtons();
  }
}

/** Forgets the wallet: disconnects, and erases the beacon this tab kept. */
async function forget(): Promise<void> {
  await consumer.forget();
  beaconInput.value = '';
  logLine(log, 'Disconnected from your wallet and forgot its beacon.');
  updateButtons();
}

receiveButton.addEventListener('click', () => void runReceive());
forgetButton.addEventListener('click', () => void forget());
consumer.addEventListener('ms-state', updateButtons);
consumer.addEventListener('ms-provider-info', updateButtons);
consumer.addEventListener('ms-connected', () => logLine(log, 'Connected to your wallet.', 'good'));
consumer.addEventListener('ms-disconnected', () => logLine(log, 'Disconnected from your wallet.'));
consumer.addEventListener('ms-error', (event) => logLine(log, `${event.detail.code}: ${event.detail.message}`, 'bad'));
consumer.addEventListener('ms-payment-received', (event) => {
  const msats = event.detail.bolt11 ? decodeBolt11(event.detail.bolt11) : undefined;
  const amount = msats?.ok && msats.value.msats !== null ? formatSats(msats.value.msats) : 'a payment';
  logLine(log, `Payment received: ${amount}.`, 'good');
});
beaconInput.addEventListener('ms-beacon', () => queueMicrotask(updateButtons));
fillAmounts();
updateButtons();
// A beacon kept from before the reload: show it in the field, as if typed.
void consumer.updateComplete.then(() => {
  if (consumer.beacon !== undefined && beaconInput.value === '') beaconInput.value = consumer.beacon;
  updateButtons();
});
