/**
 * The demo server's HTTP API and static files: what it serves, and that bad
 * requests (bad JSON, oversized bodies, traversal, unknown invoices) get a 4xx
 * and never take it down.
 */
import {expect} from 'chai';
import {request} from 'node:http';
import {toHex} from '../../src/core/bytes.js';
import {hashOfPreimage} from '../../src/core/preimage.js';
import {DemoLedger} from '../../src/testing/demo-ledger.js';
import {createSignedInvoice, newPreimage} from '../../src/testing/invoice-signer.js';
import {secp256k1} from '@noble/curves/secp256k1.js';
import {HttpDemoNetwork} from '../../demo/lib/http-network.js';
import {startDemo, type DemoHandle} from '../../demo/server.js';
import {buildFrameworkDemos} from '../../scripts/build-framework-demos.js';

interface Answer {
  status: number;
  type: string;
  text: string;
  json: () => Record<string, unknown>;
}

/** A raw request: node:http sends the path exactly as written (fetch would normalise `..`). */
function send(demo: DemoHandle, method: string, path: string, body?: string): Promise<Answer> {
  const {hostname, port} = new URL(demo.url);
  return new Promise((resolve, reject) => {
    const req = request({host: hostname, port, method, path, headers: body === undefined ? {} : {'content-type': 'application/json'}}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text, json: () => JSON.parse(text)});
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(body);
  });
}

const post = (demo: DemoHandle, path: string, body: unknown): Promise<Answer> => send(demo, 'POST', path, JSON.stringify(body));

/** A signed invoice the demo network has never seen. */
function strangerInvoice(): string {
  return createSignedInvoice({privateKey: secp256k1.utils.randomSecretKey(), msats: 2000, paymentHash: newPreimage().paymentHash});
}

/** Reads Server-Sent Events until one named `event` arrives; bounded. */
async function nextEvent(url: string, event: string, afterReady: () => Promise<void>): Promise<Record<string, unknown>> {
  const response = await fetch(url, {signal: AbortSignal.timeout(10_000)});
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ready = false;
  try {
    for (;;) {
      const {value, done} = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += decoder.decode(value, {stream: true});
      if (!ready && buffer.includes('event: ready')) {
        ready = true;
        await afterReady();
      }
      const match = new RegExp(`event: ${event}\\ndata: (.*)\\n\\n`).exec(buffer);
      if (match) return JSON.parse(match[1]!);
    }
  } finally {
    await reader.cancel();
  }
}

describe('the demo server', function () {
  this.timeout(30_000);
  let demo: DemoHandle;

  before(async () => {
    await buildFrameworkDemos({quiet: true});
    demo = await startDemo({port: 0, relayPort: 0, relayLog: () => undefined});
  });

  after(async () => {
    await demo.close();
  });

  it('serves the pages, the bundles with their source maps, and the relay address', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/wallet.html', 'text/html'],
      ['/app.html', 'text/html'],
      ['/webln-app.html', 'text/html'],
      ['/demo.css', 'text/css'],
      ['/build/wallet.js', 'text/javascript'],
      ['/build/app.js.map', 'application/json'],
      ['/build/elements.js', 'text/javascript'],
      ['/build/webln-app.js', 'text/javascript'],
    ]) {
      const answer = await send(demo, 'GET', path!);
      expect(answer.status, path).to.equal(200);
      expect(answer.type, path).to.include(type);
    }
    // The WebLN app is written against window.webln alone: its bundle imports nothing, Moneysocket least of all.
    const webln = (await send(demo, 'GET', '/build/webln-app.js')).text;
    expect(webln).to.not.match(/\bimport\b/);
    expect(webln).to.not.match(/moneysocket/i);
    const config = (await send(demo, 'GET', '/demo-config.json')).json();
    expect(config.relayUrl).to.equal(demo.relayUrl);
  });

  it('serves the Vue and Svelte builds of the app under /vue/ and /svelte/', async () => {
    const index = await send(demo, 'GET', '/vue/');
    expect(index.status).to.equal(200);
    expect(index.type).to.include('text/html');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script, 'the built page loads its script').to.be.a('string');
    expect((await send(demo, 'GET', `/vue/${script}`)).type).to.include('text/javascript');
    expect((await send(demo, 'GET', '/svelte/')).status).to.equal(200);
    expect((await send(demo, 'GET', '/vue')).status).to.equal(301);
  });

  it('serves nothing outside the page directory, nor the server code', async () => {
    const paths = [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/build/../../package.json',
      '/..\\package.json',
      '/server.ts',
      '/node/static-files.ts',
      '/wallet.ts',
      '/.build/wallet.js',
      '/index.html%00.css',
      '/%E0%A4%A',
      '//etc/passwd',
      '/vue/../server.ts',
      '/vue/%2e%2e/%2e%2e/package.json',
      '/vue/.vite/manifest.json',
      '/svelte/main.ts',
      '/lib/page.ts',
    ];
    for (const path of paths) {
      const answer = await send(demo, 'GET', path);
      expect(answer.status, path).to.be.within(400, 499);
      expect(answer.text, path).not.to.include('moneysocket-elements');
      expect(answer.text, path).not.to.include('root:');
    }
  });

  it('answers bad requests with 4xx and {error}, and keeps running', async () => {
    const routes = ['/demo-ln/register', '/demo-ln/settle', '/demo-ln/merchant/invoice', '/demo-ln/faucet/pay'];
    for (const route of routes) {
      for (const body of ['{not json', '[]', 'null', '"text"', '']) {
        const answer = await send(demo, 'POST', route, body);
        expect(answer.status, `${route} ${body}`).to.equal(400);
        expect(answer.json().error).to.be.a('string');
      }
      expect((await send(demo, 'GET', route)).status, route).to.equal(405);
    }
    const huge = JSON.stringify({bolt11: 'x'.repeat(70 * 1024)});
    expect((await send(demo, 'POST', '/demo-ln/settle', huge)).status).to.equal(413);
    expect((await post(demo, '/demo-ln/merchant/invoice', {msats: 0})).status).to.equal(400);
    expect((await post(demo, '/demo-ln/merchant/invoice', {msats: 1.5})).status).to.equal(400);
    expect((await post(demo, '/demo-ln/merchant/invoice', {msats: 1e12})).status).to.equal(400);
    expect((await post(demo, '/demo-ln/settle', {bolt11: 'lnbc1garbage', payer: 'me'})).status).to.equal(400);
    expect((await post(demo, '/demo-ln/settle', {bolt11: strangerInvoice(), payer: 'bad id!'})).status).to.equal(400);
    expect((await send(demo, 'GET', '/demo-ln/events?ledger=../x')).status).to.equal(400);
    expect((await send(demo, 'GET', '/demo-ln/events?ledger=demo-shop')).status).to.equal(400);
    expect((await send(demo, 'GET', '/')).status).to.equal(200);
  });

  it('refuses unknown invoices with 404', async () => {
    const unknown = await post(demo, '/demo-ln/settle', {bolt11: strangerInvoice(), payer: 'someone'});
    expect(unknown.status).to.equal(404);
    expect(unknown.json().error).to.match(/unknown/);
    expect((await post(demo, '/demo-ln/faucet/pay', {bolt11: strangerInvoice()})).status).to.equal(404);
  });

  it('registers only consistent invoices, each payment hash once, and not for its own ledgers', async () => {
    const {preimage, paymentHash} = newPreimage();
    const privateKey = secp256k1.utils.randomSecretKey();
    const bolt11 = createSignedInvoice({privateKey, msats: 3000, paymentHash});
    const invoice = {bolt11, paymentHash: toHex(paymentHash), preimage: toHex(preimage), msats: 3000};
    const wrongPreimage = {...invoice, preimage: toHex(newPreimage().preimage)};
    expect((await post(demo, '/demo-ln/register', {invoice: wrongPreimage, payee: 'alice'})).status).to.equal(400);
    expect((await post(demo, '/demo-ln/register', {invoice: {...invoice, msats: 4000}, payee: 'alice'})).status).to.equal(400);
    expect((await post(demo, '/demo-ln/register', {invoice, payee: 'demo-shop'})).status).to.equal(403);
    expect((await post(demo, '/demo-ln/register', {invoice, payee: 'alice'})).status).to.equal(200);
    expect((await post(demo, '/demo-ln/register', {invoice, payee: 'mallory'})).status).to.equal(409);
  });

  it('moves money between a browser ledger, the shop and the faucet, and tells the ledger by event', async () => {
    const base = new URL('/demo-ln', demo.url).href;
    const wallet = new DemoLedger({id: 'node-wallet', balanceMsats: 10_000, network: new HttpDemoNetwork(base)});
    const invoice = await wallet.createInvoice(5000);
    const paid = await nextEvent(`${base}/events?ledger=node-wallet`, 'paid', async () => {
      const answer = await post(demo, '/demo-ln/faucet/pay', {bolt11: invoice.bolt11});
      expect(answer.status).to.equal(200);
      expect(hashOfPreimage(String(answer.json().preimage))).to.equal(invoice.paymentHash);
    });
    expect(paid).to.deep.equal({paymentHash: invoice.paymentHash, preimage: invoice.preimage, msats: 5000});
    const again = await post(demo, '/demo-ln/faucet/pay', {bolt11: invoice.bolt11});
    expect(again.status).to.equal(409);
    expect(again.json().error).to.match(/already paid/);

    const bill = (await post(demo, '/demo-ln/merchant/invoice', {msats: 4000, description: 'an article'})).json();
    const preimage = await wallet.pay(String(bill.bolt11));
    expect(hashOfPreimage(preimage)).to.equal(bill.paymentHash);
    expect(wallet.balanceMsats).to.equal(6000);
    const tooMuch = (await post(demo, '/demo-ln/merchant/invoice', {msats: 7000})).json();
    await expectRejection(wallet.pay(String(tooMuch.bolt11)), /balance exceeded/);
    expect(wallet.balanceMsats).to.equal(6000);
  });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(String(error)).to.match(pattern);
    return;
  }
  throw new Error('expected a rejection');
}
