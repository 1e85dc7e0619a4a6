/** `moneysocket relay [--host H] [--port P] [limits]` */
import {parseArgsFor} from './args.js';
import {UsageError, type Io} from './output.js';
import {DEFAULT_MAX_FRAME_BYTES} from '../core/frame.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_LOG_INTERVAL_MS,
  DEFAULT_MAX_CLEAR_FRAME_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MAX_DROPPED_FRAMES,
  DEFAULT_MAX_WAITING_PER_ADDRESS,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  DEFAULT_WAITING_TIMEOUT_MS,
  readTlsFiles,
  DEFAULT_CLAIM_TTL_MS,
  MIN_CLAIM_TTL_MS,
  startRelay,
  type RelayHandle,
  type RelayOptions,
} from '../relay/index.js';

export const RELAY_HELP = `Usage: moneysocket relay [options]

Runs a Moneysocket v0 relay: pairs the two WebSocket clients that ask for the
same rendezvous id and forwards frames between them. Prints the ws:// address
(wss:// with --tls-cert) once listening; logs one JSON object per line on
stderr. SIGINT or SIGTERM closes every connection and exits 0. GET /healthz
and GET /metrics (Prometheus text format) answer on the same port.

Options:
  --host <host>              address to listen on (default ${DEFAULT_RELAY_HOST})
  --port <port>              port to listen on, 0 for any free port (default ${DEFAULT_RELAY_PORT})
  --max-frame-bytes <n>      close connections that send larger frames, code 1009 (default ${DEFAULT_MAX_FRAME_BYTES})
  --max-clear-frame-bytes <n>
                             drop clear (JSON) frames above this unread (default ${DEFAULT_MAX_CLEAR_FRAME_BYTES})
  --max-connections <n>      refuse connections beyond this with HTTP 503 (default: the open-file
                             limit, ulimit -n, less headroom, at most ${DEFAULT_MAX_CONNECTIONS})
  --max-connections-per-address <n>
                             refuse connections from one client address (IPv6: one /64) beyond this
                             with HTTP 429 (default ${DEFAULT_MAX_CONNECTIONS_PER_ADDRESS})
  --max-waiting-per-address <n>
                             close a connection that would be one more of its address waiting for
                             its peer, code 1008 (default ${DEFAULT_MAX_WAITING_PER_ADDRESS})
  --max-dropped-frames <n>   close connections that send more unusable frames (text, invalid clear,
                             anything before pairing) than this at once, one more allowed per second,
                             code 1008 (default ${DEFAULT_MAX_DROPPED_FRAMES})
  --trust-proxy <addr>       take the client address from X-Forwarded-For when the connection comes
                             from this proxy; an address or CIDR subnet, repeat or comma-separate for
                             several (default: none, the header is ignored)
  --idle-timeout-ms <n>      close connections that ask for no rendezvous this long after connecting, 0 = never (default ${DEFAULT_IDLE_TIMEOUT_MS})
  --waiting-timeout-ms <n>   close connections still waiting for their peer this long after connecting, 0 = never (default ${DEFAULT_WAITING_TIMEOUT_MS})
  --log-interval-ms <n>      repeated log lines (dropped frames, refusals) are summed up once per this interval (default ${DEFAULT_LOG_INTERVAL_MS})
  --tls-cert <file>          serve wss:// with this PEM certificate chain (needs --tls-key); SIGHUP
                             reads both files again, for a renewed certificate, without a restart
  --tls-key <file>           the PEM private key of --tls-cert
  --allow-origin <origin>    let only pages of this origin (e.g. https://app.example.com) connect; others
                             get HTTP 403; repeat or comma-separate for several. Clients that send no
                             Origin (not browsers) are let in (default: any origin)
  --connection-rate-per-address <n>
                             new connections per second from one client address (IPv6: one /64);
                             beyond, HTTP 429; 0 = no limit (default 0)
  --connection-burst-per-address <n>
                             how many of those may come at once (default: the rate)
  --redis <url>              cluster mode: share rendezvous ids with the other relays on this Redis
                             (redis://host:port); without it the relay pairs on its own
  --node-id <name>           this node's name in cluster logs and Redis (default: hostname-pid)
  --claim-ttl-ms <n>         cluster mode: clients paired with a node that died get RENDEZVOUS_END,
                             and its records are gone, within this (default ${DEFAULT_CLAIM_TTL_MS})
  -h, --help                 show this help`;

/** Parses a whole decimal number; anything else is a usage error naming the option. */
function integer(name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Flags that exist on this command only to set operator features; see operatorOptions(). */
const OPERATOR_FLAGS = {
  'tls-cert': {type: 'string'},
  'tls-key': {type: 'string'},
  'allow-origin': {type: 'string', multiple: true},
  'connection-rate-per-address': {type: 'string'},
  'connection-burst-per-address': {type: 'string'},
} as const;

interface OperatorValues {
  'tls-cert'?: string;
  'tls-key'?: string;
  'allow-origin'?: string[];
  'connection-rate-per-address'?: string;
  'connection-burst-per-address'?: string;
}

/** The operator flags as options; the TLS files are read in runRelay(). */
function operatorOptions(values: OperatorValues): Pick<RelayOptions, 'allowOrigin' | 'connectionRatePerAddress' | 'connectionBurstPerAddress'> & {tlsFiles?: {cert: string; key: string}} {
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  return {
    allowOrigin: (values['allow-origin'] ?? []).flatMap((list) => list.split(',')).filter((entry) => entry.trim() !== ''),
    connectionRatePerAddress: integer('connection-rate-per-address', values['connection-rate-per-address'], 0),
    connectionBurstPerAddress: integer('connection-burst-per-address', values['connection-burst-per-address'], 1),
    ...(cert !== undefined && key !== undefined ? {tlsFiles: {cert, key}} : {}),
  };
}

type CommandOptions = RelayOptions & {tlsFiles?: {cert: string; key: string}};

function optionsFrom(args: string[]): CommandOptions | 'help' {
  const {values, positionals} = parseArgsFor('relay', {
    args,
    options: {
      host: {type: 'string'},
      port: {type: 'string'},
      'max-frame-bytes': {type: 'string'},
      'max-clear-frame-bytes': {type: 'string'},
      'max-connections': {type: 'string'},
      'max-connections-per-address': {type: 'string'},
      'max-waiting-per-address': {type: 'string'},
      'max-dropped-frames': {type: 'string'},
      'trust-proxy': {type: 'string', multiple: true},
      'idle-timeout-ms': {type: 'string'},
      'waiting-timeout-ms': {type: 'string'},
      'log-interval-ms': {type: 'string'},
      ...OPERATOR_FLAGS,
      redis: {type: 'string'},
      'node-id': {type: 'string'},
      'claim-ttl-ms': {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.host === '') throw new UsageError('--host must not be empty');
  return {
    host: values.host ?? DEFAULT_RELAY_HOST,
    port: integer('port', values.port, 0, 65535) ?? DEFAULT_RELAY_PORT,
    maxFrameBytes: integer('max-frame-bytes', values['max-frame-bytes'], 1),
    maxClearFrameBytes: integer('max-clear-frame-bytes', values['max-clear-frame-bytes'], 1),
    maxConnections: integer('max-connections', values['max-connections'], 1),
    maxConnectionsPerAddress: integer('max-connections-per-address', values['max-connections-per-address'], 1),
    maxWaitingPerAddress: integer('max-waiting-per-address', values['max-waiting-per-address'], 0),
    maxDroppedFrames: integer('max-dropped-frames', values['max-dropped-frames'], 0),
    trustProxy: (values['trust-proxy'] ?? []).flatMap((list) => list.split(',')).filter((entry) => entry.trim() !== ''),
    idleTimeoutMs: integer('idle-timeout-ms', values['idle-timeout-ms'], 0),
    waitingTimeoutMs: integer('waiting-timeout-ms', values['waiting-timeout-ms'], 0),
    logIntervalMs: integer('log-interval-ms', values['log-interval-ms'], 1),
    ...operatorOptions(values),
    ...clusterOptions(values.redis, values['node-id'], values['claim-ttl-ms']),
  };
}

/** --redis, --node-id, --claim-ttl-ms; the last two mean nothing without the first. */
function clusterOptions(redis: string | undefined, nodeId: string | undefined, claimTtl: string | undefined): Pick<RelayOptions, 'redis' | 'nodeId' | 'claimTtlMs'> {
  if (redis === undefined) {
    if (nodeId !== undefined || claimTtl !== undefined) throw new UsageError(`--${nodeId !== undefined ? 'node-id' : 'claim-ttl-ms'} needs --redis`);
    return {};
  }
  return {redis, nodeId, claimTtlMs: integer('claim-ttl-ms', claimTtl, MIN_CLAIM_TTL_MS)};
}

/** Resolves with the first of SIGINT/SIGTERM, then stops listening for them. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** SIGHUP: read the certificate and key again (a renewal) and serve them to new connections; a bad pair keeps the old one. */
function reloadTlsOnHangup(files: {cert: string; key: string}, relay: RelayHandle, log: (entry: object) => void): () => void {
  const reload = (): void => {
    readTlsFiles(files.cert, files.key)
      .then((tls) => relay.replaceTls(tls))
      .then(() => log({event: 'tls-reloaded'}), (error: unknown) => log({event: 'tls-reload-failed', error: error instanceof Error ? error.message : String(error)}));
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}

export async function runRelay(args: string[], io: Io): Promise<number> {
  const options = optionsFrom(args);
  if (options === 'help') {
    io.out(RELAY_HELP);
    return 0;
  }
  const log = (entry: object): void => io.err(JSON.stringify({time: new Date().toISOString(), ...entry}));
  const {tlsFiles, ...relayOptions} = options;
  const tls = tlsFiles === undefined ? undefined : await readTlsFiles(tlsFiles.cert, tlsFiles.key);
  const relay = await startRelay({...relayOptions, ...(tls ? {tls} : {}), log});
  const stopReloading = tlsFiles === undefined ? undefined : reloadTlsOnHangup(tlsFiles, relay, log);
  // Listen for signals before announcing the address, so a supervisor that
  // signals as soon as it reads the line is handled cleanly.
  const signal = nextSignal();
  io.out(relay.url);
  log({event: 'signal', signal: await signal});
  stopReloading?.();
  await relay.close();
  return 0;
}
