/**
 * The far side of bench/relay.bench.ts, in its own thread: one WebSocket per
 * pair that asks for its rendezvous id, waits, and echoes every frame back.
 */
import {parentPort} from 'node:worker_threads';
import {WebSocket} from 'ws';
import {encodeFrame} from '../src/core/frame.js';
import {createRequest} from '../src/core/message-types.js';

export type EchoCommand = {cmd: 'open'; pairs: Array<{url: string; rendezvousId: string}>} | {cmd: 'stop'};

const sockets: WebSocket[] = [];

/** Opens and registers one echoer; resolves on NOT_READY (it waits for its pinger). */
function echoer(url: string, rendezvousId: string): Promise<void> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frame = encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousId}), null);
  if (!frame.ok) throw frame.error;
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(frame.value));
    // NOT_READY: it waits. The next frame is its NOTIFY_RENDEZVOUS; only what follows is echoed.
    ws.once('message', () => {
      resolve();
      ws.once('message', () => ws.on('message', (data: Buffer) => ws.send(data)));
    });
  });
}

async function open(pairs: Array<{url: string; rendezvousId: string}>): Promise<void> {
  for (let i = 0; i < pairs.length; i += 250) {
    await Promise.all(pairs.slice(i, i + 250).map((p) => echoer(p.url, p.rendezvousId)));
  }
}

parentPort!.on('message', (command: EchoCommand) => {
  const run = async (): Promise<void> => {
    if (command.cmd === 'open') await open(command.pairs);
    if (command.cmd === 'stop') for (const ws of sockets.splice(0)) ws.terminate();
  };
  run().then(
    () => parentPort!.postMessage({ok: true}),
    (error: unknown) => parentPort!.postMessage({ok: false, error: String(error)}),
  );
});
