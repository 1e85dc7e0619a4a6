/**
 * The relay's Prometheus metrics (`GET /metrics`), kept with prom-client.
 * Each relay has its own registry, so several relays in one process (tests,
 * embedders) do not mix their counts; the process metrics (CPU, memory,
 * event loop) are registered once per process and shown by every relay.
 *
 * Hooks for cluster mode, which another module drives: `crossNodeFrame()`
 * for each frame sent to or received from another node, and
 * `setRedisState()` as the Redis connection changes. Without a cluster they
 * stay at 0 and "not-configured".
 */
import {Counter, Gauge, Registry, collectDefaultMetrics} from 'prom-client';
import type {RelayCloseReason} from './pairing.js';
import {REFUSAL_CODES, type RefusalCode} from './admission.js';

export type RedisState = 'not-configured' | 'connecting' | 'ready' | 'down';
export const REDIS_STATES: readonly RedisState[] = ['not-configured', 'connecting', 'ready', 'down'];

/** Why the relay closed a connection it had accepted. */
export type ClosedReason = RelayCloseReason | 'slow-reader';
const CLOSE_REASONS: readonly ClosedReason[] = [
  'rendezvous-in-use', 'repeated-rendezvous', 'peer-left', 'idle-timeout', 'waiting-timeout', 'unusable-frames', 'waiting-limit', 'slow-reader',
];

export interface RelayCounts {
  connections: number;
  waiting: number;
  pairs: number;
}

const PREFIX = 'moneysocket_relay_';

let processRegistry: Registry | undefined;

/** CPU, memory, descriptors, event loop lag, GC: once per process, whatever the number of relays. */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({register: processRegistry});
  }
  return processRegistry;
}

export class RelayMetrics {
  readonly #own = new Registry();
  readonly #all: Registry;
  readonly #accepted: Counter;
  readonly #frames: Counter;
  readonly #bytes: Counter;
  readonly #dropped: Counter;
  readonly #refusals: Counter<'reason'>;
  readonly #closes: Counter<'reason'>;
  readonly #crossNode: Counter<'direction'>;
  readonly #redis: Gauge<'state'>;

  /** `counts` is read at each scrape, so the gauges are never out of step with the pairing tables. */
  constructor(counts: () => RelayCounts) {
    const registers = [this.#own];
    for (const name of ['connections', 'waiting', 'pairs'] as const) {
      new Gauge({name: PREFIX + name, help: GAUGE_HELP[name], registers, collect() {
        this.set(counts()[name]);
      }});
    }
    this.#accepted = new Counter({name: `${PREFIX}connections_accepted_total`, help: 'WebSocket connections accepted', registers});
    this.#frames = new Counter({name: `${PREFIX}frames_forwarded_total`, help: 'frames passed from one client to its peer', registers});
    this.#bytes = new Counter({name: `${PREFIX}forwarded_bytes_total`, help: 'bytes of the frames passed from one client to its peer', registers});
    this.#dropped = new Counter({name: `${PREFIX}dropped_frames_total`, help: 'frames the relay could not use (text, invalid clear, anything before pairing)', registers});
    this.#refusals = labelled(new Counter({name: `${PREFIX}refusals_total`, help: 'WebSocket upgrades refused, by reason', labelNames: ['reason'], registers}), 'reason', REFUSAL_CODES);
    this.#closes = labelled(new Counter({name: `${PREFIX}closes_total`, help: 'accepted connections the relay closed, by reason', labelNames: ['reason'], registers}), 'reason', CLOSE_REASONS);
    this.#crossNode = labelled(new Counter({name: `${PREFIX}cross_node_frames_total`, help: 'frames sent to (out) or received from (in) a peer on another node; 0 without a cluster', labelNames: ['direction'], registers}), 'direction', ['in', 'out']);
    this.#redis = new Gauge({name: `${PREFIX}redis_state`, help: 'the Redis connection: 1 for the current state, 0 for the others', labelNames: ['state'], registers});
    this.setRedisState('not-configured');
    this.#all = Registry.merge([this.#own, processMetrics()]);
  }

  get contentType(): string {
    return this.#all.contentType;
  }

  /** The text exposition format, as `GET /metrics` answers. */
  text(): Promise<string> {
    return this.#all.metrics();
  }

  accepted(): void {
    this.#accepted.inc();
  }

  forwarded(bytes: number): void {
    this.#frames.inc();
    this.#bytes.inc(bytes);
  }

  dropped(): void {
    this.#dropped.inc();
  }

  refused(code: RefusalCode): void {
    this.#refusals.inc({reason: code});
  }

  closed(reason: ClosedReason): void {
    this.#closes.inc({reason});
  }

  /** Cluster hook: one frame sent to (`out`) or received from (`in`) another node. */
  crossNodeFrame(direction: 'in' | 'out'): void {
    this.#crossNode.inc({direction});
  }

  /** Cluster hook: the Redis connection's state. */
  setRedisState(state: RedisState): void {
    for (const s of REDIS_STATES) this.#redis.set({state: s}, s === state ? 1 : 0);
  }
}

const GAUGE_HELP = {
  connections: 'open WebSocket connections',
  waiting: 'connections waiting for their peer',
  pairs: 'paired rendezvous',
};

/** Every label value shown from the start, at 0: a series that appears only on its first event breaks rate(). */
function labelled<T extends string>(counter: Counter<T>, label: T, values: readonly string[]): Counter<T> {
  for (const value of values) counter.inc({[label]: value} as Partial<Record<T, string>>, 0);
  return counter;
}
