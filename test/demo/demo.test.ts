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

    // Unlock the article: the wallet pays the shop 1 000 sats.
    expect(await app.$eval('#article-body', (body) => (body as HTMLElement).hidden)).to.equal(true);
    await app.locator('#unlock').setTimeout(20_000).click();
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Unlocked.'), 'the article to unlock');
    expect(await app.$eval('#article-body', (body) => (body as HTMLElement).hidden)).to.equal(false);
    await expectBalances(wallet, app, START_SATS - 1_000);

    // Receive 5 000 sats: the wallet makes an invoice, the demo faucet pays it, the app hears of it.
    await app.locator('#receive').setTimeout(20_000).click();
    await waitForText(app, '#receive-status', (text) => text.startsWith('Payment received') && sats(text) === 5_000, 'the payment to be received');
    expect(await textOf(app, '#invoice')).to.match(/^lnbc/);
    await expectBalances(wallet, app, START_SATS - 1_000 + 5_000);
    await waitForText(wallet, '#log', (text) => text.includes('Received 5 000 sats.'), "the wallet's activity log");
    // The wallet found no WebLN wallet in this browser, so it offers none.
    expect(await wallet.$eval('input[value="webln"]', (input) => (input as HTMLInputElement).disabled)).to.equal(true);

    await mkdir(SCREENSHOTS, {recursive: true});
    await app.screenshot({path: `${SCREENSHOTS}/app.png`, fullPage: true});
    await wallet.bringToFront();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a background tab finishes its CSS transitions only once shown
    await wallet.screenshot({path: `${SCREENSHOTS}/wallet.png`, fullPage: true});
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
    await waitForText(shop, '#buy-status', (text) => text.startsWith('Paid'), 'webln.sendPayment()');
    await waitForText(shop, '#webln-balance', (text) => sats(text) === START_SATS - 500, 'the balance after paying');
    await waitForText(wallet, '#balance', (text) => sats(text) === START_SATS - 500, "the wallet's balance after paying");

    await shop.locator('#claim').setTimeout(20_000).click();
    await waitForText(shop, '#claim-status', (text) => text === 'Received 1 000 sats.', 'webln.makeInvoice() paid by the faucet');
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
    await app.locator('#unlock').setTimeout(20_000).click();
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Unlocked.'), 'the article to unlock, paid by the WebLN wallet');
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
