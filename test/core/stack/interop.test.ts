/**
 * Interoperability with the deployed libraries: the recorded sessions of
 * sessions.json replayed against our stacks. A scripted peer plays the
 * recorded side of js-moneysocket, message for message; our stack must send
 * the same message types, in the same order, with the same references, and
 * tell its application the same things in the same order.
 */
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {decodeBolt11} from '../../../src/core/bolt11.js';
import {createBeacon, encodeBeacon} from '../../../src/core/beacon.js';
import {parseWebSocketUrl} from '../../../src/core/location.js';
import {messageName, type Message} from '../../../src/core/message-codec.js';
import {createRequest, isNotification, isRequest} from '../../../src/core/message-types.js';
import {SharedSeed} from '../../../src/core/seed.js';
import {makeWad} from '../../../src/core/wad-assets.js';
import {RawPeer} from '../../support/raw-peer.js';
import {startTestRelay, until, type TestRelay} from '../../support/relay.js';
import {loadVectors} from '../../vectors.js';
import {makeConsumer, walletProvider} from './fixtures.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';

interface TranscriptEntry {
  seq: number;
  event: string;
  from?: string;
  to?: string;
  json?: string;
}
interface Session {
  name: string;
  group: 'full' | 'edge';
  shared_seed: string;
  transcript: TranscriptEntry[];
  app_callbacks: Array<{side: string; callback: string}>;
}

const sessions = (await loadVectors<Session>('sessions.json')).vectors;
const full = sessions.find((s) => s.group === 'full')!;
const edge = sessions.find((s) => s.group === 'edge')!;

/** What one side sent to the relay, as message names (rendezvous included). */
function sentBy(session: Session, side: string): string[] {
  return session.transcript
    .filter((e) => e.event === 'frame' && e.from === side)
    .map((e) => messageName(JSON.parse(e.json!) as Message));
}

function recorded(session: Session, side: string, name: string): Record<string, unknown> {
  const entry = session.transcript.find((e) => e.event === 'frame' && e.from === side && e.json!.includes(`"${name}"`));
  return JSON.parse(entry!.json!) as Record<string, unknown>;
}

function beaconOn(relay: TestRelay, seedHex: string): {beacon: string; seed: SharedSeed} {
  const seed = SharedSeed.fromHex(seedHex);
  const location = parseWebSocketUrl(relay.url);
  if (!seed.ok || !location.ok) throw new Error('bad fixture');
  return {beacon: encodeBeacon(createBeacon([location.value], seed.value)), seed: seed.value};
}

/** Re-addresses a recorded notification to the request our stack actually sent. */
function answer(json: Record<string, unknown>, reference: string | null): Message {
  return {...json, request_reference_uuid: reference, timestamp: Date.now() / 1000} as Message;
}

describe('interop: recorded js-moneysocket sessions replayed against our stacks', function () {
  this.timeout(30000);

  it(`consumer side of "${full.name}"`, async () => {
    const relay = await startTestRelay();
    const {beacon, seed} = beaconOn(relay, full.shared_seed);
    const provider = new RawPeer(seed);
    const consumer = await makeConsumer();
    const told: string[] = [];
    consumer.on('state', ({state}) => {
      if (state === 'connected') told.push('onannounce');
      if (state === 'reconnecting') told.push('onrevoke');
    });
    consumer.on('provider-info', () => told.push('onproviderinfo'));
    consumer.on('ping', () => told.push('onping'));
    consumer.on('invoice', () => told.push('oninvoice'));
    consumer.on('payment-received', () => told.push('onpreimage'));
    try {
      await provider.connect(relay.url);
      const connected = consumer.connect(beacon);
      const requestProvider = await provider.next((m) => isRequest(m, 'REQUEST_PROVIDER'));
      provider.send(answer(recorded(full, 'provider', 'NOTIFY_PROVIDER'), requestProvider.request_uuid as string));
      await connected;
      const ping = await provider.next((m) => isRequest(m, 'REQUEST_PING'));
      provider.send(answer(recorded(full, 'provider', 'NOTIFY_PONG'), ping.request_uuid as string));
      await until(() => told.includes('onping'), 5000, 'onping');
      const invoiceRequest = recorded(full, 'consumer', 'REQUEST_INVOICE');
      const invoicing = consumer.requestInvoice(invoiceRequest['msats'] as number);
      const sentInvoiceRequest = await provider.next((m) => isRequest(m, 'REQUEST_INVOICE'));
      const notifyInvoice = recorded(full, 'provider', 'NOTIFY_INVOICE');
      // The recorded invoice has long expired: read it at the time it was recorded.
      const issued = decodeBolt11(notifyInvoice['bolt11'] as string);
      if (!issued.ok) throw issued.error;
      const clock = FakeTimers.install({now: issued.value.timestamp * 1000, toFake: ['Date'], shouldAdvanceTime: true});
      try {
        provider.send(answer(notifyInvoice, sentInvoiceRequest.request_uuid as string));
        expect(await invoicing).to.equal(notifyInvoice['bolt11']);
      } finally {
        clock.uninstall();
      }
      const paid = consumer.once('payment-received');
      provider.send(answer(recorded(full, 'provider', 'NOTIFY_PREIMAGE'), null));
      const update = recorded(full, 'provider', 'NOTIFY_PROVIDER');
      // The recorded update references the latest ping (js); consumers must ignore it.
      provider.send(answer({...update, wad: {...(update['wad'] as object), msats: 999}}, ping.request_uuid as string));
      expect((await paid).bolt11).to.equal(notifyInvoice['bolt11']);
      await until(() => consumer.providerInfo?.wad?.msats === 999, 5000, 'the balance update');
      provider.close();
      await until(() => told.includes('onrevoke'), 5000, 'onrevoke');

      const names = provider.received.map(messageName).filter((n) => !n.startsWith('NOTIFY_RENDEZVOUS'));
      const expected = sentBy(full, 'consumer').filter((n) => n !== 'REQUEST_RENDEZVOUS');
      // Our consumer pings every 3 s, like js; drop any ping beyond the recorded one.
      expect(names.filter((n, i) => n !== 'REQUEST_PING' || names.indexOf(n) === i)).to.deep.equal(expected);
      const consumerCallbacks = full.app_callbacks.filter((c) => c.side === 'consumer').map((c) => c.callback);
      expect(told).to.deep.equal(consumerCallbacks);
    } finally {
      await consumer.disconnect();
      provider.close();
      await relay.stop();
    }
  });

  it(`provider side of "${full.name}"`, async () => {
    const relay = await startTestRelay();
    const {beacon, seed} = beaconOn(relay, full.shared_seed);
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'w', balanceMsats: 0, network});
    const recordedWad = recorded(full, 'provider', 'NOTIFY_PROVIDER')['wad'] as {msats: number; asset_units: number; code: string};
    const wad = makeWad({msats: recordedWad.msats, asset_stable: true, asset_units: recordedWad.asset_units, code: recordedWad.code});
    const provider = await walletProvider(wallet, {providerInfo: {payer: true, payee: true, wad}});
    const consumer = new RawPeer(seed);
    try {
      await provider.connect(beacon);
      await consumer.connect(relay.url);
      expect(consumer.paired).to.equal(true);
      const flow: Array<[Message, string]> = [
        [createRequest('REQUEST_PROVIDER', {}), 'NOTIFY_PROVIDER'],
        [createRequest('REQUEST_PING', {}), 'NOTIFY_PONG'],
        [createRequest('REQUEST_INVOICE', {msats: recorded(full, 'consumer', 'REQUEST_INVOICE')['msats'] as number}), 'NOTIFY_INVOICE'],
      ];
      for (const [request, expected] of flow) {
        const from = consumer.received.length;
        consumer.send(request);
        const reply = await consumer.next((m) => m.message_class === 'NOTIFICATION', from);
        expect(messageName(reply)).to.equal(expected);
        expect(reply.request_reference_uuid).to.equal(request.request_uuid);
        if (expected === 'NOTIFY_PROVIDER') expect(reply['wad']).to.deep.equal(JSON.parse(JSON.stringify(wad)));
      }
      const from = consumer.received.length;
      expect(provider.notifyInvoicePaid('ab'.repeat(32)).ok).to.equal(true);
      expect(provider.setProviderInfo({payer: true, payee: true, wad}).ok).to.equal(true);
      await until(() => consumer.received.length >= from + 2, 5000, 'preimage and update');
      const [preimage, update] = consumer.received.slice(from);
      expect(messageName(preimage!)).to.equal('NOTIFY_PREIMAGE');
      expect(preimage!.request_reference_uuid).to.equal(null);
      expect(messageName(update!)).to.equal('NOTIFY_PROVIDER');
      await provider.disconnect();
      await until(() => consumer.received.some((m) => isNotification(m, 'NOTIFY_RENDEZVOUS_END')), 5000, 'NOTIFY_RENDEZVOUS_END');
      const sent = consumer.received.map(messageName).filter((n) => n !== 'NOTIFY_RENDEZVOUS');
      expect(sent).to.deep.equal(sentBy(full, 'provider').filter((n) => n !== 'REQUEST_RENDEZVOUS').concat('NOTIFY_RENDEZVOUS_END'));
    } finally {
      consumer.close();
      await provider.disconnect();
      await relay.stop();
    }
  });

  it(`provider side of "${edge.name}"`, async () => {
    const relay = await startTestRelay();
    const {beacon, seed} = beaconOn(relay, edge.shared_seed);
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'w', balanceMsats: 0, network});
    const provider = await walletProvider(wallet, {providerInfo: null});
    const consumer = new RawPeer(seed);
    try {
      await consumer.connect(relay.url); // the consumer comes first and waits
      await provider.connect(beacon);
      await until(() => consumer.paired, 5000, 'pairing');
      const requestProvider = createRequest('REQUEST_PROVIDER', {});
      consumer.send(requestProvider);
      const notReady = await consumer.next((m) => isNotification(m, 'NOTIFY_PROVIDER_NOT_READY'));
      expect(notReady.request_reference_uuid).to.equal(requestProvider.request_uuid);
      provider.setProviderInfo({payer: true, payee: true, wad: makeWad({msats: 5, asset_stable: false, asset_units: 5, code: 'BTC'})});
      const ready = await consumer.next((m) => isNotification(m, 'NOTIFY_PROVIDER'));
      expect(ready.request_reference_uuid).to.equal(requestProvider.request_uuid);
      const ping = createRequest('REQUEST_PING', {});
      consumer.send(ping);
      expect((await consumer.next((m) => isNotification(m, 'NOTIFY_PONG'))).request_reference_uuid).to.equal(ping.request_uuid);
      await provider.disconnect();
      await until(() => consumer.received.some((m) => isNotification(m, 'NOTIFY_RENDEZVOUS_END')), 5000, 'NOTIFY_RENDEZVOUS_END');
      const sent = consumer.received.map(messageName).filter((n) => !n.startsWith('NOTIFY_RENDEZVOUS'));
      expect(sent).to.deep.equal(sentBy(edge, 'provider').filter((n) => n !== 'REQUEST_RENDEZVOUS'));
    } finally {
      consumer.close();
      await provider.disconnect();
      await relay.stop();
    }
  });
});
