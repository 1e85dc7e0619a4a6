/**
 * The consumer app: a pay-per-article reader. It connects to a wallet with
 * `<ms-beacon-input>` + `<ms-consumer>`, pays the demo shop's invoice through
 * the wallet to unlock an article, and asks the wallet for an invoice that
 * the demo faucet pays.
 */
import '../src/elements/define/index.js';
import {decodeBolt11} from '../src/core/bolt11.js';
import type {MsPaymentReceivedDetail} from '../src/elements/events.js';
import type {MsConsumer} from '../src/elements/ms-consumer.js';
import {postJson} from './lib/http-network.js';
import {byId, errorText, formatSats, logLine} from './lib/page.js';

const ARTICLE_MSATS = 1_000_000;
const RECEIVE_MSATS = 5_000_000;
const PAYMENT_NEWS_TIMEOUT_MS = 20_000;

const consumer = byId<MsConsumer>('consumer');
const unlockButton = byId<HTMLButtonElement>('unlock');
const receiveButton = byId<HTMLButtonElement>('receive');
const log = byId('log');
const busy = {unlock: false, receive: false};
let unlocked = false;

/** Each button only when the wallet allows it and nothing is under way. */
function updateButtons(): void {
  const info = consumer.providerInfo;
  unlockButton.disabled = busy.unlock || !info?.payer;
  unlockButton.hidden = unlocked;
  receiveButton.disabled = busy.receive || !info?.payee;
  byId('connect-hint').hidden = info !== undefined;
}

function say(id: 'unlock-status' | 'receive-status', text: string): void {
  byId(id).textContent = text;
}

async function unlockArticle(): Promise<void> {
  say('unlock-status', 'Asking the shop for an invoice…');
  const {bolt11} = await postJson<{bolt11: string}>('/demo-ln/merchant/invoice', {
    msats: ARTICLE_MSATS,
    description: 'The Satoshi Times: "Why the relay never sees your money"',
  });
  say('unlock-status', `Paying ${formatSats(ARTICLE_MSATS)} through your wallet…`);
  // The element checks that the preimage hashes to the invoice's payment hash: it is the receipt.
  const preimage = await consumer.requestPay(bolt11);
  unlocked = true;
  byId('article-body').hidden = false;
  byId('article').dataset.state = 'unlocked';
  say('unlock-status', `Unlocked. Receipt (preimage): ${preimage.slice(0, 16)}…`);
  logLine(log, `Paid ${formatSats(ARTICLE_MSATS)} to the shop; article unlocked.`, 'good');
}

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

/** Runs one button's action: busy while it runs, and any failure said in its status line. */
async function run(action: 'unlock' | 'receive', task: () => Promise<void>): Promise<void> {
  busy[action] = true;
  updateButtons();
  try {
    await task();
  } catch (error) {
    say(`${action}-status`, `Failed: ${errorText(error)}`);
    logLine(log, `${action === 'unlock' ? 'Unlocking' : 'Receiving'} failed: ${errorText(error)}`, 'bad');
  } finally {
    busy[action] = false;
    updateButtons();
  }
}

unlockButton.addEventListener('click', () => void run('unlock', unlockArticle));
receiveButton.addEventListener('click', () => void run('receive', receive));

consumer.addEventListener('ms-state', updateButtons);
consumer.addEventListener('ms-provider-info', updateButtons);
consumer.addEventListener('ms-connected', () => logLine(log, 'Connected to your wallet.', 'good'));
consumer.addEventListener('ms-disconnected', () => logLine(log, 'Disconnected from your wallet.'));
consumer.addEventListener('ms-error', (event) => logLine(log, `${event.detail.code}: ${event.detail.message}`, 'bad'));
consumer.addEventListener('ms-payment-received', (event) => {
  const msats = event.detail.bolt11 ? decodeBolt11(event.detail.bolt11) : undefined;
  const amount = msats?.ok && msats.value.msats !== null ? formatSats(Number(msats.value.msats)) : 'a payment';
  logLine(log, `Payment received: ${amount}.`, 'good');
});
updateButtons();
