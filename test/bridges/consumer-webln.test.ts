/**
 * An app written only against `window.webln`, paid through a Moneysocket
 * wallet: `<ms-consumer install-webln>` on this page, the wallet
 * (`<ms-provider>` over a demo ledger) in another window (an iframe with its
 * own copy of the library), a real relay process between them.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';
import type {WebLNProvider} from '@webbtc/webln-types';
import {decodeBolt11} from '../../src/core/bolt11.js';
import type {MoneysocketError} from '../../src/core/errors.js';
import '../../src/elements/define/ms-consumer.js';
import type {MsErrorDetail} from '../../src/elements/events.js';
import type {MsConsumer} from '../../src/elements/ms-consumer.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {sleep, within} from '../elements/connection-helpers.js';
import {startTestRelay, until, type TestRelay} from '../support/relay.js';
import type {WalletFrame} from './fixtures/wallet-frame.js';
import {ledgerWebLN} from './ledger-webln.js';

function failure(promise: Promise<unknown>): Promise<MoneysocketError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: MoneysocketError) => e,
  );
}

function invoiceMsats(bolt11: string): bigint | null {
  const decoded = decodeBolt11(bolt11);
  if (!decoded.ok) throw decoded.error;
  return decoded.value.msats;
}

/** Polls an async reading until it passes, within a bound. */
async function eventually<T>(read: () => Promise<T>, test: (value: T) => boolean, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

describe('<ms-consumer install-webln>: a WebLN-only app paid through a Moneysocket wallet in another window', function () {
  this.timeout(60000);
  let relay: TestRelay;
  let network: InMemoryDemoNetwork;
  let shop: DemoLedger;
  const frames: HTMLIFrameElement[] = [];

  beforeEach(async () => {
    relay = await startTestRelay();
    network = new InMemoryDemoNetwork();
    shop = new DemoLedger({id: 'shop', balanceMsats: 0, network});
    network.listen('shop', (invoice) => shop.credit(invoice.msats));
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('ms-consumer')) await el.disconnect();
    fixtureCleanup();
    delete window.webln;
    for (const frame of frames.splice(0)) frame.remove();
    await relay.stop();
  });

  /** Opens the wallet page in an iframe and starts its provider at the relay. */
  async function openWallet(flags: {payer: boolean; payee: boolean}, id = 'wallet'): Promise<WalletFrame> {
    const iframe = document.createElement('iframe');
    iframe.src = new URL('./fixtures/wallet-frame.html', import.meta.url).href;
    frames.push(iframe);
    document.body.append(iframe);
    await until(() => typeof iframe.contentWindow?.startWallet === 'function', 20000, 'the wallet frame to load');
    const wallet = await within(iframe.contentWindow!.startWallet!({relayUrl: relay.url, network, id, balanceMsats: 100_000_000, ...flags}), 10000, 'the wallet to wait');
    network.listen(id, (invoice) => wallet.received(invoice));
    return wallet;
  }

  /** The app page: only the element, which installs itself as window.webln. */
  async function installed(beacon: string | undefined): Promise<WebLNProvider> {
    const ready = new Promise<void>((resolve) => window.addEventListener('webln:ready', () => resolve(), {once: true}));
    await fixture<MsConsumer>(html`<ms-consumer install-webln beacon=${beacon ?? ''}></ms-consumer>`);
    await within(ready, 5000, 'webln:ready');
    expect(window.webln).to.not.equal(undefined);
    return window.webln!;
  }

  it('answers enable, getInfo, getBalance, sendPayment and makeInvoice, with window.webln alone', async () => {
    const wallet = await openWallet({payer: true, payee: true});
    const webln = await installed(wallet.beacon);

    // From here on the app uses window.webln only, as any WebLN app would.
    await within(webln.enable(), 10000, 'enable');
    expect(await webln.isEnabled!()).to.equal(true);
    const info = await webln.getInfo();
    expect(info.methods).to.include.members(['getInfo', 'sendPayment', 'makeInvoice', 'getBalance']);
    expect(info.supports).to.deep.equal(['lightning']);
    expect(info.node.alias).to.equal('Moneysocket wallet');
    expect(await webln.getBalance!()).to.deep.equal({balance: 100_000, currency: 'sats'});

    // Paying: the preimage comes back checked against the invoice's payment hash.
    const bill = await shop.createInvoice(21_000_000);
    expect(await within(webln.sendPayment(bill.bolt11), 10000, 'sendPayment')).to.deep.equal({preimage: bill.preimage});
    expect(shop.balanceMsats).to.equal(21_000_000);
    await eventually(() => webln.getBalance!(), (b) => b.balance === 79_000, 'the balance after paying');

    // Receiving: every argument form WebLN allows, in sats; 1.5 sats is exactly 1500 msats.
    for (const args of [2000, '2000', {amount: 2000, defaultMemo: 'a tip'}, {defaultAmount: '2000'}]) {
      const {paymentRequest} = await within(webln.makeInvoice(args), 10000, `makeInvoice(${JSON.stringify(args)})`);
      expect(invoiceMsats(paymentRequest), JSON.stringify(args)).to.equal(2_000_000n);
    }
    const {paymentRequest} = await webln.makeInvoice(1.5);
    expect(invoiceMsats(paymentRequest)).to.equal(1500n);
    await network.settle(paymentRequest, 'shop');
    await eventually(() => webln.getBalance!(), (b) => b.balance === 79_001, 'the balance after receiving 1.5 sats, in whole sats rounded down');
    expect(wallet.ledger.balanceMsats).to.equal(79_001_500);
    expect([wallet.invoiceRequests, wallet.payRequests]).to.deep.equal([5, 1]);
  });

  it('refuses what cannot map, with WebLN error names and before asking the wallet', async () => {
    const wallet = await openWallet({payer: true, payee: true});
    const webln = await installed(wallet.beacon);
    await within(webln.enable(), 10000, 'enable');

    const tooFine = await failure(webln.makeInvoice(1.0005));
    expect([tooFine.name, tooFine.code]).to.deep.equal(['InvalidDataError', 'AMOUNT_INVALID']);
    const noAmount = await failure(webln.makeInvoice({defaultMemo: 'anything'}));
    expect([noAmount.name, noAmount.code]).to.deep.equal(['InvalidDataError', 'AMOUNT_INVALID']);
    expect(noAmount.message).to.include('need an amount');
    const notAnInvoice = await failure(webln.sendPayment('hello'));
    expect(notAnInvoice.name).to.equal('InvalidDataError');
    expect([wallet.invoiceRequests, wallet.payRequests]).to.deep.equal([0, 0]);

    const unsupported: [string, () => Promise<unknown>][] = [
      ['keysend', () => webln.keysend!({destination: '02'.padEnd(66, '0'), amount: 10})],
      ['signMessage', () => webln.signMessage!('hello')],
      ['verifyMessage', () => webln.verifyMessage!('sig', 'hello')],
      ['lnurl', () => webln.lnurl!('lnurl1dp68gurn8ghj7')],
    ];
    for (const [method, call] of unsupported) {
      const error = await failure(call());
      expect([error.name, error.code, error.message], method).to.deep.equal(['UnsupportedMethodError', 'NOT_SUPPORTED', `${method} is not supported over Moneysocket v0`]);
    }
  });

  it('lists only what the wallet allows: a wallet that only makes invoices has no sendPayment', async () => {
    const wallet = await openWallet({payer: false, payee: true});
    const webln = await installed(wallet.beacon);
    await within(webln.enable(), 10000, 'enable');
    const {methods} = await webln.getInfo();
    expect(methods).to.include('makeInvoice').and.not.include('sendPayment');
    const refused = await failure(webln.sendPayment((await shop.createInvoice(1000)).bolt11));
    expect([refused.name, refused.code]).to.deep.equal(['RejectionError', 'REQUEST_REFUSED']);
    expect(wallet.payRequests).to.equal(0);
    expect(shop.balanceMsats).to.equal(0);
  });

  it('fires accountChanged when the wallet account changes, until off()', async () => {
    const wallet = await openWallet({payer: true, payee: true});
    const webln = await installed(wallet.beacon);
    await within(webln.enable(), 10000, 'enable');
    let changes = 0;
    const listener = () => (changes += 1);
    webln.on!('accountChanged', listener);
    await sleep(100); // the listener is attached once the WebLN code has loaded
    wallet.provider.accountUuid = '2f1d7b9c-43a6-4bd8-9c3e-1b0b7cb7a001';
    await until(() => changes === 1, 10000, 'accountChanged');
    webln.off!('accountChanged', listener);
    await sleep(100);
    wallet.provider.accountUuid = '2f1d7b9c-43a6-4bd8-9c3e-1b0b7cb7a002';
    await within(webln.getInfo(), 5000, 'getInfo');
    await sleep(300);
    expect(changes).to.equal(1);
  });

  it('enable() waits for a beacon and connects with it; the element takes its provider off window when removed', async () => {
    const wallet = await openWallet({payer: true, payee: true});
    const webln = await installed(undefined);
    const connection = failure(webln.getInfo());
    expect((await connection).name).to.equal('ConnectionError');
    let enabled = false;
    const enabling = webln.enable().then(() => (enabled = true));
    await sleep(200);
    expect(enabled).to.equal(false);
    expect(await webln.isEnabled!()).to.equal(false);
    document.querySelector('ms-consumer')!.setAttribute('beacon', wallet.beacon);
    await within(enabling, 10000, 'enable after the beacon is given');
    expect((await webln.getInfo()).methods).to.include('sendPayment');
    fixtureCleanup();
    await until(() => window.webln === undefined, 2000, 'window.webln removed');
  });

  it('never replaces an existing window.webln, and says so with ms-error', async () => {
    const extension = ledgerWebLN(new DemoLedger({id: 'extension', balanceMsats: 0, network}));
    window.webln = extension;
    let readies = 0;
    const onReady = () => (readies += 1);
    window.addEventListener('webln:ready', onReady);
    const errors: MsErrorDetail[] = [];
    const el = await fixture<MsConsumer>(html`<ms-consumer install-webln @ms-error=${(e: CustomEvent<MsErrorDetail>) => errors.push(e.detail)}></ms-consumer>`);
    await el.updateComplete;
    window.removeEventListener('webln:ready', onReady);
    expect(window.webln).to.equal(extension);
    expect(readies).to.equal(0);
    expect(errors.map((e) => e.code)).to.deep.equal(['WEBLN_PROVIDER_EXISTS']);
    expect(errors[0]!.message).to.include('never replaces it');
    // The element's own WebLN object is still there for the page to use, and removing the element leaves the extension alone.
    expect(el.webln).to.not.equal(extension);
    fixtureCleanup();
    await sleep(10);
    expect(window.webln).to.equal(extension);
  });
});
