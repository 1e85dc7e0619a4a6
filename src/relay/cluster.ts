/**
 * Cluster mode: several relay processes sharing rendezvous ids through
 * Redis. This module holds its defaults and option checks, and loads the
 * Redis backend (and ioredis) only when a relay is given `redis`.
 */
import {hostname} from 'node:os';
import {MoneysocketError} from '../core/errors.js';
import type {PairingConnection} from './pairing.js';
import type {PairingBackend} from './pairing-backend.js';
import type {ClusterHealth, ClusterObserver} from './redis-pairing.js';

/** A dead node's records stop counting after half of this, and are gone after all of it. */
export const DEFAULT_CLAIM_TTL_MS = 5000;
export const MIN_CLAIM_TTL_MS = 300;

export interface ClusterSettings {
  redis: string;
  nodeId: string;
  claimTtlMs: number;
  log: (entry: object) => void;
}

export interface Cluster<C extends PairingConnection> {
  backend: PairingBackend<C>;
  health(): ClusterHealth;
  /** Hooks for the relay's metrics: cross-node frames and the Redis state. */
  observe(observer: ClusterObserver): void;
  /** Call after the relay closed its sockets, so their releases reach Redis. */
  close(): Promise<void>;
}

export type {ClusterHealth, ClusterObserver};

export function defaultNodeId(): string {
  return `${hostname()}-${process.pid}`;
}

/** Checks a `redis` option: a redis:// or rediss:// URL. */
export function redisUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MoneysocketError('INVALID_ARGUMENT', `redis must be a URL like redis://127.0.0.1:6379, got "${value}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new MoneysocketError('INVALID_ARGUMENT', `redis must be a redis:// or rediss:// URL, got "${value}"`);
  }
  return value;
}

/** Checks a node id: it names Redis keys and channels, so no spaces or control characters. */
export function nodeIdOption(value: string): string {
  if (!/^[\w.:@-]{1,64}$/.test(value)) {
    throw new MoneysocketError('INVALID_ARGUMENT', `nodeId must be 1 to 64 letters, digits or ._:@- characters, got "${value}"`);
  }
  return value;
}

/** Connects to Redis (waiting a little for it) and returns the backend the pairing machine runs on. */
export async function startCluster<C extends PairingConnection>(settings: ClusterSettings): Promise<Cluster<C>> {
  const {RedisPairingBackend} = await import('./redis-pairing.js');
  // Waits for Redis no longer than the claim TTL, then serves this node's own pairs until Redis comes.
  const backend = new RedisPairingBackend<C>({url: settings.redis, nodeId: settings.nodeId, claimTtlMs: settings.claimTtlMs, log: settings.log, connectWaitMs: settings.claimTtlMs});
  settings.log({event: 'cluster', node: settings.nodeId, redis: redactedUrl(settings.redis), claim_ttl_ms: settings.claimTtlMs});
  await backend.start();
  return {backend, health: () => backend.health(), observe: (observer) => backend.observe(observer), close: () => backend.close()};
}

/** The URL without its password, for logs. */
function redactedUrl(value: string): string {
  const url = new URL(value);
  if (url.password !== '') url.password = '***';
  return url.toString();
}
