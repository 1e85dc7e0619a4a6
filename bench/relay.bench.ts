/**
 * `npm run bench:relay`: the relay as a cluster, one JSON object per line on
 * stdout, all measured in one run: two relay nodes on a throwaway Redis,
 * 2,000 pairs (half on one node, half across the two) pinging for 60 s:
 * p50/p99 ping on same-node and cross-node pairs, frames per second, and a
 * check that every ping was answered exactly once; then a cluster node's
 * memory per idle connection beside a bare `ws` server holding as many; and
 * the round trip through Redis pub/sub beside Redis streams (why the relay
 * uses pub/sub). Progress goes to stderr. `--quick` shrinks every count.
 */
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import {Redis} from 'ioredis';
import {WebSocket} from 'ws';
import {encodeFrame} from '../src/core/frame.js';
import {createRequest} from '../src/core/message-types.js';
import {SharedSeed} from '../src/core/seed.js';
import {rendezvousIdOf} from '../src/core/seed-keys.js';
import {startTestRedis, type TestRedis} from '../test/support/redis-server.js';
import {closeSockets, MEMORY_NODE_ARGS, openSockets, settledRssBytes} from './connections.js';
import type {EchoCommand} from './relay-echo-worker.js';
import {startServer, type ServerProcess as Server} from './server-processes.js';

const quick = process.argv.includes('--quick');
const COUNTS = quick
  ? {pairs: 100, seconds: 3, intervalMs: 200, idle: 300, transport: 200}
  : {pairs: 2000, seconds: 60, intervalMs: 1000, idle: 2000, transport: 5000};
// `--seconds N`: ping for N s instead (for looking into a figure; the aims are for 60 s).
const secondsArg = process.argv.indexOf('--seconds');
if (secondsArg > 0) COUNTS.seconds = Number(process.argv[secondsArg + 1]);
// `--cpu-prof DIR`: the two pinging nodes write V8 CPU profiles into DIR when they stop (for profiling, not for figures).
const cpuProfArg = process.argv.indexOf('--cpu-prof');
const CPU_PROF_DIR = cpuProfArg > 0 ? process.argv[cpuProfArg + 1] : undefined;
/** Bytes of one ping: about an encrypted REQUEST_PING frame. */
const PING_BYTES = 208;

const log = (text: string): boolean => process.stderr.write(`bench:relay: ${text}\n`);
const print = (figure: Record<string, unknown>): boolean => process.stdout.write(JSON.stringify(figure) + '\n');
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** All bench clients come from 127.0.0.1: lift the relay's per-address limits; no idle timeout. */
const BENCH_RELAY_ARGS = ['--max-connections', '20000', '--max-connections-per-address', '20000', '--max-waiting-per-address', '20000', '--idle-timeout-ms', '0'];

/** SIGTERM, then waits (at most 10 s) for the exit: a profiled node writes its profile as it exits. */
function stopNode(node: Server): Promise<void> {
  if (node.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      node.child.kill('SIGKILL');
      resolve();
    }, 10000);
    node.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    node.child.kill('SIGTERM');
  });
}

function startNode(redis: TestRedis, name: string, profile = false, nodeArgs: string[] = []): Promise<Server> {
  const bin = fileURLToPath(new URL('../bin/moneysocket.js', import.meta.url));
  const prof = profile && CPU_PROF_DIR !== undefined ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR, '--cpu-prof-name', `${name}.${Date.now()}.cpuprofile`] : [];
  return startServer([...prof, ...nodeArgs, bin, 'relay', '--port', '0', '--redis', redis.url, '--node-id', name, ...BENCH_RELAY_ARGS]);
}

function percentiles(samples: number[]): {p50: number; p99: number} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {p50: round3(at(0.5)), p99: round3(at(0.99))};
}

function rendezvous(rendezvousId: string): Uint8Array {
  const frame = encodeFrame(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousId}), null);
  if (!frame.ok) throw frame.error;
  return frame.value;
}

class EchoSide {
  readonly #worker = new Worker(new URL('./relay-echo-worker.mjs', import.meta.url));

  send(command: EchoCommand): Promise<void> {
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

interface Pair {
  index: number;
  kind: 'same' | 'cross';
  ws: WebSocket;
  /** The ping waiting for its answer, if any. */
  seq: number;
  sentAt: number;
  outstanding: boolean;
}

interface Tally {
  sent: number;
  answered: number;
  /** Answers to no ping in flight (a repeat, or one never sent). */
  unexpected: number;
  rtt: {same: number[]; cross: number[]};
}

/** Where each pair's two clients go: half the pairs on one node (split over both), half across. */
function layout(a: string, b: string): Array<{kind: 'same' | 'cross'; echo: string; ping: string; rendezvousId: string}> {
  return Array.from({length: COUNTS.pairs}, (_, i) => {
    const cross = i % 2 === 1;
    const home = i % 4 < 2 ? a : b;
    const other = home === a ? b : a;
    return {kind: cross ? 'cross' : 'same', echo: home, ping: cross ? other : home, rendezvousId: rendezvousIdOf(SharedSeed.generate())};
  });
}

/** Opens the pinging side of each pair (the echo side waits already) and resolves once all are paired. */
async function openPingers(plan: ReturnType<typeof layout>, tally: Tally): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i < plan.length; i += 250) {
    const batch = plan.slice(i, i + 250).map((p, j) => {
      const pair: Pair = {index: i + j, kind: p.kind, ws: new WebSocket(p.ping), seq: 0, sentAt: 0, outstanding: false};
      pairs.push(pair);
      return new Promise<void>((resolve, reject) => {
        pair.ws.once('error', reject);
        pair.ws.once('open', () => pair.ws.send(rendezvous(p.rendezvousId)));
        pair.ws.once('message', () => {
          pair.ws.on('message', (data: Buffer) => answered(pair, data, tally));
          resolve();
        });
      });
    });
    await Promise.all(batch);
  }
  return pairs;
}

function ping(pair: Pair, tally: Tally): void {
  const frame = Buffer.alloc(PING_BYTES, 0x80);
  frame[0] = 0xff; // never valid UTF-8: the relay sees ciphertext, as with real frames
  frame.writeUInt32BE(pair.index, 1);
  frame.writeUInt32BE(++pair.seq, 5);
  pair.outstanding = true;
  pair.sentAt = performance.now();
  tally.sent++;
  pair.ws.send(frame);
}

let running = false;

function answered(pair: Pair, data: Buffer, tally: Tally): void {
  const rtt = performance.now() - pair.sentAt;
  if (!pair.outstanding || data.readUInt32BE(1) !== pair.index || data.readUInt32BE(5) !== pair.seq) {
    tally.unexpected++;
    return;
  }
  pair.outstanding = false;
  tally.answered++;
  tally.rtt[pair.kind].push(rtt);
  if (running) setTimeout(() => running && ping(pair, tally), COUNTS.intervalMs);
}

async function benchPings(a: string, b: string): Promise<void> {
  const plan = layout(a, b);
  const echo = new EchoSide();
  await echo.send({cmd: 'open', pairs: plan.map((p) => ({url: p.echo, rendezvousId: p.rendezvousId}))});
  const tally: Tally = {sent: 0, answered: 0, unexpected: 0, rtt: {same: [], cross: []}};
  const pairs = await openPingers(plan, tally);
  log(`${pairs.length} pairs up; pinging for ${COUNTS.seconds} s`);
  running = true;
  const started = performance.now();
  // Spread the first pings over one interval, so the load is even.
  for (const pair of pairs) setTimeout(() => running && ping(pair, tally), Math.random() * COUNTS.intervalMs);
  await sleep(COUNTS.seconds * 1000);
  running = false;
  const seconds = (performance.now() - started) / 1000;
  // Let the last answers come in (bounded), then count.
  const deadline = Date.now() + 10000;
  while (pairs.some((p) => p.outstanding) && Date.now() < deadline) await sleep(50);
  const unanswered = pairs.filter((p) => p.outstanding).length;
  const same = percentiles(tally.rtt.same);
  const cross = percentiles(tally.rtt.cross);
  const ratio = round3(cross.p50 / same.p50);
  const pairsOf = (kind: string): number => plan.filter((p) => p.kind === kind).length;
  print({bench: 'relay.cluster.ping.same_node', unit: 'ms', value: same.p50, p50_ms: same.p50, p99_ms: same.p99, samples: tally.rtt.same.length, pairs: pairsOf('same')});
  print({bench: 'relay.cluster.ping.cross_node', unit: 'ms', value: cross.p50, p50_ms: cross.p50, p99_ms: cross.p99, samples: tally.rtt.cross.length, pairs: pairsOf('cross'), baseline: 'relay.cluster.ping.same_node', ratio, aim: 2, within_aim: ratio <= 2});
  const frames = (tally.answered * 2) / seconds;
  print({bench: 'relay.cluster.frames', unit: 'frames/s', value: Math.round(frames), cross_node_frames_per_sec: Math.round((tally.rtt.cross.length * 2) / seconds), seconds: round3(seconds), pairs: pairs.length});
  const once = tally.answered === tally.sent && tally.unexpected === 0 && unanswered === 0;
  print({bench: 'relay.cluster.answered', unit: 'pings', value: tally.answered, sent: tally.sent, unanswered, unexpected: tally.unexpected, exactly_once: once});
  for (const pair of pairs) pair.ws.terminate();
  await echo.stop();
}

/** Growth of a fresh, warmed-up server's resident memory per connection, with `count` idle connections. */
async function idleMemory(start: () => Promise<Server>, count: number): Promise<number> {
  const server = await start();
  try {
    await closeSockets(await openSockets(server.url, 50));
    await sleep(500);
    const before = await settledRssBytes(server.pid);
    const sockets = await openSockets(server.url, count);
    await sleep(500);
    const perConnection = Math.round(((await settledRssBytes(server.pid)) - before) / count);
    await closeSockets(sockets);
    return perConnection;
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function benchMemory(redis: TestRedis): Promise<void> {
  const count = COUNTS.idle;
  const bare = await idleMemory(() => startServer([...MEMORY_NODE_ARGS, fileURLToPath(new URL('./bare-ws-server.mjs', import.meta.url))]), count);
  const node = await idleMemory(() => startNode(redis, 'bench-idle', false, MEMORY_NODE_ARGS), count);
  const ratio = round3(node / bare);
  print({bench: 'ws.idle_memory', unit: 'bytes/connection', value: bare, connections: count});
  print({bench: 'relay.cluster.idle_memory', unit: 'bytes/connection', value: node, connections: count, baseline: 'ws.idle_memory', ratio, aim: 1.25, within_aim: ratio <= 1.25});
}

/**
 * One node's frame to another and back, through Redis: PUBLISH to a
 * subscribed connection, or XADD read by a blocking XREAD. Sequential round
 * trips of a ping-sized payload, then as many sent at once.
 */
async function benchTransport(redis: TestRedis): Promise<void> {
  const payload = Buffer.alloc(PING_BYTES, 0x80);
  const clients = Array.from({length: 4}, () => new Redis(redis.url));
  const [pubA, subA, pubB, subB] = clients as [Redis, Redis, Redis, Redis];
  try {
    await subB.subscribe('bench:to-b');
    await subA.subscribe('bench:to-a');
    subB.on('messageBuffer', (_channel: Buffer, message: Buffer) => void pubB.publish('bench:to-a', message));
    let back: (() => void) | undefined;
    subA.on('messageBuffer', () => back?.());
    const pubsub = await roundTrips(COUNTS.transport, () => new Promise<void>((resolve) => {
      back = resolve;
      void pubA.publish('bench:to-b', payload);
    }));
    print({bench: 'redis.pubsub.roundtrip', unit: 'ms', value: pubsub.p50, p50_ms: pubsub.p50, p99_ms: pubsub.p99, samples: COUNTS.transport, bytes: PING_BYTES});
    const streams = await streamRoundTrips(redis, payload);
    print({bench: 'redis.streams.roundtrip', unit: 'ms', value: streams.p50, p50_ms: streams.p50, p99_ms: streams.p99, samples: COUNTS.transport, bytes: PING_BYTES, baseline: 'redis.pubsub.roundtrip', ratio: round3(streams.p50 / pubsub.p50)});
  } finally {
    for (const client of clients) client.disconnect();
  }
}

async function roundTrips(count: number, once: () => Promise<void>): Promise<{p50: number; p99: number}> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return percentiles(times);
}

/** The same round trip over streams: XADD, a blocking XREAD on the far side, XADD back. */
async function streamRoundTrips(redis: TestRedis, payload: Buffer): Promise<{p50: number; p99: number}> {
  const clients = Array.from({length: 4}, () => new Redis(redis.url));
  const [writerA, readerA, writerB, readerB] = clients as [Redis, Redis, Redis, Redis];
  let stop = false;
  let lastB = '$';
  const echo = (async () => {
    while (!stop) {
      const entries = await readerB.xreadBuffer('BLOCK', 1000, 'STREAMS', 'bench:s-to-b', lastB);
      for (const [, messages] of entries ?? []) {
        for (const [id, fields] of messages) {
          lastB = id.toString();
          await writerB.xadd('bench:s-to-a', 'MAXLEN', '~', '1000', '*', 'f', fields[1]!);
        }
      }
    }
  })();
  let lastA = '$';
  try {
    await sleep(100); // the echo's first XREAD is blocking
    return await roundTrips(COUNTS.transport, async () => {
      const reading = readerA.xreadBuffer('BLOCK', 5000, 'STREAMS', 'bench:s-to-a', lastA);
      await writerA.xadd('bench:s-to-b', 'MAXLEN', '~', '1000', '*', 'f', payload);
      const entries = await reading;
      lastA = entries?.[0]?.[1].at(-1)?.[0].toString() ?? lastA;
    });
  } finally {
    stop = true;
    await echo.catch(() => undefined);
    for (const client of clients) client.disconnect();
  }
}

const redis = await startTestRedis();
const nodes: Server[] = [];
try {
  nodes.push(await startNode(redis, 'bench-a', true), await startNode(redis, 'bench-b', true));
  log(`redis at ${redis.url}; nodes at ${nodes.map((n) => n.url).join(' and ')}`);
  log(`${COUNTS.pairs} pairs, half across the two nodes`);
  await benchPings(nodes[0]!.url, nodes[1]!.url);
  await Promise.all(nodes.splice(0).map(stopNode));
  log('memory per idle connection: bare ws server, cluster node');
  await benchMemory(redis);
  log('Redis pub/sub and streams round trips');
  await benchTransport(redis);
} catch (error) {
  print({bench: 'error', error: error instanceof Error ? error.message : String(error)});
  process.exitCode = 1;
} finally {
  for (const node of nodes) node.child.kill('SIGTERM');
  await redis.stop();
}
