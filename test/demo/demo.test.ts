/**
 * The demo, end to end, as a person would use it: open the wallet and the app
 * in two tabs, copy the wallet's beacon into the app by typing it, unlock the
 * article (the wallet pays), receive a payment (the wallet's invoice is paid),
 * and watch both balances follow. Screenshots of both apps are saved.
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

    await mkdir(SCREENSHOTS, {recursive: true});
    await app.screenshot({path: `${SCREENSHOTS}/app.png`, fullPage: true});
    await wallet.bringToFront();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a background tab finishes its CSS transitions only once shown
    await wallet.screenshot({path: `${SCREENSHOTS}/wallet.png`, fullPage: true});
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });
});
