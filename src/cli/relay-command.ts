/** `moneysocket relay [--host H] [--port P] [limits]` */
import {parseArgs} from 'node:util';
import {UsageError, type Io} from './output.js';
import {DEFAULT_MAX_FRAME_BYTES} from '../core/frame.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_WAITING_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
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
  --max-connections <n>      refuse connections beyond this with HTTP 503 (default ${DEFAULT_MAX_CONNECTIONS})
  --idle-timeout-ms <n>      close connections that ask for no rendezvous this long after connecting, 0 = never (default ${DEFAULT_IDLE_TIMEOUT_MS})
  --waiting-timeout-ms <n>   close connections still waiting for their peer this long after connecting, 0 = never (default ${DEFAULT_WAITING_TIMEOUT_MS})
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
  const {values, positionals} = parseArgs({
    args,
    options: {
      host: {type: 'string'},
      port: {type: 'string'},
      'max-frame-bytes': {type: 'string'},
      'max-connections': {type: 'string'},
      'idle-timeout-ms': {type: 'string'},
      'waiting-timeout-ms': {type: 'string'},
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
    maxConnections: integer('max-connections', values['max-connections'], 1),
    idleTimeoutMs: integer('idle-timeout-ms', values['idle-timeout-ms'], 0),
    waitingTimeoutMs: integer('waiting-timeout-ms', values['waiting-timeout-ms'], 0),
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
