/**
 * The demo, end to end, as a person would use it: open the wallet and the app
 * in two tabs, copy the wallet's beacon into the app by typing it, unlock the
 * article (the wallet pays), receive a payment (the wallet's invoice is paid),
 * and watch both balances follow. Screenshots of both apps are saved. Then the
 * WebLN-only app paid through the wallet, and the wallet backed by a WebLN
 * wallet found in the browser.
 */
import {expect} from 'chai';
import {mkdir} from 'node:fs/promises';
import type {Browser, Page} from 'puppeteer-core';
import {startDemo, type DemoHandle} from '../../demo/server.js';
import {launchChromium, openTab, sats, textOf, waitForText} from './browser-helpers.js';

const SCREENSHOTS = 'test-results/screenshots';
const START_SATS = 100_000;

describe('the demo in Chromium', function () {
  this.timeout(120_000);
  let demo: DemoHandle | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];

  before(async () => {
    demo = await startDemo({port: 0, relayPort: 0});
    browser = await launchChromium();
  });

  afterEach(async function () {
    // On failure, what each page said helps more than the timeout.
    if (this.currentTest?.state !== 'failed' || browser === undefined) return;
    for (const page of await browser.pages()) console.log(page.url(), '\n  log:', await textOf(page, '#log').catch(() => '?'));
    console.log('errors:', errors);
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  /** Both apps show the wallet's balance: the wallet in its own words, the app through <ms-consumer>. */
  async function expectBalances(wallet: Page, app: Page, expected: number): Promise<void> {
    await waitForText(wallet, '#balance', (text) => sats(text) === expected, `the wallet to show ${expected} sats`);
    await waitForText(app, 'ms-consumer >>> [part="balance"] dd', (text) => sats(text) === expected, `the app to show ${expected} sats`);
  }

  /** A wallet tab waiting for an app; resolves with its beacon. */
  async function openWallet(wallet: Page): Promise<string> {
    await waitForText(wallet, 'ms-provider >>> [part="state"]', (text) => text.includes('Waiting for an app'), 'the wallet to wait for an app');
    return waitForText(wallet, 'ms-beacon-display >>> [part="text"]', (text) => text.startsWith('moneysocket1'), 'the beacon');
  }

  /** Types the beacon into a page's <ms-beacon-input>, as a person pastes it. */
  async function typeBeacon(page: Page, beacon: string): Promise<void> {
    await page.bringToFront();
    await page.locator('ms-beacon-input >>> input').click();
    await page.keyboard.type(beacon);
    await waitForText(page, 'ms-beacon-input >>> [part="message"]', (text) => text === 'Beacon OK', 'the field to accept the beacon');
  }

  /**
   * Answers the wallet's approval dialog, after checking that it shows the amount and the invoice's description,
   * then brings `back` to the front again (puppeteer's locators wait for frames a background tab does not draw).
   */
  async function answer(wallet: Page, back: Page, choice: 'approve' | 'decline', amount: string, description: string): Promise<void> {
    await wallet.bringToFront();
    await wallet.waitForSelector('#approval[open]', {timeout: 20_000});
    expect(await textOf(wallet, '#approval [data-field="amount"]')).to.equal(amount);
    expect(await textOf(wallet, '#approval [data-field="description"]')).to.include(description);
    await wallet.locator(`#${choice}`).click();
    await wallet.waitForSelector('#approval:not([open])');
    await back.bringToFront();
  }

  /** Presses the article's "Pay with your Moneysocket wallet" and answers the wallet's question. */
  async function payForArticle(app: Page, wallet: Page, choice: 'approve' | 'decline'): Promise<void> {
    await app.bringToFront();
    await app.locator('ms-payment >>> [part="pay-button"]').setTimeout(20_000).click();
    await answer(wallet, app, choice, '1,000 sats', 'Why the relay never sees your money');
  }

  /** A wallet and an app connected through the wallet's beacon. */
  async function connectedPair(): Promise<{wallet: Page; app: Page; beacon: string}> {
    const wallet = await openTab(browser!, `${demo!.url}wallet.html`, errors);
    const beacon = await openWallet(wallet);
    const app = await openTab(browser!, `${demo!.url}app.html`, errors);
    await typeBeacon(app, beacon);
    await waitForText(app, 'ms-consumer >>> [part="state"]', (text) => text === 'Connected', 'the app to connect');
    await expectBalances(wallet, app, START_SATS);
    return {wallet, app, beacon};
  }

  it('connects the app to the wallet with the beacon, pays for an article and receives a payment', async () => {
    const wallet = await openTab(browser!, `${demo!.url}wallet.html`, errors);
    await waitForText(wallet, 'ms-provider >>> [part="state"]', (text) => text.includes('Waiting for an app'), 'the wallet to wait for an app');
    const beacon = await waitForText(wallet, 'ms-beacon-display >>> [part="text"]', (text) => text.startsWith('moneysocket1'), 'the beacon');
    expect(sats((await textOf(wallet, '#balance'))!)).to.equal(START_SATS);
    await wallet.locator('ms-beacon-display >>> [part="copy-button"]').click();
    await waitForText(wallet, 'ms-beacon-display >>> [part="status"]', (text) => text === 'Copied', 'the copy button to say "Copied"');

    // The person types the beacon into the app's field.
    const app = await openTab(browser!, `${demo!.url}app.html`, errors);
    await app.bringToFront();
    await app.locator('ms-beacon-input >>> input').click();
    await app.keyboard.type(beacon);
    await waitForText(app, 'ms-beacon-input >>> [part="message"]', (text) => text === 'Beacon OK', 'the field to accept the beacon');
    await waitForText(app, 'ms-consumer >>> [part="state"]', (text) => text === 'Connected', 'the app to connect');
    await waitForText(wallet, 'ms-provider >>> [part="state"]', (text) => text === 'App connected', 'the wallet to see the app');
    await expectBalances(wallet, app, START_SATS);

    // Pay for the article: the wallet asks its owner, who approves; it pays the shop 1,000 sats.
    expect(await app.$eval('#article-body', (body) => (body as HTMLElement).hidden)).to.equal(true);
    await payForArticle(app, wallet, 'approve');
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Unlocked.'), 'the article to unlock');
    expect(await app.$eval('#article-body', (body) => (body as HTMLElement).hidden)).to.equal(false);
    await expectBalances(wallet, app, START_SATS - 1_000);

    // Receive 5,000 sats: the wallet makes an invoice, the demo faucet pays it, the app hears of it.
    await app.locator('#receive').setTimeout(20_000).click();
    await waitForText(app, '#receive-status', (text) => text.startsWith('Payment received') && sats(text) === 5_000, 'the payment to be received');
    expect(await textOf(app, '#invoice')).to.match(/^lnbc/);
    await expectBalances(wallet, app, START_SATS - 1_000 + 5_000);
    await waitForText(wallet, '#log', (text) => text.includes('Received 5,000 sats.'), "the wallet's activity log");
    // The wallet found no WebLN wallet in this browser, so it offers none.
    expect(await wallet.$eval('input[value="webln"]', (input) => (input as HTMLInputElement).disabled)).to.equal(true);

    await mkdir(SCREENSHOTS, {recursive: true});
    await app.screenshot({path: `${SCREENSHOTS}/app.png`, fullPage: true});
    await wallet.bringToFront();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a background tab finishes its CSS transitions only once shown
    await wallet.screenshot({path: `${SCREENSHOTS}/wallet.png`, fullPage: true});
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });

  it('refuses what the owner declines, and what is over the limits without asking; shows both', async () => {
    const {wallet, app} = await connectedPair();
    await payForArticle(app, wallet, 'decline');
    await waitForText(app, 'ms-payment >>> [part="status"]', (text) => text.startsWith('The payment did not go through'), 'the payment to fail, nothing paid');
    await waitForText(app, '#unlock-status', (text) => text.includes("the wallet's owner declined it"), 'the app to say why');
    await waitForText(wallet, '#log', (text) => text.includes('Declined paying 1,000 sats.'), "the wallet's log");
    await waitForText(wallet, 'ms-provider >>> [part="request"]', (text) => text.includes('refused'), "the provider's activity");
    await expectBalances(wallet, app, START_SATS);

    // The largest payment, 500 sats: the element refuses the 1,000 by itself, with no dialog.
    await wallet.bringToFront();
    await wallet.locator('#max-payment').fill('500');
    await wallet.$eval('#max-payment', (input) => input.dispatchEvent(new Event('change')));
    expect(await wallet.$eval('#provider', (provider) => provider.getAttribute('max-payment-msats'))).to.equal('500000');
    await app.bringToFront();
    await app.locator('ms-payment >>> [part="pay-button"]').setTimeout(20_000).click();
    await waitForText(wallet, '#log', (text) => text.includes('(OVER_LIMIT)'), 'the refusal in the wallet (ms-request-refused)');
    expect(await wallet.$eval('#approval', (dialog) => (dialog as HTMLDialogElement).open)).to.equal(false);
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Not paid:'), 'the app to hear the refusal');

    // No limit: asked again, approved, paid.
    await wallet.bringToFront();
    await wallet.locator('#max-payment').fill('');
    await wallet.$eval('#max-payment', (input) => input.dispatchEvent(new Event('change')));
    expect(await wallet.$eval('#provider', (provider) => provider.hasAttribute('max-payment-msats'))).to.equal(false);
    await payForArticle(app, wallet, 'approve');
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Unlocked.'), 'the article to unlock');
    await expectBalances(wallet, app, START_SATS - 1_000);
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });

  it('keeps the wallet and the app across reloads, and disconnects for good with a new beacon', async () => {
    const {wallet, app, beacon} = await connectedPair();
    await payForArticle(app, wallet, 'approve');
    await expectBalances(wallet, app, START_SATS - 1_000);
    await wallet.bringToFront();
    await wallet.locator('#daily-budget').fill('20000');
    await wallet.$eval('#daily-budget', (input) => input.dispatchEvent(new Event('change')));

    // The wallet tab reloads: same ledger and balance, same beacon, same limits; the app comes back by itself.
    await wallet.reload({waitUntil: 'load'});
    expect(await waitForText(wallet, 'ms-provider >>> [part="state"]', (text) => text === 'App connected', 'the app back at the reloaded wallet')).to.equal('App connected');
    expect(await wallet.$eval('#provider', (provider) => (provider as HTMLElement & {beacon?: string}).beacon)).to.equal(beacon);
    expect(await wallet.$eval('#daily-budget', (input) => (input as HTMLInputElement).value)).to.equal('20000');
    await expectBalances(wallet, app, START_SATS - 1_000);

    // The app tab reloads: it reconnects with the beacon it kept, and shows it in the field.
    await app.reload({waitUntil: 'load'});
    await waitForText(app, 'ms-consumer >>> [part="state"]', (text) => text === 'Connected', 'the reloaded app to reconnect');
    expect(await app.$eval('ms-beacon-input', (input) => (input as HTMLElement & {value: string}).value)).to.equal(beacon);

    // Disconnect: the wallet serves a new beacon; the app, left with the old one, waits in vain.
    await wallet.bringToFront();
    await wallet.locator('#disconnect').click();
    await waitForText(wallet, '#log', (text) => text.includes('Disconnected the app.'), "the wallet's log");
    const fresh = await openWallet(wallet);
    expect(fresh).to.not.equal(beacon);
    await waitForText(app, 'ms-consumer >>> [part="state"]', (text) => text !== 'Connected', 'the app to lose its wallet');
    await app.bringToFront();
    await app.locator('#forget').click();
    await waitForText(app, 'ms-consumer >>> [part="state"]', (text) => text === 'Not connected', 'the app to forget its wallet');
    expect(await app.evaluate(() => sessionStorage.getItem('moneysocket-consumer:beacon'))).to.equal(null);
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });

  it('lets an app written only for WebLN pay and get paid through the wallet, with <ms-consumer install-webln>', async () => {
    const wallet = await openTab(browser!, `${demo!.url}wallet.html`, errors);
    const beacon = await openWallet(wallet);
    const shop = await openTab(browser!, `${demo!.url}webln-app.html`, errors);
    expect(await textOf(shop, '#webln-status')).to.include('Waiting for your wallet');
    await typeBeacon(shop, beacon);
    await waitForText(shop, '#webln-status', (text) => text.startsWith('Enabled'), 'webln.enable() to resolve');
    expect(await textOf(shop, '#webln-methods')).to.equal('sendPayment, makeInvoice');
    await waitForText(shop, '#webln-balance', (text) => sats(text) === START_SATS, 'webln.getBalance()');

    await shop.locator('#buy').setTimeout(20_000).click();
    await answer(wallet, shop, 'approve', '500 sats', 'A coffee');
    await waitForText(shop, '#buy-status', (text) => text.startsWith('Paid'), 'webln.sendPayment()');
    await waitForText(shop, '#webln-balance', (text) => sats(text) === START_SATS - 500, 'the balance after paying');
    await waitForText(wallet, '#balance', (text) => sats(text) === START_SATS - 500, "the wallet's balance after paying");

    await shop.locator('#claim').setTimeout(20_000).click();
    await waitForText(shop, '#claim-status', (text) => text === 'Received 1,000 sats.', 'webln.makeInvoice() paid by the faucet');
    await waitForText(shop, '#webln-balance', (text) => sats(text) === START_SATS + 500, 'the balance after receiving');
    await waitForText(wallet, '#balance', (text) => sats(text) === START_SATS + 500, "the wallet's balance after receiving");
    await mkdir(SCREENSHOTS, {recursive: true});
    await shop.screenshot({path: `${SCREENSHOTS}/webln-app.png`, fullPage: true});
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });

  it('backs the wallet with a WebLN wallet found in the browser, which then pays for the app', async () => {
    const page = await openTab(browser!, `${demo!.url}wallet.html`, errors, (tab) => injectExtensionWallet(tab, 50_000));
    const beacon = await openWallet(page);
    await page.locator('input[value="webln"]').click();
    await waitForText(page, '#log', (text) => text.includes('Now backed by your WebLN wallet.'), 'the switch to WebLN');
    await waitForText(page, '#balance', (text) => sats(text) === 50_000, "the WebLN wallet's balance");

    const app = await openTab(browser!, `${demo!.url}app.html`, errors);
    await typeBeacon(app, beacon);
    await waitForText(app, 'ms-consumer >>> [part="balance"] dd', (text) => sats(text) === 50_000, "the WebLN wallet's balance at the app");
    await app.locator('ms-payment >>> [part="pay-button"]').setTimeout(20_000).click();
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Unlocked.'), 'the article to unlock, paid by the WebLN wallet');
    expect(await page.$eval('#approval', (dialog) => (dialog as HTMLDialogElement).open), 'the WebLN wallet decides, not the dialog').to.equal(false);
    await waitForText(page, '#log', (text) => text.includes('your wallet pays it'), "the wallet's log");
    await waitForText(app, 'ms-consumer >>> [part="balance"] dd', (text) => sats(text) === 49_000, 'the balance after paying, at the app');
    await waitForText(page, '#balance', (text) => sats(text) === 49_000, 'the balance after paying, at the wallet');
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });
});

/**
 * What a WebLN browser extension does, injected before the page's scripts:
 * a `window.webln` whose money is the demo server's (its faucet pays, its shop
 * makes invoices), announced with `webln:ready`. Given as source text: tsx
 * would wrap a function's inner functions in a `__name` helper the page lacks.
 */
function injectExtensionWallet(page: Page, balanceSats: number): Promise<unknown> {
  return page.evaluateOnNewDocument(`(() => {
    let balance = ${JSON.stringify(balanceSats)};
    async function post(path, body) {
      const response = await fetch(path, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
      const answer = await response.json();
      if (!response.ok) throw new Error(String(answer.error));
      return answer;
    }
    window.webln = {
      enable: async () => undefined,
      getInfo: async () => ({node: {alias: 'Test extension', pubkey: ''}, version: '1', supports: ['lightning'], methods: ['sendPayment', 'makeInvoice', 'getBalance']}),
      sendPayment: async (bolt11) => {
        const {preimage, msats} = await post('/demo-ln/faucet/pay', {bolt11});
        balance -= msats / 1000;
        return {preimage};
      },
      makeInvoice: async (args) => ({paymentRequest: (await post('/demo-ln/merchant/invoice', {msats: Number(args.amount) * 1000})).bolt11}),
      getBalance: async () => ({balance, currency: 'sats'}),
    };
    window.addEventListener('DOMContentLoaded', () => window.dispatchEvent(new Event('webln:ready')));
  })();`);
}
