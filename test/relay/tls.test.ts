/**
 * TLS on the relay: a certificate made in the test, real wss:// clients, and
 * a whole stack session through a relay process started with --tls-cert.
 */
import {expect} from 'chai';
import {writeFileSync} from 'node:fs';
import {WebSocket} from 'ws';
import {MoneysocketError} from '../../src/core/errors.js';
import type {SocketLike} from '../../src/core/stack/socket.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {startRelay} from '../../src/relay/index.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {beaconFor, makeConsumer, walletProvider} from '../core/stack/fixtures.js';
import {ciphertext, cleanUp, relay, rendezvousFrame, until, within} from './helpers.js';
import {httpGet, relayProcess, sample, scrape, selfSignedCertificate, upgrade, type Certificate, type RelayProcess} from './operator-helpers.js';
import {hex} from '../vectors.js';

/** A wss:// client that trusts the test's certificate, as a browser would trust a real one. */
function wssClient(url: string, ca: string): Promise<WebSocket> {
  const ws = new WebSocket(url, {ca});
  return within(new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  }), `a wss connection to ${url}`);
}

function nextFrame(ws: WebSocket): Promise<Buffer> {
  return within(new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data))), 'a frame');
}

describe('relay over TLS', function () {
  this.timeout(30000);
  let certificate: Certificate;
  before(() => {
    certificate = selfSignedCertificate();
  });
  after(() => certificate.remove());
  afterEach(cleanUp);

  it('serves wss:// with startRelay({tls}): pairs and forwards, answers /healthz over https, refuses plain and untrusted clients', async () => {
    const {relay: r} = await relay({tls: {cert: certificate.cert, key: certificate.key}});
    expect(r.url).to.equal(`wss://127.0.0.1:${r.port}`);
    const rid = rendezvousIdOf(SharedSeed.generate());
    const a = await wssClient(r.url, certificate.cert);
    const b = await wssClient(r.url, certificate.cert);
    try {
      a.send(rendezvousFrame(rid).frame);
      expect(JSON.parse((await nextFrame(a)).toString())).to.include({notification_name: 'NOTIFY_RENDEZVOUS_NOT_READY'});
      const bPaired = nextFrame(b);
      const aPaired = nextFrame(a);
      b.send(rendezvousFrame(rid).frame);
      expect(JSON.parse((await bPaired).toString())).to.include({notification_name: 'NOTIFY_RENDEZVOUS'});
      expect(JSON.parse((await aPaired).toString())).to.include({notification_name: 'NOTIFY_RENDEZVOUS'});
      const frame = ciphertext(SharedSeed.generate());
      const got = nextFrame(b);
      a.send(frame);
      expect(hex(await got)).to.equal(hex(frame));
    } finally {
      a.terminate();
      b.terminate();
    }
    const health = await httpGet(r.url, '/healthz', certificate.cert);
    expect(health.status).to.equal(200);
    expect(JSON.parse(health.body)).to.include({status: 'ok'});
    // A ws:// client speaks plain HTTP to a TLS port; a client without the certificate does not trust it.
    expect((await upgrade(r.url.replace('wss:', 'ws:'))).status).to.equal(-1);
    expect((await upgrade(r.url)).status).to.equal(-1);
    expect((await upgrade(r.url, {ca: certificate.cert})).status).to.equal(101);
  });

  it('refuses a certificate and key that do not match, or are not PEM, with INVALID_ARGUMENT', async () => {
    const other = selfSignedCertificate();
    try {
      for (const tls of [{cert: certificate.cert, key: other.key}, {cert: 'not a certificate', key: certificate.key}]) {
        const error = await startRelay({host: '127.0.0.1', port: 0, log: () => {}, tls}).then(async (h) => void (await h.close()), (e: unknown) => e);
        expect(error).to.be.instanceOf(MoneysocketError);
        expect((error as MoneysocketError).code).to.equal('INVALID_ARGUMENT');
        expect((error as MoneysocketError).message).to.match(/^tls: the certificate and key cannot be used/);
      }
    } finally {
      other.remove();
    }
  });

  describe('a relay process started with --tls-cert and --tls-key', () => {
    let proc: RelayProcess | undefined;
    afterEach(async () => {
      await proc?.stop();
      proc = undefined;
    });

    it('prints its wss:// address and carries a whole stack session: handshake, info, invoice, pay, info update, ping', async () => {
      proc = await relayProcess(['--host', '127.0.0.1', '--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile]);
      expect(proc.url).to.match(/^wss:\/\/127\.0\.0\.1:\d+$/);
      expect(proc.logs()[0]).to.include({event: 'listening', url: proc.url});
      const webSocket = (url: string): SocketLike => new WebSocket(url, {ca: certificate.cert}) as unknown as SocketLike;
      const network = new InMemoryDemoNetwork();
      const wallet = new DemoLedger({id: 'wallet', balanceMsats: 10_000_000, network});
      const merchant = new DemoLedger({id: 'merchant', balanceMsats: 0, network});
      network.listen('merchant', (invoice) => merchant.credit(invoice.msats));
      const provider = await walletProvider(wallet, {webSocket});
      const consumer = await makeConsumer({webSocket});
      const beacon = beaconFor(proc.url);
      try {
        await provider.connect(beacon);
        await consumer.connect(beacon);
        expect(consumer.state).to.equal('connected');
        expect(consumer.providerInfo?.wad?.msats).to.equal(10_000_000);
        expect(await consumer.requestInvoice(2500)).to.match(/^lnbc25n1/);
        const bill = await merchant.createInvoice(4000);
        await consumer.requestPay(bill.bolt11);
        expect(merchant.balanceMsats).to.equal(4000);
        const update = consumer.once('provider-info');
        expect(provider.setProviderInfo({payer: true, payee: true, wad: {...consumer.providerInfo!.wad!, msats: wallet.balanceMsats}}).ok).to.equal(true);
        expect((await update).providerInfo.wad?.msats).to.equal(10_000_000 - 4000);
        const before = sample(await scrape(proc.url, certificate.cert), 'moneysocket_relay_frames_forwarded_total');
        expect(await consumer.ping()).to.be.a('number');
        // The ping and its pong, at least (the consumer's own liveness pings may add more).
        expect(sample(await scrape(proc.url, certificate.cert), 'moneysocket_relay_frames_forwarded_total')).to.be.at.least(before + 2);
      } finally {
        await consumer.disconnect();
        await provider.disconnect();
      }
      await until(() => proc!.logs().filter((e) => e['event'] === 'closed').length >= 2, 'both to be gone');
    });

    it('serves a renewed certificate after SIGHUP without dropping open connections; a bad pair keeps the old one', async () => {
      const old = selfSignedCertificate();
      const renewed = selfSignedCertificate();
      try {
        proc = await relayProcess(['--host', '127.0.0.1', '--tls-cert', old.certFile, '--tls-key', old.keyFile]);
        const open = await wssClient(proc.url, old.cert);
        const reloads = (event: string): number => proc!.logs().filter((e) => e['event'] === event).length;
        writeFileSync(old.certFile, 'not a certificate');
        proc.child.kill('SIGHUP');
        await until(() => reloads('tls-reload-failed') === 1, 'the bad pair to be refused');
        expect((await upgrade(proc.url, {ca: old.cert})).status, 'the old certificate still served').to.equal(101);
        writeFileSync(old.certFile, renewed.cert);
        writeFileSync(old.keyFile, renewed.key);
        proc.child.kill('SIGHUP');
        await until(() => reloads('tls-reloaded') === 1, 'the renewed certificate to be loaded');
        expect((await upgrade(proc.url, {ca: renewed.cert})).status).to.equal(101);
        expect((await upgrade(proc.url, {ca: old.cert})).status, 'the old certificate no longer served').to.equal(-1);
        expect(open.readyState).to.equal(WebSocket.OPEN);
        open.terminate();
      } finally {
        old.remove();
        renewed.remove();
      }
    });

    it('refuses replaceTls() on a relay started without TLS', async () => {
      const {relay: r} = await relay();
      expect(() => r.replaceTls({cert: certificate.cert, key: certificate.key})).to.throw(MoneysocketError, /started without TLS/);
    });
  });
});
