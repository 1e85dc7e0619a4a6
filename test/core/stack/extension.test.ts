/**
 * Extending the protocol from an application, as the original buyer/seller
 * apps did: two message types of our own in a registry, and a layer on each
 * side above the built-in ones. The core is not touched.
 */
import {expect} from 'chai';
import {buildNotification, buildRequest, type Message, type MessageSpec} from '../../../src/core/message-codec.js';
import {createRegistry} from '../../../src/core/message-types.js';
import type {Layer, LayerContext} from '../../../src/core/stack/layer.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {makeConsumer, walletProvider, beaconFor} from './fixtures.js';
import {startTestRelay, until} from '../../support/relay.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../../src/testing/demo-ledger.js';

interface Item {
  sku: string;
  msats: number;
}

const catalogMessages: MessageSpec[] = [
  {name: 'REQUEST_CATALOG', messageClass: 'REQUEST', cryptLevel: 'AES'},
  {
    name: 'NOTIFY_CATALOG',
    messageClass: 'NOTIFICATION',
    cryptLevel: 'AES',
    validate: (m) =>
      Array.isArray(m['items']) && m['items'].every((i) => typeof i?.sku === 'string' && Number.isSafeInteger(i?.msats))
        ? undefined
        : 'items must be a list of {sku, msats}',
  },
];

/** Consumer side: asks for the seller's catalog and awaits the answer. */
class CatalogClientLayer implements Layer {
  readonly name = 'CATALOG_CLIENT';
  #context: LayerContext | undefined;
  readonly #waiting = new Map<string, (items: Item[]) => void>();

  attach(context: LayerContext): void {
    this.#context = context;
    context.announce();
  }

  handle(message: Message): boolean {
    if (message.message_class !== 'NOTIFICATION' || message.notification_name !== 'NOTIFY_CATALOG') return false;
    const resolve = this.#waiting.get(message.request_reference_uuid ?? '');
    this.#waiting.delete(message.request_reference_uuid ?? '');
    resolve?.(message['items'] as Item[]);
    return true;
  }

  detach(): void {
    this.#context = undefined;
  }

  catalog(): Promise<Item[]> {
    const context = this.#context;
    if (context === undefined) return Promise.reject(new MoneysocketError('NOT_CONNECTED', 'not connected'));
    const request = buildRequest('REQUEST_CATALOG', {});
    return new Promise((resolve, reject) => {
      this.#waiting.set(request.request_uuid, resolve);
      const sent = context.send(request);
      if (!sent.ok) reject(sent.error);
    });
  }
}

/** Provider side: answers catalog requests. */
class CatalogServerLayer implements Layer {
  readonly name = 'CATALOG_SERVER';
  #context: LayerContext | undefined;

  constructor(readonly items: Item[]) {}

  attach(context: LayerContext): void {
    this.#context = context;
    context.announce();
  }

  handle(message: Message): boolean {
    if (message.message_class !== 'REQUEST' || message.request_name !== 'REQUEST_CATALOG') return false;
    this.#context?.send(buildNotification('NOTIFY_CATALOG', message.request_uuid, {items: this.items}));
    return true;
  }

  detach(): void {
    this.#context = undefined;
  }
}

describe('extending the protocol with an application layer', function () {
  this.timeout(30000);

  it('carries app-defined messages, encrypted, through the same stacks and relay', async () => {
    const relay = await startTestRelay();
    const registry = createRegistry(catalogMessages);
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'w', balanceMsats: 1000, network});
    const items = [{sku: 'coffee', msats: 3000}, {sku: 'cake', msats: 5000}];
    const server = new CatalogServerLayer(items);
    const client = new CatalogClientLayer();
    const provider = await walletProvider(wallet, {registry, layers: [server]});
    const consumer = await makeConsumer({registry, layers: [client]});
    const layerEvents: string[] = [];
    consumer.on('layer', ({layer, status}) => layerEvents.push(`${layer} ${status}`));
    try {
      const beacon = beaconFor(relay.url);
      await provider.connect(beacon);
      await consumer.connect(beacon);
      await until(() => layerEvents.includes('CATALOG_CLIENT NEXUS_ANNOUNCED'), 5000, 'the app layer attached');
      expect(await client.catalog()).to.deep.equal(items);
      // The built-in messages still work beside the new ones.
      expect(await consumer.requestInvoice(1000)).to.match(/^lnbc10n1/);
    } finally {
      await consumer.disconnect();
      await provider.disconnect();
      await relay.stop();
    }
  });

  it('rejects the app\'s messages where the app layer is not installed', async () => {
    const relay = await startTestRelay();
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'w', balanceMsats: 1000, network});
    const client = new CatalogClientLayer();
    // The provider knows nothing of the catalog: its registry drops the request.
    const provider = await walletProvider(wallet);
    const errors: string[] = [];
    provider.on('error', ({error}) => errors.push(error.code));
    const consumer = await makeConsumer({registry: createRegistry(catalogMessages), layers: [client]});
    try {
      const beacon = beaconFor(relay.url);
      await provider.connect(beacon);
      await consumer.connect(beacon);
      void client.catalog();
      await until(() => errors.includes('MESSAGE_UNKNOWN_TYPE'), 5000, 'the provider to report the unknown type');
      expect(consumer.state).to.equal('connected');
    } finally {
      await consumer.disconnect();
      await provider.disconnect();
      await relay.stop();
    }
  });
});
