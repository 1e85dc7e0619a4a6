/**
 * `turnWriteCoalescer` and `nodeWebSocket`: the first write of an event-loop
 * turn goes out at once, the later ones of the same turn are held (the
 * socket corked) and go out together when the turn's work is done, in order.
 */
import {expect} from 'chai';
import type {AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import {WebSocket, WebSocketServer} from 'ws';
import {CoalescingWebSocket, nodeWebSocket} from '../../src/node/index.js';
import {turnWriteCoalescer} from '../../src/node/turn-writes.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('turnWriteCoalescer', () => {
  it('corks from the second write of a turn and uncorks once at its end, turn after turn', async () => {
    const calls: string[] = [];
    const beforeWrite = turnWriteCoalescer({cork: () => calls.push('cork'), uncork: () => calls.push('uncork')});
    beforeWrite();
    expect(calls, 'the first write of a turn goes out at once').to.deep.equal([]);
    beforeWrite();
    beforeWrite();
    beforeWrite();
    expect(calls, 'the second holds the rest').to.deep.equal(['cork']);
    await nextTurn();
    expect(calls).to.deep.equal(['cork', 'uncork']);
    beforeWrite();
    await nextTurn();
    expect(calls, 'a lone write is never held').to.deep.equal(['cork', 'uncork']);
    beforeWrite();
    beforeWrite();
    await nextTurn();
    expect(calls).to.deep.equal(['cork', 'uncork', 'cork', 'uncork']);
  });
});

describe('nodeWebSocket', function () {
  this.timeout(10_000);
  let server: WebSocketServer;
  let url: string;
  const received: Buffer[] = [];

  before(async () => {
    server = new WebSocketServer({host: '127.0.0.1', port: 0});
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (ws) => ws.on('message', (data) => received.push(data as Buffer)));
  });
  after(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  async function open(): Promise<{ws: CoalescingWebSocket; socket: Duplex}> {
    const ws = nodeWebSocket(url) as CoalescingWebSocket;
    expect(ws).to.be.instanceOf(CoalescingWebSocket).and.instanceOf(WebSocket);
    const upgraded = new Promise<Duplex>((resolve) => ws.once('upgrade', (response) => resolve(response.socket)));
    await new Promise((resolve) => ws.once('open', resolve));
    return {ws, socket: await upgraded};
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check(), what).to.equal(true);
  }

  it('writes a lone frame at once, holds the rest of a burst until the turn ends, and delivers all in order', async () => {
    received.length = 0;
    const {ws, socket} = await open();
    const frame = (i: number) => new Uint8Array([i >> 8, i & 0xff, 0x80]);
    ws.send(frame(0));
    expect(socket.writableCorked, 'the first frame is not held').to.equal(0);
    for (let i = 1; i < 300; i++) ws.send(frame(i), {binary: true});
    expect(socket.writableCorked, 'the rest of the turn is held').to.equal(1);
    await nextTurn();
    expect(socket.writableCorked, 'and released when the turn ends').to.equal(0);
    await until(() => received.length === 300, 'all 300 frames at the server');
    expect(received.map((b) => (b[0]! << 8) | b[1]!)).to.deep.equal(Array.from({length: 300}, (_, i) => i));
    ws.close();
  });

  it('passes send callbacks on, and a close sent in a burst still goes out after the frames before it', async () => {
    received.length = 0;
    const {ws} = await open();
    const sent: string[] = [];
    ws.send(new Uint8Array([1]), (error) => sent.push(error ? error.message : 'sent 1'));
    ws.send(new Uint8Array([2]), {binary: true}, (error) => sent.push(error ? error.message : 'sent 2'));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.close(1000);
    expect(await closed).to.equal(1000);
    expect(sent).to.deep.equal(['sent 1', 'sent 2']);
    expect(received.map((b) => b[0])).to.deep.equal([1, 2]);
  });
});
