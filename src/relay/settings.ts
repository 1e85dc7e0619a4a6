/**
 * The relay's options, their defaults, and their validation into the
 * settings the server runs with.
 */
import type {BlockList} from 'node:net';
import {MoneysocketError} from '../core/errors.js';
import {DEFAULT_MAX_FRAME_BYTES} from '../core/frame.js';
import {trustedProxies} from './address.js';
import {admissionSettingsFrom, type AdmissionOptions, type AdmissionSettings} from './admission.js';
import {DEFAULT_CLAIM_TTL_MS, MIN_CLAIM_TTL_MS, defaultNodeId, nodeIdOption, redisUrl} from './cluster.js';
import {connectionsForDescriptors} from './descriptors.js';
import {DEFAULT_MAX_DROPPED_FRAMES} from './pairing.js';
import {DEFAULT_MAX_CLEAR_FRAME_BYTES} from './relay-frame.js';
import {checkTls, type RelayTlsOptions, type TlsPair} from './tls.js';

/** The operator features (Origin allow-list, connection rate, TLS) come from `AdmissionOptions` and `tls`. */
export interface RelayOptions extends AdmissionOptions {
  host?: string;
  /** 0 picks a free port; the handle reports the real one. */
  port?: number;
  /** Larger frames close their connection with 1009. */
  maxFrameBytes?: number;
  /** Clear frames (the relay parses those) above this are dropped unread. */
  maxClearFrameBytes?: number;
  /**
   * Upgrades beyond this are refused with HTTP 503. Default: the process's
   * descriptor limit less headroom (see `connectionsForDescriptors`), so the
   * relay never runs out of descriptors and /healthz keeps answering.
   */
  maxConnections?: number;
  /** Upgrades from one client address (an IPv6 /64) beyond this are refused with HTTP 429. */
  maxConnectionsPerAddress?: number;
  /** Connections of one client address waiting for their peer; one more is closed instead of waiting. */
  maxWaitingPerAddress?: number;
  /**
   * Frames the relay cannot use (text, invalid or oversized clear, anything
   * before pairing) that a connection may send at once; one more is allowed
   * each second. Beyond, it is closed (1008).
   */
  maxDroppedFrames?: number;
  /**
   * Proxies (addresses or CIDR subnets) whose X-Forwarded-For names the
   * client. Without it the header is ignored.
   */
  trustProxy?: readonly string[];
  /** Repeated log lines (dropped frames, refusals) are summed up once per this interval. */
  logIntervalMs?: number;
  /** Connections that have not asked for a rendezvous this long after connecting are closed; 0 = never. */
  idleTimeoutMs?: number;
  /**
   * Connections still waiting for their peer this long after connecting are
   * closed; 0 (the default) = wait forever, as the deployed relay does: a
   * provider may wait hours for its consumer, and js providers never redial.
   */
  waitingTimeoutMs?: number;
  /** A peer that lets more than this pile up unread is closed, so one slow reader cannot exhaust memory. */
  maxBufferedBytes?: number;
  /** Receives one structured entry per event; default: a JSON line on stderr. */
  log?: (entry: object) => void;
  /** Serve `wss://` with this certificate and key (PEM); the handle's url says wss://. */
  tls?: RelayTlsOptions;
  /** Cluster mode: share rendezvous ids with other relays through this Redis (redis://host:port). */
  redis?: string;
  /** This node's name in cluster logs and Redis; default hostname-pid. */
  nodeId?: string;
  /** Cluster mode: a dead node's peers are ended, and its records gone, within this. */
  claimTtlMs?: number;
}

export const DEFAULT_RELAY_HOST = '127.0.0.1';
export const DEFAULT_RELAY_PORT = 11060;
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
export const DEFAULT_MAX_WAITING_PER_ADDRESS = 64;
export const DEFAULT_LOG_INTERVAL_MS = 10000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30000;
export const DEFAULT_WAITING_TIMEOUT_MS = 0;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface Settings {
  host: string;
  port: number;
  maxFrameBytes: number;
  maxClearFrameBytes: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxWaitingPerAddress: number;
  maxDroppedFrames: number;
  idleTimeoutMs: number;
  waitingTimeoutMs: number;
  maxBufferedBytes: number;
  trustProxy: BlockList | undefined;
  logIntervalMs: number;
  /** The soft limit on open files, when it could be read. */
  descriptorLimit: number | undefined;
  log: (entry: object) => void;
  admission: AdmissionSettings;
  tls: TlsPair | undefined;
  /** Cluster mode, when `redis` is given. */
  redis: string | undefined;
  nodeId: string;
  claimTtlMs: number;
}

export function defaultRelayLog(entry: object): void {
  process.stderr.write(JSON.stringify({time: new Date().toISOString(), ...entry}) + '\n');
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MoneysocketError('INVALID_ARGUMENT', `${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export function settingsFrom(options: RelayOptions, descriptors: number | undefined): Settings {
  const maxFrameBytes = integerOption('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES, 1);
  return {
    host: options.host ?? DEFAULT_RELAY_HOST,
    port: integerOption('port', options.port, DEFAULT_RELAY_PORT, 0, 65535),
    maxFrameBytes,
    maxClearFrameBytes: integerOption('maxClearFrameBytes', options.maxClearFrameBytes, Math.min(DEFAULT_MAX_CLEAR_FRAME_BYTES, maxFrameBytes), 1, maxFrameBytes),
    maxConnections: integerOption('maxConnections', options.maxConnections, connectionsForDescriptors(descriptors), 1),
    maxConnectionsPerAddress: integerOption('maxConnectionsPerAddress', options.maxConnectionsPerAddress, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1),
    maxWaitingPerAddress: integerOption('maxWaitingPerAddress', options.maxWaitingPerAddress, DEFAULT_MAX_WAITING_PER_ADDRESS, 0),
    maxDroppedFrames: integerOption('maxDroppedFrames', options.maxDroppedFrames, DEFAULT_MAX_DROPPED_FRAMES, 0),
    idleTimeoutMs: integerOption('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 0),
    waitingTimeoutMs: integerOption('waitingTimeoutMs', options.waitingTimeoutMs, DEFAULT_WAITING_TIMEOUT_MS, 0),
    maxBufferedBytes: integerOption('maxBufferedBytes', options.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES, 1),
    trustProxy: trustedProxies(options.trustProxy ?? []),
    logIntervalMs: integerOption('logIntervalMs', options.logIntervalMs, DEFAULT_LOG_INTERVAL_MS, 1),
    descriptorLimit: descriptors,
    log: options.log ?? defaultRelayLog,
    admission: admissionSettingsFrom(options),
    tls: checkTls(options.tls),
    redis: options.redis === undefined ? undefined : redisUrl(options.redis),
    nodeId: options.nodeId === undefined ? defaultNodeId() : nodeIdOption(options.nodeId),
    claimTtlMs: integerOption('claimTtlMs', options.claimTtlMs, DEFAULT_CLAIM_TTL_MS, MIN_CLAIM_TTL_MS),
  };
}
