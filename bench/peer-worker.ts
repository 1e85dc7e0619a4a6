/**
 * The far peer for bench/e2e.bench.ts, in its own thread: in real use the
 * provider (or the echoing client) runs on another machine, so its work
 * should not queue behind the consumer's on one event loop.
 */
import {parentPort} from 'node:worker_threads';
import {WebSocket} from 'ws';
import {encodeFrame} from '../src/core/frame.js';
import {createRequest} from '../src/core/message-types.js';
import {ProviderStack} from '../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../src/core/wad.js';
import {stackOptions, type StackSetup} from './stack-setup.js';

export type PeerCommand =
  | {cmd: 'provider'; beacon: string; invoices: string[]; setup: StackSetup}
  | {cmd: 'echo'; url: string; rendezvousId: string}
  | {cmd: 'stop'};

let provider: ProviderStack | undefined;
let echo: WebSocket | undefined;

async function startProvider(beacon: string, invoices: string[], setup: StackSetup): Promise<void> {
  const {webSocket, cipher} = stackOptions(setup);
  let next = 0;
  // Invoices come made ahead, so the figures measure the protocol, not secp256k1 signing.
  provider = new ProviderStack({
    webSocket,
    cipher,
    providerInfo: {payer: true, payee: true, wad: bitcoinWad(1e12)},
    handleInvoiceRequest: () => invoices[next++ % invoices.length]!,
  });
  await provider.connect(beacon);
}

async function startEcho(url: string, rendezvousId: string): Promise<void> {
  const ws = new WebSocket(url);
  echo = ws;
  await new Promise((resolve) => ws.once('open', resolve));
  const frame = encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousId}), null);
  if (!frame.ok) throw frame.error;
  ws.send(frame.value);
  await new Promise((resolve) => ws.once('message', resolve)); // NOT_READY: registered, waiting
  // NOTIFY_RENDEZVOUS (paired) is the relay's, not the client's: only what follows is echoed.
  ws.once('message', () => ws.on('message', (data) => ws.send(data as Buffer)));
}

parentPort!.on('message', (command: PeerCommand) => {
  const run = async () => {
    if (command.cmd === 'provider') await startProvider(command.beacon, command.invoices, command.setup);
    if (command.cmd === 'echo') await startEcho(command.url, command.rendezvousId);
    if (command.cmd === 'stop') {
      await provider?.disconnect();
      echo?.close();
    }
  };
  run().then(
    () => parentPort!.postMessage({ok: true}),
    (error: unknown) => parentPort!.postMessage({ok: false, error: String(error)}),
  );
});
