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
  startRelay,
  type RelayOptions,
} from '../relay/index.js';

export const RELAY_HELP = `Usage: moneysocket relay [options]

Runs a Moneysocket v0 relay: pairs the two WebSocket clients that ask for the
same rendezvous id and forwards frames between them. Prints the ws:// address
once listening; logs one JSON object per line on stderr. SIGINT or SIGTERM
closes every connection and exits 0. GET /healthz on the same port answers
over plain HTTP.

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

function optionsFrom(args: string[]): RelayOptions | 'help' {
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
  };
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

export async function runRelay(args: string[], io: Io): Promise<number> {
  const options = optionsFrom(args);
  if (options === 'help') {
    io.out(RELAY_HELP);
    return 0;
  }
  const log = (entry: object): void => io.err(JSON.stringify({time: new Date().toISOString(), ...entry}));
  const relay = await startRelay({...options, log});
  // Listen for signals before announcing the address, so a supervisor that
  // signals as soon as it reads the line is handled cleanly.
  const signal = nextSignal();
  io.out(relay.url);
  log({event: 'signal', signal: await signal});
  await relay.close();
  return 0;
}
