/**
 * The demo's NWC path as a person would use it: `startDemo()` (what `npm
 * start` runs) also starts a Nostr relay and an NWC wallet service over the
 * demo network; one click on the wallet page puts that wallet behind
 * `<ms-provider>`, and the app pays and receives through it.
 */
import {expect} from 'chai';
import {mkdir} from 'node:fs/promises';
import type {Browser, Page} from 'puppeteer-core';
import {startDemo, type DemoHandle} from '../../demo/server.js';
import {launchChromium, openTab, sats, textOf, waitForText} from '../demo/browser-helpers.js';

const NWC_START_SATS = 100_000;

describe('the demo backed by its own NWC wallet, in Chromium', function () {
  this.timeout(120_000);
  let demo: DemoHandle | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];

  before(async () => {
    demo = await startDemo({port: 0, relayPort: 0});
    browser = await launchChromium();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || browser === undefined) return;
    for (const page of await browser.pages()) console.log(page.url(), '\n  log:', await textOf(page, '#log').catch(() => '?'));
    console.log('errors:', errors);
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function expectBalances(wallet: Page, app: Page, expected: number): Promise<void> {
    await waitForText(wallet, '#balance', (text) => sats(text) === expected, `the wallet to show ${expected} sats`);
    await waitForText(app, 'ms-consumer >>> [part="balance"] dd', (text) => sats(text) === expected, `the app to show ${expected} sats`);
  }

  it('offers its NWC string, and the app pays and receives through the NWC wallet', async () => {
    expect(demo!.nwcUrl).to.match(/^nostr\+walletconnect:\/\/[0-9a-f]{64}\?relay=ws%3A%2F%2F127\.0\.0\.1%3A\d+&secret=[0-9a-f]{64}$/);
    const wallet = await openTab(browser!, `${demo!.url}wallet.html`, errors);
    await waitForText(wallet, 'ms-provider >>> [part="state"]', (text) => text.includes('Waiting for an app'), 'the wallet to wait for an app');
    await wallet.locator('#nwc-demo').click();
    await waitForText(wallet, '#backing', (text) => text.includes('it answers the app'), 'the NWC wallet to answer');
    expect(await wallet.$eval('#nwc-input', (input) => (input as HTMLInputElement).value)).to.match(/^nostr\+walletconnect:/);
    const beacon = await waitForText(wallet, 'ms-beacon-display >>> [part="text"]', (text) => text.startsWith('moneysocket1'), 'the beacon');

    const app = await openTab(browser!, `${demo!.url}app.html`, errors);
    await app.bringToFront();
    await app.locator('ms-beacon-input >>> input').click();
    await app.keyboard.type(beacon);
    await waitForText(app, 'ms-consumer >>> [part="state"]', (text) => text === 'Connected', 'the app to connect');
    await expectBalances(wallet, app, NWC_START_SATS);

    // The article costs 1,000 sats: paid by the NWC wallet, over Nostr (it decides: the page's approval dialog is not asked).
    await app.locator('ms-payment >>> [part="pay-button"]').setTimeout(20_000).click();
    await waitForText(app, '#unlock-status', (text) => text.startsWith('Unlocked.'), 'the article to unlock');
    await expectBalances(wallet, app, NWC_START_SATS - 1_000);

    // 5 000 sats in: the NWC wallet makes the invoice, the faucet pays it, payment_received reaches the app.
    await app.locator('#receive').setTimeout(20_000).click();
    await waitForText(app, '#receive-status', (text) => text.startsWith('Payment received') && sats(text) === 5_000, 'the payment to be received');
    await expectBalances(wallet, app, NWC_START_SATS - 1_000 + 5_000);
    await waitForText(wallet, '#log', (text) => text.includes('the NWC wallet pays'), "the wallet's activity log");

    await mkdir('test-results/screenshots', {recursive: true});
    await wallet.bringToFront();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await wallet.screenshot({path: 'test-results/screenshots/wallet-nwc.png', fullPage: true});
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });
});
