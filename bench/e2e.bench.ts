/**
 * `npm run bench:e2e`: end-to-end figures, one JSON object per line on
 * stdout, all measured in one run against one real relay process, each
 * beside a baseline taken in the same run and, where issue 10 sets one, its
 * aim (`aim`, `within_aim`):
 * - connect to connected, beside the floor: a bare WebSocket opened to the
 *   same relay, paired, and one frame echoed (the round trips a connect needs);
 * - ping round trip, beside a bare WebSocket echo through the same relay;
 * - invoice requests per second, sequential and pipelined, beside bare
 *   frames of the same size echoed through the same relay;
 * - the relay's memory per idle and per waiting connection at 5,000
 *   connections, beside a bare `ws` server holding as many.
 * The stacks run as a stack on Node is set up (`nodeWebSocket` and
 * `nodeCryptoCbc`, README "Stacks"); the ping is also timed with `ws`'s plain
 * client and the portable cipher, as in a browser (bench/stack-setup.ts). Round trips are timed once V8 has compiled the path (see
 * `untilSteady`; the first round's figures are printed as `warmup_*`): the
 * figures are a running session's, not a cold start's.
 * Progress goes to stderr. `--quick` shrinks every count (for the smoke test).
 */
import {Worker} from 'node:worker_threads';
import {fileURLToPath} from 'node:url';
import {WebSocket} from 'ws';
import {createBeacon, encodeBeacon} from '../src/core/beacon.js';
import {encodeFrame} from '../src/core/frame.js';
import {createRequest} from '../src/core/message-types.js';
import {SharedSeed} from '../src/core/seed.js';
import {rendezvousIdOf} from '../src/core/seed-keys.js';
import {ConsumerStack} from '../src/core/stack/consumer-stack.js';
import {DemoLedger, InMemoryDemoNetwork} from '../src/testing/demo-ledger.js';
import {closeSockets, MEMORY_NODE_ARGS, openSockets, settledRssBytes} from './connections.js';
import type {PeerCommand} from './peer-worker.js';
import {startServer as startServerProcess, type ServerProcess} from './server-processes.js';
import {stackOptions, type StackSetup} from './stack-setup.js';

const quick = process.argv.includes('--quick');
/** `--only=ping,invoices` runs just those parts (for profiling one path). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (part: string) => only === undefined || only.includes(part);
const COUNTS = quick
  ? {connects: 3, pings: 50, sequential: 50, pipelined: 200, idle: 200}
  : {connects: 20, pings: 2000, sequential: 1000, pipelined: 10000, idle: 5000};
/**
 * Warm-up: rounds of this many round trips, at least `minRounds` of them, then
 * until two rounds in a row are no more than 3 % better than the best before
 * them, and at most `rounds` in all. V8 compiles a function once it has run
 * enough; a round trip runs many functions a little each, so the path takes
 * 4,000 to 6,000 round trips to be compiled whole (\`node
 * --interrupt-budget=8000\` gets there in 500). Without the minimum, two
 * flat rounds before that point ended the warm-up early now and then, and
 * the figure was a half-compiled path's (sequential invoices: 1,800 req/s
 * in one run, 3,600 – 4,300 in the others).
 */
const WARMUP = quick ? {round: 20, minRounds: 1, rounds: 2} : {round: 500, minRounds: 8, rounds: 14};
/** The stacks' set-up in every figure but `ping.*.portable`. */
const SETUP: StackSetup = 'node';
const CIPHER = stackOptions(SETUP).cipherName;
/** Issue 10's aims. */
const AIMS = {connectMs: 2, pingOverhead: 1.5, sequential: 3000, pipelined: 15_000, idleMemory: 1.25};

const log = (text: string) => process.stderr.write(`bench:e2e: ${text}\n`);
const print = (figure: Record<string, unknown>) => process.stdout.write(JSON.stringify(figure) + '\n');

type Relay = ServerProcess;

/** All bench clients come from 127.0.0.1: lift the relay's per-address limits. */
const BENCH_RELAY_ARGS = ['--max-connections', '20000', '--max-connections-per-address', '20000', '--max-waiting-per-address', '20000'];

function startRelay(extraArgs: string[] = [], nodeArgs: string[] = []): Promise<Relay> {
  const bin = fileURLToPath(new URL('../bin/moneysocket.js', import.meta.url));
  return startServer([...nodeArgs, bin, 'relay', '--port', '0', ...BENCH_RELAY_ARGS, ...extraArgs]);
}

/** Node flags for the spawned servers, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof' to profile the relay. */
const SERVER_NODE_ARGS = process.env['BENCH_SERVER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];

/** A server with SERVER_NODE_ARGS, killed when the bench exits. */
function startServer(args: string[]): Promise<Relay> {
  return startServerProcess([...SERVER_NODE_ARGS, ...args]);
}

function stats(samples: number[]): {median: number; p99: number; mean: number} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {median: at(0.5), p99: at(0.99), mean: sorted.reduce((s, x) => s + x, 0) / sorted.length};
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The far peer, in a worker thread (see peer-worker.ts). */
class Peer {
  readonly #worker = new Worker(new URL('./peer-worker.mjs', import.meta.url));

  send(command: PeerCommand): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#worker.once('message', (reply: {ok: boolean; error?: string}) => (reply.ok ? resolve() : reject(new Error(reply.error))));
      this.#worker.postMessage(command);
    });
  }

  async stop(): Promise<void> {
    await this.send({cmd: 'stop'});
    await this.#worker.terminate();
  }
}

async function session(relay: Relay, setup: StackSetup = SETUP) {
  const network = new InMemoryDemoNetwork();
  const wallet = new DemoLedger({id: 'bench', balanceMsats: 1e12, network});
  const invoices = await Promise.all(Array.from({length: 16}, async () => (await wallet.createInvoice(1000)).bolt11));
  const beacon = encodeBeacon(createBeacon([{type: 'WebSocket', host: '127.0.0.1', port: Number(relay.url.split(':')[2]), use_tls: false}]));
  const provider = new Peer();
  await provider.send({cmd: 'provider', beacon, invoices, setup});
  const {webSocket, cipher} = stackOptions(setup);
  // A long ping interval: only the pings we time go on the wire.
  const consumer = new ConsumerStack({webSocket, cipher, pingIntervalMs: 3_600_000, livenessTimeoutMs: 7_200_000, timeouts: {invoiceMs: 120_000}});
  return {provider, consumer, beacon};
}

async function benchConnect(relay: Relay): Promise<void> {
  const {provider, consumer, beacon} = await session(relay);
  const times: number[] = [];
  const floors: number[] = [];
  const floorPeer = new Peer();
  // Alternated, so that both see the same machine state on a noisy box.
  const pause = () => new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < COUNTS.connects; i++) {
    await pause(); // the provider redials and waits again
    const started = performance.now();
    await consumer.connect(beacon);
    times.push(performance.now() - started);
    await consumer.disconnect();
    // The floor after the same pause: a process idle for 100 ms wakes up slower than a busy one.
    floors.push(await connectFloor(relay, floorPeer, pause));
  }
  const s = stats(times);
  const floor = stats(floors);
  print({bench: 'connect', unit: 'ms', cipher: CIPHER, value: round3(s.median), median_ms: round3(s.median), p99_ms: round3(s.p99), samples: times.length, baseline: 'connect.floor', ratio: round3(s.median / floor.median), aim: AIMS.connectMs, within_aim: s.median <= AIMS.connectMs});
  print({bench: 'connect.floor', unit: 'ms', value: round3(floor.median), median_ms: round3(floor.median), p99_ms: round3(floor.p99), samples: floors.length, note: 'bare WebSocket: open, rendezvous, one frame echoed by the peer'});
  await floorPeer.stop();
  await provider.stop();
}

/**
 * What a connect costs with no protocol work: a raw WebSocket opened to the
 * relay, paired with a peer waiting on the same rendezvous id, and one frame
 * echoed by that peer (the provider handshake's round trip).
 */
async function connectFloor(relay: Relay, peer: Peer, pause: () => Promise<unknown>): Promise<number> {
  const rendezvousId = rendezvousIdOf(SharedSeed.generate());
  await peer.send({cmd: 'echo', url: relay.url, rendezvousId});
  await pause();
  const rendezvous = encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousId}), null);
  if (!rendezvous.ok) throw rendezvous.error;
  const started = performance.now();
  const ws = new WebSocket(relay.url);
  await new Promise((resolve) => ws.once('open', resolve));
  const paired = new Promise((resolve) => ws.once('message', resolve));
  ws.send(rendezvous.value);
  await paired;
  const echoed = new Promise((resolve) => ws.once('message', resolve));
  ws.send(new Uint8Array(224).fill(0x80));
  await echoed;
  const elapsed = performance.now() - started;
  await new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close();
  });
  return elapsed;
}

/**
 * A raw client paired through the relay with one in the worker that echoes
 * every frame back: the baseline, a round trip with no protocol work at all.
 */
async function bareEcho(relay: Relay, payloadBytes: number): Promise<{roundTrip(): Promise<number>; pipelined(count: number): Promise<number>; close(): Promise<void>}> {
  const rendezvousId = rendezvousIdOf(SharedSeed.generate());
  const peer = new Peer();
  await peer.send({cmd: 'echo', url: relay.url, rendezvousId});
  const a = new WebSocket(relay.url);
  await new Promise((resolve) => a.once('open', resolve));
  const rendezvous = encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousId}), null);
  if (!rendezvous.ok) throw rendezvous.error;
  const paired = new Promise((resolve) => a.once('message', resolve));
  a.send(rendezvous.value);
  await paired;
  const payload = new Uint8Array(payloadBytes).fill(0x80);
  return {
    roundTrip: async () => {
      const started = performance.now();
      const back = new Promise((resolve) => a.once('message', resolve));
      a.send(payload);
      await back;
      return performance.now() - started;
    },
    /** `count` frames sent at once; resolves with frames echoed per second. */
    pipelined: async (count: number) => {
      let left = count;
      const started = performance.now();
      const back = new Promise<void>((resolve) => {
        const onMessage = () => {
          if (--left > 0) return;
          a.off('message', onMessage);
          resolve();
        };
        a.on('message', onMessage);
      });
      for (let i = 0; i < count; i++) a.send(payload);
      await back;
      return Math.round(count / ((performance.now() - started) / 1000));
    },
    close: async () => {
      a.close();
      await peer.stop();
    },
  };
}

/** Pings alternated with bare echoes, `count` of each; the medians of both. */
async function pingsAndEchoes(ping: () => Promise<unknown>, echo: () => Promise<number>, count: number) {
  const pingTimes: number[] = [];
  const echoTimes: number[] = [];
  // Alternated, so that both see the same machine state on a noisy box.
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await ping();
    pingTimes.push(performance.now() - started);
    echoTimes.push(await echo());
  }
  return {ping: stats(pingTimes), echo: stats(echoTimes)};
}

/**
 * Runs `round` (which returns a time: smaller is better) until it stops
 * improving (see WARMUP); returns the first round's figure and how many
 * rounds ran.
 */
async function untilSteady(round: () => Promise<number>): Promise<{first: number; rounds: number}> {
  const first = await round();
  let best = first;
  let rounds = 1;
  let flat = 0;
  while (rounds < WARMUP.rounds && (rounds < WARMUP.minRounds || flat < 2)) {
    const figure = await round();
    rounds++;
    flat = figure < best * 0.97 ? 0 : flat + 1;
    best = Math.min(best, figure);
  }
  return {first, rounds};
}

async function benchPing(relay: Relay, setup: StackSetup): Promise<void> {
  const {provider, consumer, beacon} = await session(relay, setup);
  const cipher = stackOptions(setup).cipherName;
  await consumer.connect(beacon);
  // The same size on the wire as an encrypted REQUEST_PING frame.
  const frame = encodeFrame(createRequest('REQUEST_PING', {}), SharedSeed.generate());
  const echo = await bareEcho(relay, frame.ok ? frame.value.length : 208);
  const ping = () => consumer.ping();
  let firstEcho = 0;
  const warmup = await untilSteady(async () => {
    const round = await pingsAndEchoes(ping, echo.roundTrip, WARMUP.round);
    firstEcho ||= round.echo.median;
    return round.ping.median;
  });
  const {ping: pings, echo: bare} = await pingsAndEchoes(ping, echo.roundTrip, COUNTS.pings);
  const suffix = setup === SETUP ? '' : '.portable';
  const warm = {warmup_rounds: warmup.rounds, warmup_median_ms: round3(warmup.first), warmup_echo_median_ms: round3(firstEcho)};
  print({bench: `ping.roundtrip${suffix}`, unit: 'ms', cipher, value: round3(pings.median), median_ms: round3(pings.median), p99_ms: round3(pings.p99), samples: COUNTS.pings, baseline: `echo.roundtrip${suffix}`, ...warm});
  print({bench: `echo.roundtrip${suffix}`, unit: 'ms', value: round3(bare.median), median_ms: round3(bare.median), p99_ms: round3(bare.p99), samples: COUNTS.pings});
  const ratio = round3(pings.median / bare.median);
  const aim = suffix === '' ? {aim: AIMS.pingOverhead, within_aim: ratio <= AIMS.pingOverhead} : {};
  print({bench: `ping.overhead${suffix}`, unit: 'x', cipher, value: ratio, ratio, baseline: `echo.roundtrip${suffix}`, ...aim, warmup_ratio: round3(warmup.first / firstEcho)});
  await echo.close();
  await consumer.disconnect();
  await provider.stop();
}

async function benchInvoices(relay: Relay): Promise<void> {
  const {provider, consumer, beacon} = await session(relay);
  await consumer.connect(beacon);
  // The baseline: frames as large as a NOTIFY_INVOICE, echoed through the same relay by a bare peer.
  const echo = await bareEcho(relay, 560);
  const perSecond = async (step: () => Promise<unknown>, count = COUNTS.sequential) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) await step();
    return Math.round(count / ((performance.now() - started) / 1000));
  };
  const request = () => consumer.requestInvoice(1000);
  // Seconds per request, so that "better" is smaller, as for the ping.
  const steady = await untilSteady(async () => 1 / (await perSecond(request, WARMUP.round)));
  const warmup = {warmup_rounds: steady.rounds, warmup_value: Math.round(1 / steady.first), warmup_echo: await perSecond(echo.roundTrip)};
  const sequential = await perSecond(request);
  const echoSequential = await perSecond(echo.roundTrip);
  print({bench: 'invoice.sequential', unit: 'req/s', cipher: CIPHER, value: sequential, requests: COUNTS.sequential, baseline: 'echo.sequential', aim: AIMS.sequential, within_aim: sequential >= AIMS.sequential, ...warmup});
  print({bench: 'echo.sequential', unit: 'frames/s', value: echoSequential, frames: COUNTS.sequential, frame_bytes: 560});
  // Pipelined: every request sent at once; three rounds alternated with the echo, the median
  // reported (the first warms up the JIT and buffers).
  const rates: number[] = [];
  const echoRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    await Promise.all(Array.from({length: COUNTS.pipelined}, () => consumer.requestInvoice(1000)));
    rates.push(Math.round(COUNTS.pipelined / ((performance.now() - started) / 1000)));
    echoRates.push(await echo.pipelined(COUNTS.pipelined));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
  const rate = median(rates);
  print({bench: 'invoice.pipelined', unit: 'req/s', cipher: CIPHER, value: rate, requests: COUNTS.pipelined, rounds: rates, baseline: 'echo.pipelined', aim: AIMS.pipelined, within_aim: rate >= AIMS.pipelined});
  print({bench: 'echo.pipelined', unit: 'frames/s', value: median(echoRates), frames: COUNTS.pipelined, rounds: echoRates, frame_bytes: 560});
  await echo.close();
  await consumer.disconnect();
  await provider.stop();
}

const settle = () => new Promise((r) => setTimeout(r, 500));

/** Growth of a server's resident memory per connection, from `before` to now (both once it has collected its garbage). */
async function perConnection(pid: number, before: number, connections: number): Promise<number> {
  return Math.round(((await settledRssBytes(pid)) - before) / connections);
}

/** A fresh process per server, warmed up with a few connections first, so both start from the same state. */
async function warmedUp(start: () => Promise<Relay>): Promise<Relay> {
  const server = await start();
  await closeSockets(await openSockets(server.url, 50));
  await settle();
  return server;
}

/**
 * Memory per connection: N idle connections to a fresh relay, then the same
 * N each waiting for a peer on its own rendezvous id; and N to a bare `ws`
 * server. The idle timeout is off, so no connection goes away mid-count.
 */
async function benchMemory(): Promise<void> {
  const count = COUNTS.idle;
  const bare = await warmedUp(() => startServer([...MEMORY_NODE_ARGS, fileURLToPath(new URL('./bare-ws-server.mjs', import.meta.url))]));
  let before = await settledRssBytes(bare.pid);
  const bareSockets = await openSockets(bare.url, count);
  await settle();
  const baseline = await perConnection(bare.pid, before, count);
  await closeSockets(bareSockets);
  bare.child.kill('SIGTERM');

  const relay = await warmedUp(() => startRelay(['--idle-timeout-ms', '0'], MEMORY_NODE_ARGS));
  before = await settledRssBytes(relay.pid);
  const sockets = await openSockets(relay.url, count);
  await settle();
  const idle = await perConnection(relay.pid, before, count);
  await Promise.all(sockets.map((ws) => {
    const rendezvous = encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousIdOf(SharedSeed.generate())}), null);
    if (!rendezvous.ok) throw rendezvous.error;
    const answered = new Promise((resolve) => ws.once('message', resolve));
    ws.send(rendezvous.value);
    return answered;
  }));
  await settle();
  const waiting = await perConnection(relay.pid, before, count);
  await closeSockets(sockets);
  relay.child.kill('SIGTERM');

  const ratio = (x: number) => round3(x / baseline);
  print({bench: 'ws.idle_memory', unit: 'bytes/connection', value: baseline, connections: count});
  print({bench: 'relay.idle_memory', unit: 'bytes/connection', value: idle, connections: count, baseline: 'ws.idle_memory', ratio: ratio(idle), aim: AIMS.idleMemory, within_aim: ratio(idle) <= AIMS.idleMemory});
  print({bench: 'relay.waiting_memory', unit: 'bytes/connection', value: waiting, connections: count, baseline: 'ws.idle_memory', ratio: ratio(waiting)});
}

const relay = await startRelay();
try {
  log(`relay at ${relay.url} (pid ${relay.pid})`);
  if (runs('connect')) {
    log('connect');
    await benchConnect(relay);
  }
  if (runs('ping')) {
    log('ping vs bare echo');
    await benchPing(relay, SETUP);
    log('ping vs bare echo, set up as in a browser');
    await benchPing(relay, 'portable');
  }
  if (runs('invoices')) {
    log('invoices');
    await benchInvoices(relay);
  }
  if (runs('memory')) {
    log('memory per connection: bare ws server, relay idle, relay waiting');
    await benchMemory();
  }
} catch (error) {
  print({bench: 'error', error: error instanceof Error ? error.message : String(error)});
  process.exitCode = 1;
} finally {
  relay.child.kill('SIGTERM');
}
