// disconnect() "fails whatever is in flight", also when it is called from a
// listener inside the connection's own close (its 'layer' events come before
// the close reaches the stack), and also when that listener connects again
// at once: the requests of the session that ended fail then and there, not at
// their timeout, and the new session's requests are left alone.
import {expect} from 'chai';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack} from '../../../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {MemoryRelay} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {beaconFor} from './fixtures.js';
import {settle, settleUntil} from './memory-world.js';

const BEACON = beaconFor('ws://127.0.0.1:1');
const info = {payer: true, payee: true, wad: bitcoinWad(1000)};

describe('disconnect() from inside the connection\'s close', () => {
  const stacks: Array<ConsumerStack | ProviderStack> = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.disconnect()));
  });

  /** A connected pair whose provider never answers invoice requests (they stay in flight). */
  async function connectedPair() {
    const relay = new MemoryRelay();
    const provider = new ProviderStack({webSocket: relay.socketFactory, providerInfo: info, handleInvoiceRequest: () => new Promise<string>(() => undefined)});
    const consumer = new ConsumerStack({webSocket: relay.socketFactory, timeouts: {invoiceMs: 60_000}});
    stacks.push(consumer, provider);
    await provider.connect(BEACON);
    await consumer.connect(BEACON);
    await settleUntil(() => consumer.state === 'connected', 'the handshake');
    return {relay, consumer};
  }

  /** Runs `action` once, from the consumer's first NEXUS_DESTROYED 'layer' event. */
  function onFirstDestroyed(consumer: ConsumerStack, action: () => void): void {
    const off = consumer.on('layer', ({status}) => {
      if (status !== 'NEXUS_DESTROYED') return;
      off();
      action();
    });
  }

  /** Settles a request's promise into its error code, or 'answered'. */
  function outcome(request: Promise<unknown>): {code: string | undefined} {
    const seen: {code: string | undefined} = {code: undefined};
    request.then(() => (seen.code = 'answered'), (e: MoneysocketError) => (seen.code = e.code));
    return seen;
  }

  it('fails the requests in flight at once', async () => {
    const {relay, consumer} = await connectedPair();
    const request = outcome(consumer.requestInvoice(1000));
    await settle();
    onFirstDestroyed(consumer, () => void consumer.disconnect());
    relay.cutAll();
    await settle();
    expect(request.code).to.equal('DISCONNECTED');
    expect(consumer.state).to.equal('disconnected');
  });

  it('fails them at once when the listener connects again too, and leaves the new session\'s requests alone', async () => {
    const {relay, consumer} = await connectedPair();
    const request = outcome(consumer.requestInvoice(1000));
    await settle();
    onFirstDestroyed(consumer, () => {
      void consumer.disconnect();
      void consumer.connect(BEACON).catch(() => undefined);
    });
    relay.cutAll();
    await settle();
    expect(request.code, 'the old session\'s request').to.equal('DISCONNECTED');
    await until(() => consumer.state === 'connected', 5000, 'the new session (the provider redials after the cut)');
    const later = outcome(consumer.requestInvoice(2000));
    await settle();
    expect(later.code, 'a request of the new session').to.equal(undefined);
  });
});
