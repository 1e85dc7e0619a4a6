/**
 * The relay target: a real relay on 127.0.0.1, a legitimate pair pinging
 * through it, and a few hostile clients feeding it frames over real
 * WebSockets (random bytes, nested JSON, oversized frames, rendezvous
 * floods, text frames, forged notifications, junk between hostile pairs).
 * It fails if the relay logs an error event, throws, or the pair stops
 * answering. Every frame is also timed through a bare pairing machine, which
 * is all the per-frame work the relay does beyond `ws`, for the slowest input.
 */
import {WebSocket} from 'ws';
import {utf8Encode} from '../src/core/bytes.js';
import {DEFAULT_MAX_FRAME_BYTES, encodeFrame} from '../src/core/frame.js';
import {createNotification, createRequest} from '../src/core/message-types.js';
import {SharedSeed} from '../src/core/seed.js';
import {rendezvousIdOf} from '../src/core/seed-keys.js';
import {RendezvousPairing, startRelay, type PairingConnection, type RelayHandle} from '../src/relay/index.js';
import {Rng, errorText, finish, mutate, shortHex, type FuzzReport} from './fuzz-engine.js';
import {sampleMessages} from './fuzz-targets.js';

export interface RelayFuzzOptions {
  runs: number;
  seed: number;
  /** Stops early after this long. */
  maxMs?: number;
  /** Hostile clients at once. */
  attackers?: number;
}

export interface RelayFuzzReport extends FuzzReport {
  /** How the relay closed hostile connections, by close code. */
  closes: Record<string, number>;
  pings: number;
  ping_median_ms: number;
  ping_max_ms: number;
  /** What went wrong; empty when the relay held. */
  failures: string[];
}

const PING_EVERY_MS = 50;
/** The legitimate pair must answer each ping within this. */
const PING_DEADLINE_MS = 2000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function frameOf(message: Parameters<typeof encodeFrame>[0], seed: SharedSeed | null): Uint8Array {
  const frame = encodeFrame(message, seed);
  if (!frame.ok) throw frame.error;
  return frame.value;
}

function rendezvous(rid: string): Uint8Array {
  return frameOf(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rid}), null);
}

/** One hostile frame: bytes and whether to send them as a text frame. */
export function hostileFrame(rng: Rng, corpus: Uint8Array[], pairId: string): {data: Uint8Array; text: boolean} {
  const roll = rng.int(12);
  const text = roll === 0;
  if (roll <= 1) return {data: rng.bytes(rng.size(4096)), text};
  if (roll === 2) return {data: utf8Encode(rng.pick(['[', '{"a":', '{"rendezvous_id":']).repeat(rng.size(16000))), text};
  if (roll === 3) return {data: rng.bytes(DEFAULT_MAX_FRAME_BYTES + 1 + rng.int(1024)), text};
  if (roll === 4) return {data: rendezvous(rng.chance(0.2) ? pairId : rendezvousIdOf(SharedSeed.generate())), text};
  if (roll === 5) return {data: frameOf(createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: pairId}), null), text};
  return {data: mutate(rng, rng.pick(corpus), corpus, 8192), text};
}

/** A fake connection for timing the pairing machine alone. */
class Sink implements PairingConnection {
  constructor(readonly id: string) {}
  send(): void {}
  close(): void {}
}

/**
 * Times each frame through a pairing machine with a connection in every
 * state (new, waiting, paired); keeps the slowest, counts throws.
 */
class DirectTimer {
  readonly #pairing = new RendezvousPairing<Sink>({maxDroppedFrames: Number.MAX_SAFE_INTEGER});
  #conns: Sink[] = [];
  #next = 0;

  constructor(private readonly report: FuzzReport) {
    this.#reset();
  }

  #reset(): void {
    for (const c of this.#conns) this.#pairing.disconnect(c);
    const rid = rendezvousIdOf(SharedSeed.generate());
    this.#conns = ['new', 'waiting', 'paired-a', 'paired-b'].map((id) => new Sink(`${id}-${this.#next++}`));
    for (const c of this.#conns) this.#pairing.connect(c);
    this.#pairing.receive(this.#conns[1]!, rendezvous(rendezvousIdOf(SharedSeed.generate())), true);
    this.#pairing.receive(this.#conns[2]!, rendezvous(rid), true);
    this.#pairing.receive(this.#conns[3]!, rendezvous(rid), true);
  }

  time(frame: {data: Uint8Array; text: boolean}): void {
    for (const conn of this.#conns) {
      const t0 = performance.now();
      try {
        this.#pairing.receive(conn, frame.data, !frame.text);
      } catch (error) {
        this.report.throws++;
        this.report.first_throw ??= {error: errorText(error), bytes: frame.data.length, hex: shortHex(frame.data)};
      }
      let ms = performance.now() - t0;
      if (ms > this.report.slowest_ms) ms = Math.min(ms, retime(frame), retime(frame));
      if (ms > this.report.slowest_ms) Object.assign(this.report, {slowest_ms: ms, slowest_bytes: frame.data.length, slowest_hex: shortHex(frame.data)});
    }
    // A repeated REQUEST_RENDEZVOUS closes its sender: start from fresh connections.
    if (this.#pairing.stats().pairs === 0 || this.#pairing.stats().waiting === 0) this.#reset();
  }
}

/**
 * Times a frame again on a paired connection of a scratch machine, so that
 * a GC pause or a first call's compilation does not pass for slowness.
 */
function retime(frame: {data: Uint8Array; text: boolean}): number {
  const pairing = new RendezvousPairing<Sink>();
  const [a, b] = [new Sink('a'), new Sink('b')];
  const rid = rendezvousIdOf(SharedSeed.generate());
  for (const c of [a, b]) {
    pairing.connect(c);
    pairing.receive(c, rendezvous(rid), true);
  }
  const t0 = performance.now();
  try {
    pairing.receive(a, frame.data, !frame.text);
  } catch {
    // counted by the first run
  }
  return performance.now() - t0;
}

function open(url: string): Promise<WebSocket | undefined> {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(undefined);
    }, 3000);
    ws.once('open', () => (clearTimeout(timer), resolve(ws)));
    ws.once('close', () => (clearTimeout(timer), resolve(undefined)));
  });
}

function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(-2);
    }, 3000);
    ws.once('close', (code) => (clearTimeout(timer), resolve(code)));
  });
}

/** The legitimate pair: `a` sends encrypted pings, `b` echoes every frame back. */
async function legitimatePair(url: string): Promise<{a: WebSocket; b: WebSocket; rid: string; ping(): Promise<number | undefined>}> {
  const seed = SharedSeed.generate();
  const [a, b] = [await open(url), await open(url)];
  if (a === undefined || b === undefined) throw new Error('the legitimate pair could not connect');
  const notified = (ws: WebSocket): Promise<unknown> => new Promise((resolve) => ws.once('message', resolve));
  let waiting = notified(a);
  a.send(rendezvous(rendezvousIdOf(seed)));
  await waiting; // NOT_READY
  waiting = notified(a);
  const bPaired = notified(b);
  b.send(rendezvous(rendezvousIdOf(seed)));
  await Promise.all([waiting, bPaired]);
  b.on('message', (data: Buffer) => b.send(data, {binary: true}));
  const ping = frameOf(createRequest('REQUEST_PING', {}), seed);
  return {
    a,
    b,
    rid: rendezvousIdOf(seed),
    ping: () => new Promise((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => (a.off('message', answer), resolve(undefined)), PING_DEADLINE_MS);
      const answer = (): void => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      };
      a.once('message', answer);
      a.send(ping, {binary: true});
    }),
  };
}

interface Campaign {
  url: string;
  rng: Rng;
  corpus: Uint8Array[];
  pairId: string;
  report: RelayFuzzReport;
  direct: DirectTimer;
  done(): boolean;
}

/** Sends one hostile frame; false once the socket is gone. */
async function sendHostile(ws: WebSocket, c: Campaign): Promise<boolean> {
  if (ws.readyState !== WebSocket.OPEN || c.done()) return false;
  const frame = hostileFrame(c.rng, c.corpus, c.pairId);
  c.direct.time(frame);
  ws.send(frame.text ? Buffer.from(frame.data).toString('latin1') : frame.data, {binary: !frame.text});
  c.report.runs++;
  // Let the relay read: the point is what it does with the frames, not the client's buffers.
  if (ws.bufferedAmount > 256 * 1024 || c.report.runs % 8 === 0) await delay(1);
  return true;
}

/** One hostile client after another: some stay new, some wait, some pair with a sibling and send junk to it. */
async function attacker(c: Campaign): Promise<void> {
  while (!c.done()) {
    const ws = await open(c.url);
    if (ws === undefined) {
      await delay(20); // refused (429/503) or cut: try again
      continue;
    }
    const code = closed(ws);
    const plan = c.rng.int(3);
    if (plan > 0) {
      const rid = rendezvousIdOf(SharedSeed.generate());
      ws.send(rendezvous(rid));
      if (plan === 2) {
        const sibling = await open(c.url);
        if (sibling !== undefined) {
          sibling.send(rendezvous(rid));
          void closed(sibling).then((k) => count(c, k));
          for (let i = 0, n = c.rng.int(64); i < n && (await sendHostile(sibling, c)); i++);
          sibling.terminate();
        }
      }
    }
    for (let i = 0, n = c.rng.int(256); i < n && (await sendHostile(ws, c)); i++);
    if (c.rng.chance(0.5)) ws.terminate();
    else ws.close();
    count(c, await code);
  }
}

function count(c: Campaign, code: number): void {
  c.report.closes[code] = (c.report.closes[code] ?? 0) + 1;
}

/** Pings through the pair every PING_EVERY_MS until the campaign is done; records failures. */
async function pinger(c: Campaign, pair: Awaited<ReturnType<typeof legitimatePair>>, rtts: number[]): Promise<void> {
  while (!c.done()) {
    const rtt = await pair.ping();
    if (rtt === undefined) {
      c.report.failures.push(`the legitimate pair did not answer a ping within ${PING_DEADLINE_MS} ms`);
      return;
    }
    rtts.push(rtt);
    await delay(PING_EVERY_MS);
  }
}

/** Runs the relay campaign; resolves with its report (`failures` empty and `throws` 0 when the relay held). */
export async function fuzzRelay(options: RelayFuzzOptions): Promise<RelayFuzzReport> {
  const report: RelayFuzzReport = {
    fuzz: 'relay', seed: options.seed, runs: 0, seconds: 0, per_second: 0, slowest_ms: 0, slowest_bytes: 0, slowest_hex: '', throws: 0,
    closes: {}, pings: 0, ping_median_ms: 0, ping_max_ms: 0, failures: [],
  };
  const events: Array<Record<string, unknown>> = [];
  const crashed = (error: unknown): void => void report.failures.push(`uncaught: ${errorText(error)}`);
  process.on('uncaughtException', crashed);
  const relay: RelayHandle = await startRelay({host: '127.0.0.1', port: 0, log: (e) => events.push(e as Record<string, unknown>)});
  const started = performance.now();
  const rtts: number[] = [];
  try {
    const pair = await legitimatePair(relay.url);
    const maxMs = options.maxMs ?? Number.POSITIVE_INFINITY;
    const campaign: Campaign = {
      url: relay.url, rng: new Rng(options.seed), pairId: pair.rid, report, direct: new DirectTimer(report),
      // The four rendezvous messages come out clear, the rest encrypted.
      corpus: sampleMessages().map((m) => frameOf(m, SharedSeed.generate())),
      done: () => report.runs >= options.runs || performance.now() - started > maxMs || report.failures.length > 0,
    };
    await Promise.all([pinger(campaign, pair, rtts), ...Array.from({length: options.attackers ?? 6}, () => attacker(campaign))]);
    if ((await pair.ping()) === undefined) report.failures.push('the legitimate pair did not answer after the campaign');
    if (pair.a.readyState !== WebSocket.OPEN || pair.b.readyState !== WebSocket.OPEN) report.failures.push('the legitimate pair was disconnected');
    pair.a.terminate();
    pair.b.terminate();
  } catch (error) {
    report.failures.push(`campaign: ${errorText(error)}`);
  } finally {
    await relay.close();
    process.off('uncaughtException', crashed);
  }
  for (const e of events.filter((e) => e['event'] === 'error')) report.failures.push(`relay logged an error: ${String(e['error'])}`);
  rtts.sort((x, y) => x - y);
  Object.assign(report, {pings: rtts.length, ping_median_ms: round(rtts[rtts.length >> 1] ?? 0), ping_max_ms: round(rtts.at(-1) ?? 0)});
  return finish(report, performance.now() - started);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
