/**
 * The README's examples, run as written. First the plain-HTML pair: its relay command,
 * its wallet.html and its app.html, taken from README.md. The relay listens on
 * a free port instead of 11060 (the pages' relay address follows it, and
 * nothing else in them changes); the pages are served, as the static server
 * the README names would serve them, next to node_modules/moneysocket-elements
 * holding the built dist/browser/. In Chromium, a person copies the wallet's
 * beacon into the app, refuses one payment in the wallet's confirm() and
 * accepts the next: the article unlocks and both pages show the new balance.
 * Then the stacks example in Node against a relay process, and the main
 * browser file alone, without its chunks/.
 */
import {expect} from 'chai';
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {copyFile, mkdir, readFile, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import {extname, join, normalize} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {Browser, Dialog} from 'puppeteer-core';
import {buildBundle} from '../../scripts/build-bundle.mjs';
import {launchChromium, openTab, textOf, waitForText} from '../demo/browser-helpers.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const README_RELAY_URL = 'ws://127.0.0.1:11060';

/** The first fenced block of `lang` after the line `label` (e.g. "`wallet.html`:"). */
export function blockAfter(markdown: string, label: string, lang: string): string {
  const lines = markdown.split('\n');
  const at = lines.indexOf(label);
  if (at === -1) throw new Error(`README.md has no line ${JSON.stringify(label)}`);
  const open = lines.findIndex((line, i) => i > at && line === '```' + lang);
  const close = lines.findIndex((line, i) => i > open && line === '```');
  if (open === -1 || close === -1) throw new Error(`no \`\`\`${lang} block after ${label}`);
  return lines.slice(open + 1, close).join('\n');
}

/** The README's relay command: the arguments after `npx moneysocket`, which runs bin/moneysocket.js. */
function relayArgs(shell: string): string[] {
  const line = shell.split('\n').find((text) => text.startsWith('npx moneysocket relay '));
  if (line === undefined) throw new Error('no "npx moneysocket relay" line in the block');
  return line.trim().split(/\s+/).slice(2);
}

/** Starts the relay command; resolves with its ws:// address once it prints it. */
function startRelay(args: string[]): Promise<{child: ChildProcess; url: string}> {
  const child = spawn(process.execPath, [join(root, 'bin/moneysocket.js'), ...args], {stdio: ['ignore', 'pipe', 'ignore']});
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the relay printed no address within 20 s: ${out}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({child, url});
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the relay exited (${code}) before listening`));
    });
  });
}

function stopRelay(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Closes the server now: Chromium keeps spare connections open that would hold close() for a minute. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const TYPES: Record<string, string> = {'.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json'};

/**
 * A static file server on 127.0.0.1: the pages at the root, and
 * /node_modules/moneysocket-elements/dist/browser/ from `browserDir`, as an
 * installed package has it. Anything else is a 404.
 */
function serve(pages: Record<string, string>, browserDir: string): Promise<{server: Server; url: string}> {
  const prefix = '/node_modules/moneysocket-elements/dist/browser/';
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, body: string | Buffer, type = 'text/plain') => {
      response.writeHead(status, {'content-type': type, 'cache-control': 'no-store'});
      response.end(body);
    };
    // Browsers ask for one; a 404 for it would be reported as the page's console error.
    if (path === '/favicon.ico') return send(204, '');
    const page = pages[path.slice(1)];
    if (page !== undefined) return send(200, page, TYPES['.html']);
    const rest = path.startsWith(prefix) ? normalize(path.slice(prefix.length)) : '..';
    if (rest.startsWith('..')) return send(404, 'not found');
    readFile(join(browserDir, rest)).then((body) => send(200, body, TYPES[extname(rest)]), () => send(404, 'not found'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({server, url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`});
  }));
}

describe('the README’s examples, run as written', function () {
  this.timeout(180_000);
  const browserDir = join(root, '.tmp/readme-examples/dist/browser');
  let relay: {child: ChildProcess; url: string} | undefined;
  let site: {server: Server; url: string} | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  let readme: string;

  before(async () => {
    readme = await readFile(join(root, 'README.md'), 'utf8');
    await buildBundle({outdir: browserDir});
    expect(existsSync(join(browserDir, 'testing.js'))).to.equal(true);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (site) await closeServer(site.server);
    if (relay) await stopRelay(relay.child);
  });

  it('the wallet and app pages connect through the relay command, and the wallet pays the app’s invoice only when the person agrees', async () => {
    const args = relayArgs(blockAfter(readme, '#### Try it: a wallet page and an app page', 'sh'));
    expect(args.slice(0, 3)).to.deep.equal(['relay', '--host', '127.0.0.1']);
    const port = args.indexOf('--port');
    expect(args[port + 1]).to.equal('11060');
    relay = await startRelay(args.map((arg, i) => (i === port + 1 ? '0' : arg)));

    const pages: Record<string, string> = {};
    for (const name of ['wallet.html', 'app.html']) {
      const written = blockAfter(readme, `\`${name}\`:`, 'html');
      expect(written.split(README_RELAY_URL).length - 1, `${name} names the relay at most once`).to.be.at.most(1);
      pages[name] = written.replace(README_RELAY_URL, relay.url);
    }
    expect(pages['wallet.html']).to.include(relay.url);
    site = await serve(pages, browserDir);

    const wallet = await openTab(browser!, `${site.url}wallet.html`, errors);
    const dialogs: string[] = [];
    let agree = false;
    wallet.on('dialog', (dialog: Dialog) => {
      dialogs.push(dialog.message());
      void (agree ? dialog.accept() : dialog.dismiss());
    });
    await wallet.waitForSelector('ms-provider[state="waiting-for-peer"]', {timeout: 20_000});
    const beacon = await wallet.$eval('ms-beacon-display', (display) => (display as HTMLElement & {text: string}).text);
    expect(beacon).to.match(/^moneysocket1/);
    expect(await textOf(wallet, '#balance')).to.equal('10000');

    // The person pastes the wallet's beacon into the app.
    const app = await openTab(browser!, `${site.url}app.html`, errors);
    await app.locator('ms-beacon-input >>> input').click();
    await app.keyboard.type(beacon);
    await app.waitForSelector('ms-consumer[state="connected"]', {timeout: 20_000});
    await app.waitForSelector('#buy:not([disabled])');
    await waitForText(app, 'ms-consumer >>> [part="balance"]', (text) => /10\D?000/.test(text), 'the app to show the wallet’s balance');

    // First try: the person says no in the wallet's confirm(); nothing is paid.
    await app.locator('#buy').click();
    await waitForText(app, '#status', (text) => text.startsWith('Not paid'), 'the refusal');
    expect(await textOf(app, '#status')).to.match(/^Not paid \(REQUEST_REFUSED\): /);
    expect(dialogs).to.deep.equal(['Pay 1000 sats to the app?']);
    expect(await textOf(wallet, '#balance')).to.equal('10000');
    expect(await app.$eval('#article', (article) => (article as HTMLElement).hidden)).to.equal(true);

    // Second try: yes. The article unlocks with the preimage; both pages show 9000 sats.
    agree = true;
    await app.locator('#buy').click();
    const paid = await waitForText(app, '#status', (text) => text.startsWith('Paid'), 'the payment');
    expect(paid).to.match(/^Paid: preimage [0-9a-f]{64}$/);
    expect(dialogs).to.have.length(2);
    expect(await app.$eval('#article', (article) => (article as HTMLElement).hidden)).to.equal(false);
    await waitForText(wallet, '#balance', (text) => text === '9000', 'the wallet’s balance after paying');
    await waitForText(app, 'ms-consumer >>> [part="balance"]', (text) => /9\D?000/.test(text), 'the app to show the new balance');
    expect(errors, errors.join('\n')).to.deep.equal([]);
  });

  it('the stacks example in Node, as written, pays the shop through a relay process', async () => {
    relay ??= await startRelay(['relay', '--host', '127.0.0.1', '--port', '0']);
    const example = blockAfter(readme, '## Stacks: a consumer and a provider in a few lines', 'ts');
    expect(example.split(README_RELAY_URL).length - 1).to.equal(1);
    // Inside the repository, so `moneysocket-elements/…` resolves to its own dist/ by the package's name.
    const file = join(root, '.tmp/readme-examples/stack-example.ts');
    const report = 'console.log(JSON.stringify({invoice, preimage, rttMs, wallet: wallet.balanceMsats, shop: shop.balanceMsats}));';
    await writeFile(file, `${example.replace(README_RELAY_URL, relay.url)}\n${report}\n`);
    const {stdout} = await run(process.execPath, ['--import', 'tsx', file], {cwd: root, timeout: 60_000});
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {invoice: string; preimage: string; rttMs: number; wallet: number; shop: number};
    expect(result.invoice).to.match(/^lnbc15n1/);
    expect(result.preimage).to.match(/^[0-9a-f]{64}$/);
    expect(result.rttMs).to.be.a('number');
    expect({wallet: result.wallet, shop: result.shop}).to.deep.equal({wallet: 3_000_000, shop: 2_000_000});
  });

  it('the main file works alone: a page without chunks/ still gets the four elements', async () => {
    const mainOnly = join(root, '.tmp/readme-examples/main-only');
    await mkdir(mainOnly, {recursive: true});
    await copyFile(join(browserDir, 'moneysocket-elements.js'), join(mainOnly, 'moneysocket-elements.js'));
    const alone = await serve({'alone.html': pageWithMainOnly()}, mainOnly);
    const page = await browser!.newPage();
    try {
      const failed: string[] = [];
      page.on('pageerror', (error) => failed.push(String(error)));
      page.on('requestfailed', (request) => failed.push(`failed: ${request.url()}`));
      page.on('response', (response) => void (response.status() >= 400 && failed.push(`${response.status()}: ${response.url()}`)));
      await page.goto(`${alone.url}alone.html`, {waitUntil: 'load'});
      // Polled on a timer: a tab in the background gets no animation frames.
      await page.waitForFunction(() => customElements.get('ms-consumer') !== undefined, {timeout: 10_000, polling: 100});
      const defined = await page.evaluate(() => ['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display'].map((tag) => customElements.get(tag) !== undefined));
      expect(defined).to.deep.equal([true, true, true, true]);
      expect(await page.$eval('ms-consumer', (el) => el.getAttribute('state'))).to.equal('disconnected');
      expect(failed, 'no request for a chunk, no error').to.deep.equal([]);
    } finally {
      await page.close();
      await closeServer(alone.server);
    }
  });
});

function pageWithMainOnly(): string {
  return `<!doctype html><meta charset="utf-8"><title>main file alone</title>
<script type="module" src="/node_modules/moneysocket-elements/dist/browser/moneysocket-elements.js"></script>
<ms-consumer></ms-consumer>`;
}
