/** Puppeteer helpers for the demo test: Debian's Chromium, bounded waits, text read through shadow roots. */
import puppeteer, {type Browser, type Page} from 'puppeteer-core';
import {CHROME_ARGS, CHROME_PATH} from '../support/chromium.mjs';


export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: CHROME_ARGS,
    defaultViewport: {width: 900, height: 1200},
    protocolTimeout: 60_000,
  });
}

/**
 * Opens a page in a new tab, recording its uncaught errors so the test can show them.
 * `prepare` runs on the tab before it loads (e.g. to inject what a browser extension would).
 */
export async function openTab(browser: Browser, url: string, errors: string[], prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
  const page = await browser.newPage();
  await prepare?.(page);
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => errors.push(`${url}: ${error instanceof Error ? error.message : String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${url}: console: ${message.text()}`);
  });
  await page.goto(url, {waitUntil: 'load', timeout: 30_000});
  return page;
}

/**
 * The text of the first element matching a selector (`>>>` pierces shadow roots), or undefined.
 * White space is collapsed to single plain spaces (the pages group digits with U+202F).
 */
export async function textOf(page: Page, selector: string): Promise<string | undefined> {
  const handle = await page.$(selector);
  if (handle === null) return undefined;
  try {
    return (await handle.evaluate((element) => element.textContent ?? '')).replace(/\s+/g, ' ').trim();
  } finally {
    await handle.dispose();
  }
}

/** Polls until the element's text passes `test`; fails with the last text seen after `timeoutMs`. */
export async function waitForText(page: Page, selector: string, test: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    last = await textOf(page, selector);
    if (last !== undefined && test(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last text: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whole sats from a displayed amount: "100 000 sats" and "₿ 100000.000 sats" both give 100000. */
export function sats(text: string): number {
  const match = /([\d\s\u202f,]+)(?:\.(\d+))?\s*sats/.exec(text);
  if (match === null) return Number.NaN;
  return Number(match[1]!.replace(/\D/g, ''));
}
