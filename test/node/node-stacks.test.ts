/**
 * The stacks set up for Node (`nodeWebSocket` and `nodeCryptoCbc`) on either
 * side, or both, through a real relay and real WebSockets: each end's choice,
 * invisible on the wire. A whole session (handshake, invoice, pay with the
 * preimage checked, ping) works across every pairing, and so does a burst of
 * requests sent at once, whose frames leave in few writes.
 */
import {expect} from 'chai';
import {WebSocket} from 'ws';
import {createBeacon, encodeBeacon} from '../../src/core/beacon.js';
import {decodeBolt11} from '../../src/core/bolt11.js';
import {ConsumerStack} from '../../src/core/stack/consumer-stack.js';
import {ProviderStack} from '../../src/core/stack/provider-stack.js';
import type {SocketLike} from '../../src/core/stack/socket.js';
import {nodeCryptoCbc, nodeWebSocket} from '../../src/node/index.js';
import {startRelay, type RelayHandle} from '../../src/relay/index.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';

const node = {webSocket: nodeWebSocket, cipher: nodeCryptoCbc};
const portable = {webSocket: (url: string) => new WebSocket(url) as unknown as SocketLike, cipher: undefined};

const pairings = [
  {consumer: node, provider: node, name: 'both ends'},
  {consumer: node, provider: portable, name: 'the consumer only'},
  {consumer: portable, provider: node, name: 'the provider only'},
];

describe('stacks set up for Node (nodeWebSocket, nodeCryptoCbc), through a relay', function () {
  this.timeout(20_000);
  let relay: RelayHandle;
  const stacks: Array<ConsumerStack | ProviderStack> = [];

  before(async () => {
    relay = await startRelay({host: '127.0.0.1', port: 0, log: () => undefined});
  });
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.disconnect()));
  });
  after(async () => {
    await relay.close();
  });

  for (const pairing of pairings) {
    it(`runs a whole session with it on ${pairing.name}`, async () => {
      const network = new InMemoryDemoNetwork();
      const wallet = new DemoLedger({id: 'wallet', balanceMsats: 1_000_000, network});
      const shop = new DemoLedger({id: 'shop', balanceMsats: 0, network});
      const provider = new ProviderStack({
        ...pairing.provider,
        backend: {
          makeInvoice: async ({msats}) => ({bolt11: (await wallet.createInvoice(msats)).bolt11}),
          payInvoice: async ({bolt11}) => ({preimage: await wallet.pay(bolt11)}),
        },
      });
      const consumer = new ConsumerStack(pairing.consumer);
      stacks.push(provider, consumer);
      const port = Number(new URL(relay.url).port);
      const beacon = encodeBeacon(createBeacon([{type: 'WebSocket', host: '127.0.0.1', port, use_tls: false}]));
      await provider.connect(beacon);
      await consumer.connect(beacon);

      const bolt11 = await consumer.requestInvoice(2_000);
      expect(bolt11).to.match(/^lnbcrt|^lnbc/);
      const bill = await shop.createInvoice(3_000);
      expect(await consumer.requestPay(bill.bolt11)).to.equal(bill.preimage);
      expect(await consumer.ping()).to.be.a('number');

      const burst = await Promise.all(Array.from({length: 200}, (_, i) => consumer.requestInvoice(1_000 + i)));
      expect(new Set(burst).size, 'one distinct invoice per request').to.equal(200);
      const amounts = burst.map((bolt11) => decodeBolt11(bolt11)).map((d) => (d.ok ? Number(d.value.msats) : -1));
      expect(amounts, 'each answer is for its own request').to.deep.equal(Array.from({length: 200}, (_, i) => 1_000 + i));
      expect(consumer.state).to.equal('connected');
    });
  }
});
