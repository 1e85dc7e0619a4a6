/**
 * Satoshi Coffee: a small app written only against WebLN (`window.webln`),
 * with no Moneysocket import. It waits for a provider (`webln:ready`, as
 * extensions announce themselves), enables it, shows what it allows and its
 * balance, pays the demo shop, and asks for an invoice the faucet pays.
 */
import type {WebLNProvider} from '@webbtc/webln-types';

const COFFEE_SATS = 500;
const REWARD_SATS = 1000;

/**
 * Amounts as the elements write them (src/elements/internal/balance.ts's displaySats, the demo's one number
 * format): the same Intl format, restated because this app imports nothing from the library.
 * The demo test checks that both read alike on this page.
 */
const sats = new Intl.NumberFormat(undefined, {maximumFractionDigits: 3});
const displaySats = (msats: number): string => `${sats.format(msats / 1000)} sats`;
const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const say = (id: string, text: string): void => void (byId(id).textContent = text);
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const buy = byId<HTMLButtonElement>('buy');
const claim = byId<HTMLButtonElement>('claim');
let methods: string[] = [];
let busy = false;

/** The WebLN provider: already there, or announced later with `webln:ready`. */
function findWebLN(): Promise<WebLNProvider> {
  if (window.webln) return Promise.resolve(window.webln);
  return new Promise((resolve) => window.addEventListener('webln:ready', () => resolve(window.webln!), {once: true}));
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
  const answer = (await response.json()) as T & {error?: string};
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

function updateButtons(): void {
  buy.disabled = busy || !methods.includes('sendPayment');
  claim.disabled = busy || !methods.includes('makeInvoice');
}

async function refresh(webln: WebLNProvider): Promise<void> {
  const info = await webln.getInfo();
  methods = info.methods;
  say('webln-methods', ['sendPayment', 'makeInvoice'].filter((m) => methods.includes(m)).join(', ') || 'nothing');
  if (methods.includes('getBalance') && webln.getBalance) {
    const {balance, currency} = await webln.getBalance();
    // WebLN balances are in sats unless the wallet says otherwise.
    say('webln-balance', currency === undefined || currency === 'sats' ? displaySats(balance * 1000) : `${balance} ${currency}`);
  }
  updateButtons();
}

async function run(webln: WebLNProvider, status: string, task: () => Promise<string>): Promise<void> {
  busy = true;
  updateButtons();
  try {
    say(status, await task());
  } catch (error) {
    // WebLN errors carry a name (RejectionError, ConnectionError, …) and a message for people.
    say(status, `Failed (${error instanceof Error ? error.name : 'Error'}): ${errorText(error)}`);
  } finally {
    busy = false;
    await refresh(webln).catch(() => updateButtons());
  }
}

async function main(): Promise<void> {
  const webln = await findWebLN();
  say('webln-status', 'Found window.webln. Waiting for your wallet: paste its beacon above.');
  await webln.enable();
  say('webln-status', 'Enabled: the app can use your wallet.');
  await refresh(webln);
  // WebLN's accountChanged; balanceChanged is what a Moneysocket wallet's WebLN adds (other wallets never fire it).
  for (const event of ['accountChanged', 'balanceChanged']) webln.on?.(event, () => void refresh(webln).catch(() => undefined));

  buy.addEventListener('click', () =>
    void run(webln, 'buy-status', async () => {
      say('buy-status', 'Asking the shop for an invoice…');
      const {bolt11} = await post<{bolt11: string}>('/demo-ln/merchant/invoice', {msats: COFFEE_SATS * 1000, description: 'A coffee'});
      say('buy-status', `Paying ${displaySats(COFFEE_SATS * 1000)} through WebLN…`);
      const {preimage} = await webln.sendPayment(bolt11);
      return `Paid: enjoy your coffee. Receipt (preimage): ${preimage.slice(0, 16)}…`;
    }),
  );
  claim.addEventListener('click', () =>
    void run(webln, 'claim-status', async () => {
      say('claim-status', 'Asking your wallet for an invoice…');
      const {paymentRequest} = await webln.makeInvoice({amount: REWARD_SATS, defaultMemo: 'Satoshi Coffee reward'});
      say('claim-status', 'The faucet is paying your invoice…');
      await post('/demo-ln/faucet/pay', {bolt11: paymentRequest});
      return `Received ${displaySats(REWARD_SATS * 1000)}.`;
    }),
  );
}

for (const element of document.querySelectorAll<HTMLElement>('[data-msats]')) element.textContent = displaySats(Number(element.dataset.msats));

main().catch((error: unknown) => say('webln-status', `WebLN failed: ${errorText(error)}`));
