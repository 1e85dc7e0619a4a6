/**
 * `npm start`: builds the demo pages, starts the relay and the demo server on
 * localhost, and prints the URL to open. Ctrl+C stops it.
 *
 *   npx tsx scripts/start-demo.ts [--host 0.0.0.0] [--port 8080] [--relay-port 11060]
 *
 * If a default port is taken, it falls back to a free one and says so.
 */
import {parseArgs} from 'node:util';
import {PortInUseError, startDemo, type DemoHandle, type DemoOptions} from '../demo/server.js';
import {buildFrameworkDemos} from './build-framework-demos.js';

const USAGE = 'usage: npm start [-- --host 127.0.0.1] [--port 8080] [--relay-port 11060]\n';

function options(): Required<Pick<DemoOptions, 'host' | 'port' | 'relayPort'>> {
  const {values} = parseArgs({
    options: {
      host: {type: 'string', default: '127.0.0.1'},
      port: {type: 'string', default: '8080'},
      'relay-port': {type: 'string', default: '11060'},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const port = (name: string, text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--${name} must be a port number, got ${text}`);
    return value;
  };
  return {host: values.host, port: port('port', values.port), relayPort: port('relay-port', values['relay-port'])};
}

/** Starts the demo; a taken port is swapped for a free one (0), at most once each. */
async function start(wanted: Required<Pick<DemoOptions, 'host' | 'port' | 'relayPort'>>): Promise<DemoHandle> {
  const settings = {...wanted};
  for (;;) {
    try {
      return await startDemo(settings);
    } catch (error) {
      if (!(error instanceof PortInUseError) || error.port === 0) throw error;
      process.stderr.write(`${error.message}: using a free port instead.\n`);
      if (error.which === 'page') settings.port = 0;
      else settings.relayPort = 0;
    }
  }
}

async function main(): Promise<void> {
  const wanted = options();
  process.stderr.write('Building the demo pages…\n');
  await buildFrameworkDemos({quiet: true});
  const demo = await start(wanted);
  process.stdout.write(`Moneysocket demo: ${demo.url}\nRelay: ${demo.relayUrl}\nNostr relay: ${demo.nostrRelayUrl}\nNWC wallet (play money): ${demo.nwcUrl}\n`);
  process.stderr.write('Open the URL in a browser; press Ctrl+C to stop.\n');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping…\n`);
    // A stuck socket must not keep the process alive for ever.
    setTimeout(() => process.exit(1), 5000).unref();
    demo.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
