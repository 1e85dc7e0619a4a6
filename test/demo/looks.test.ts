/**
 * The demo's looks in Chromium, light, dark (an emulated prefers-color-scheme)
 * and 390 px wide: every page (wallet, app, WebLN app, Vue, Svelte, the
 * landing page and the elements on a bare page) is opened in each mode,
 * connected where it has a wallet to connect to, checked for what can be
 * checked (no horizontal scrolling, a dark page in dark mode, iframes as tall
 * as their pages), and saved to test-results/screenshots/<page>-<mode>.png
 * for a person to look at.
 */
import {expect} from 'chai';
import {mkdir} from 'node:fs/promises';
import type {Browser, Page} from 'puppeteer-core';
import {startDemo, type DemoHandle} from '../../demo/server.js';
import {buildFrameworkDemos} from '../../scripts/build-framework-demos.js';
import {launchChromium, openTab, textOf, waitForText} from './browser-helpers.js';

const SCREENSHOTS = 'test-results/screenshots';

interface Mode {
  name: 'light' | 'dark' | '390';
  width: number;
  scheme: 'light' | 'dark';
}

const MODES: Mode[] = [
  {name: 'light', width: 1000, scheme: 'light'},
  {name: 'dark', width: 1000, scheme: 'dark'},
  {name: '390', width: 390, scheme: 'light'},
];

/** Relative luminance of a CSS `rgb(…)` colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  const linear = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

describe('the demo\'s looks: light, dark and 390 px', function () {
  this.timeout(180_000);
  let demo: DemoHandle | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];

  before(async () => {
    await buildFrameworkDemos({quiet: true});
    demo = await startDemo({port: 0, relayPort: 0});
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, {recursive: true});
  });

  afterEach(async () => {
    // One wallet per app: close every tab, so no stale wallet or app stays connected.
    for (const page of (await browser?.pages()) ?? []) await page.close();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  /** A tab in `mode`: its width, and its colour scheme before the page loads. */
  async function open(path: string, mode: Mode): Promise<Page> {
    return openTab(browser!, `${demo!.url}${path}`, errors, async (page) => {
      await page.setViewport({width: mode.width, height: 900});
      await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: mode.scheme}]);
    });
  }

  /** A wallet tab waiting for an app; resolves with it and its beacon. */
  async function wallet(mode: Mode): Promise<{page: Page; beacon: string}> {
    const page = await open('wallet.html', mode);
    await waitForText(page, 'ms-provider >>> [part="state"]', (text) => text.includes('Waiting for an app'), 'the wallet to wait for an app');
    const beacon = await waitForText(page, 'ms-beacon-display >>> [part="text"]', (text) => text.startsWith('moneysocket1'), 'the beacon');
    await page.waitForSelector('ms-beacon-display >>> [part="qr"]');
    return {page, beacon};
  }

  async function typeBeacon(page: Page, beacon: string): Promise<void> {
    await page.bringToFront();
    await page.locator('ms-beacon-input >>> input').click();
    await page.keyboard.type(beacon);
    await waitForText(page, 'ms-consumer >>> [part="state"]', (text) => text === 'Connected', 'the app to connect');
  }

  /** What every page must pass in every mode, then its screenshot. */
  async function check(page: Page, name: string, mode: Mode, fullPage = true): Promise<void> {
    await page.bringToFront();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the elements' state transitions (150 ms) end
    const {scrollWidth, innerWidth, background, consumer} = await page.evaluate(() => {
      const consumerElement = document.querySelector('ms-consumer');
      return {
        scrollWidth: document.scrollingElement!.scrollWidth,
        innerWidth: window.innerWidth,
        background: getComputedStyle(document.documentElement).backgroundColor,
        consumer: consumerElement ? getComputedStyle(consumerElement).backgroundColor : undefined,
      };
    });
    expect(scrollWidth, `${name} at ${mode.name}: no horizontal scrolling`).to.be.at.most(innerWidth);
    // The bare page has no background of its own (its canvas follows the meta color-scheme): judge its elements.
    const surfaces = [name.startsWith('bare') ? undefined : background, consumer].filter((c): c is string => c !== undefined);
    for (const surface of surfaces) {
      if (mode.scheme === 'dark') expect(luminance(surface), `${name} ${surface} is dark in dark mode`).to.be.below(0.05);
      else expect(luminance(surface), `${name} ${surface} is light in light mode`).to.be.above(0.85);
    }
    await page.screenshot({path: `${SCREENSHOTS}/${name}-${mode.name}.png`, fullPage});
  }

  for (const mode of MODES) {
    describe(`${mode.name} (${mode.width} px, ${mode.scheme})`, () => {
      it('the wallet and the app, connected, with the shop\'s payment ready', async () => {
        const {page: walletPage, beacon} = await wallet(mode);
        const app = await open('app.html', mode);
        await typeBeacon(app, beacon);
        await app.waitForSelector('ms-payment >>> [part="pay-button"]');
        await waitForText(walletPage, 'ms-provider >>> [part="state"]', (text) => text === 'App connected', 'the wallet to see the app');
        await check(app, 'app', mode);
        await check(walletPage, 'wallet', mode);
      });

      it('the approval dialog, with the amount and the invoice\'s description', async () => {
        const {page: walletPage, beacon} = await wallet(mode);
        const app = await open('app.html', mode);
        await typeBeacon(app, beacon);
        await app.locator('ms-payment >>> [part="pay-button"]').click();
        await walletPage.bringToFront();
        await walletPage.waitForSelector('#approval[open]');
        expect(await textOf(walletPage, '#approval [data-field="amount"]')).to.equal('1,000 sats');
        expect(await textOf(walletPage, '#approval [data-field="description"]')).to.include('Why the relay never sees your money');
        await check(walletPage, 'wallet-approval', mode, false); // the modal dialog and its backdrop, as the person sees them
        await walletPage.locator('#approve').click();
        await waitForText(app, 'ms-payment >>> [part="status"]', (text) => text === 'Paid', 'the article to be paid');
      });

      it('the WebLN app, connected', async () => {
        const {beacon} = await wallet(mode);
        const shop = await open('webln-app.html', mode);
        await typeBeacon(shop, beacon);
        await waitForText(shop, '#webln-balance', (text) => text === '100,000 sats', "the WebLN wallet's balance");
        // The app imports nothing from the library, yet writes amounts as the element beside it does.
        expect(await textOf(shop, 'ms-consumer >>> [part="balance"] dd')).to.equal(await textOf(shop, '#webln-balance'));
        await check(shop, 'webln-app', mode);
      });

      for (const framework of ['vue', 'svelte']) {
        it(`the ${framework === 'vue' ? 'Vue' : 'Svelte'} demo, connected`, async () => {
          const {beacon} = await wallet(mode);
          const page = await open(`${framework}/?beacon=${beacon}`, mode);
          await waitForText(page, '#seen', (text) => text.endsWith('connected, 100,000 sats'), `the ${framework} app to connect`);
          await check(page, framework, mode);
        });
      }

      it('the elements on a bare page, and with theme="dark" and theme="light"', async () => {
        for (const [query, name] of [['', 'bare'], ['?theme=dark', 'bare-theme-dark'], ['?theme=light', 'bare-theme-light']] as const) {
          if (query !== '' && mode.name === '390') continue; // the attribute's looks do not depend on the width
          const page = await open(`bare.html${query}`, mode);
          await waitForText(page, 'ms-consumer >>> [part="state"]', (text) => text === 'Connected', 'the bare page\'s app to connect');
          await page.waitForSelector('ms-payment >>> [part="pay-button"]');
          await page.waitForSelector('ms-beacon-display >>> [part="qr"]');
          const expected: Mode = query === '' ? mode : {...mode, scheme: query === '?theme=dark' ? 'dark' : 'light'};
          await check(page, name, expected);
          // One accent: the payment's filled button, its copy button and the beacon input's scan button.
          const style = (selector: string, property: 'color' | 'backgroundColor'): Promise<string> =>
            page.$eval(selector, (element, name) => getComputedStyle(element)[name], property);
          const accents = [
            await style('ms-payment >>> [part="pay-button"]', 'backgroundColor'),
            await style('ms-payment >>> [part="copy-button"]', 'color'),
            await style('ms-beacon-display >>> [part="copy-button"]', 'color'),
            await style('ms-beacon-input >>> [part="scan-button"]', 'color'),
          ];
          expect(new Set(accents).size, accents.join(' | ')).to.equal(1);
          await page.close();
        }
      });

      it('the landing page: the two apps\' iframes as tall as their pages', async () => {
        const page = await open('', mode);
        const fitted = async (): Promise<boolean> =>
          page.$$eval('.apps iframe', (frames) =>
            (frames as HTMLIFrameElement[]).every((frame) => {
              const inner = frame.contentDocument?.documentElement;
              if (!inner || frame.contentDocument?.readyState !== 'complete') return false;
              const scroller = frame.contentDocument!.scrollingElement!;
              return scroller.scrollHeight <= frame.clientHeight + 1 && scroller.scrollWidth <= frame.clientWidth;
            }),
          );
        const deadline = Date.now() + 15_000;
        while (!(await fitted())) {
          if (Date.now() > deadline) throw new Error('an iframe clips its page (it scrolls inside)');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        await page.waitForFunction(() => document.querySelector('iframe')?.contentDocument?.querySelector('ms-beacon-display')?.shadowRoot?.querySelector('[part="qr"]'));
        await check(page, 'index', mode);
      });
    });
  }

  after(() => expect(errors, errors.join('\n')).to.deep.equal([]));
});
