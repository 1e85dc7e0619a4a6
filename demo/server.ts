/**
 * The demo server: bundles the pages, starts a relay in-process, serves the
 * pages and hosts the demo "Lightning network" (demo/node/lightning.ts) and a
 * Nostr Wallet Connect wallet over it (demo/node/nwc-demo.ts), all on localhost. `npm start` runs it through scripts/start-demo.ts.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {dirname, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startRelay, type RelayHandle} from '../src/relay/index.js';
import {bundlePages, type BuiltFile} from './node/bundle.js';
import {HttpError, sendError, sendJson} from './node/http-json.js';
import {DemoLightning} from './node/lightning.js';
import {handleLightning} from './node/lightning-routes.js';
import {startDemoNwc, type DemoNwc} from './node/nwc-demo.js';
import {sendBytes, serveBuilt, serveStatic} from './node/static-files.js';

export interface DemoOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** 0 picks a free port. */
  relayPort?: number;
  /** Receives the relay's log entries; by default only its errors reach stderr. */
  relayLog?: (entry: object) => void;
}

export interface DemoHandle {
  /** The landing page, e.g. http://127.0.0.1:8080/ */
  url: string;
  relayUrl: string;
  /** The Nostr relay the demo's NWC wallet listens on. */
  nostrRelayUrl: string;
  /** The demo NWC wallet's connection string, for a browser on this machine. */
  nwcUrl: string;
  close(): Promise<void>;
}

/** Thrown when a port is taken, so a caller can fall back to another one. */
export class PortInUseError extends Error {
  constructor(
    readonly which: 'page' | 'relay',
    readonly port: number,
  ) {
    super(`the ${which} port ${port} is already in use`);
  }
}

const DEMO_DIR = dirname(fileURLToPath(import.meta.url));
const TSCONFIG = resolve(DEMO_DIR, '../tsconfig.json');

interface Context {
  bundles: Map<string, BuiltFile>;
  ln: DemoLightning;
  nwc: DemoNwc;
  relayPort: number;
  host: string;
}

export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const host = options.host ?? '127.0.0.1';
  const bundles = await bundlePages(DEMO_DIR, TSCONFIG);
  const relay = await startRelayOn(host, options.relayPort ?? 11060, options.relayLog ?? relayErrorsOnly);
  const ln = new DemoLightning();
  let nwc: DemoNwc;
  try {
    nwc = await startDemoNwc(host, ln);
  } catch (error) {
    ln.close();
    await relay.close();
    throw error;
  }
  const context: Context = {bundles, ln, nwc, relayPort: relay.port, host};
  const server = createServer((req, res) => void handle(req, res, context));
  server.on('clientError', (_error, socket) => socket.destroy());
  try {
    await listen(server, host, options.port ?? 8080);
  } catch (error) {
    ln.close();
    await Promise.all([relay.close(), nwc.close()]);
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    relayUrl: relay.url,
    nostrRelayUrl: nwc.relay.url,
    nwcUrl: nwc.connectionFor(urlHost(host)),
    close: () => closeAll(server, ln, relay, nwc),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    if (await handleLightning(req, res, url, context.ln)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET');
    if (url.pathname === '/demo-config.json') {
      const hostname = pageHostname(req, context);
      return sendJson(res, 200, {relayUrl: `ws://${hostname}:${context.relayPort}`, nwcUrl: context.nwc.connectionFor(hostname)});
    }
    const built = context.bundles.get(url.pathname);
    if (built) return sendBytes(res, built.contents, built.type, req.method === 'HEAD');
    // The same consumer inside Vue and Svelte apps (built by scripts/build-framework-demos.ts).
    const framework = /^\/(vue|svelte)(\/.*)?$/.exec(url.pathname);
    if (framework) {
      if (framework[2] === undefined) return redirect(res, `/${framework[1]}/`);
      return await serveBuilt(resolve(DEMO_DIR, '.build', framework[1]!), framework[2], res, req.method === 'HEAD');
    }
    await serveStatic(DEMO_DIR, url.pathname, res, req.method === 'HEAD');
  } catch (error) {
    sendError(res, error);
  }
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, {location});
  res.end();
}

/**
 * This machine as the browser reaches it: the host the page was loaded from,
 * so that a phone opening http://<laptop>:8080/ gets ws://<laptop>:11060 for
 * the relay (and the same host for the NWC wallet's Nostr relay).
 */
function pageHostname(req: IncomingMessage, context: Context): string {
  let hostname = urlHost(context.host);
  try {
    hostname = new URL(`http://${req.headers.host ?? ''}`).hostname || hostname;
  } catch {
    // No usable Host header: keep the address we listen on.
  }
  return hostname;
}

/** A host as it appears in a URL; "any address" is shown as loopback, which is what a local browser can open. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function startRelayOn(host: string, port: number, log: (entry: object) => void): Promise<RelayHandle> {
  try {
    return await startRelay({host, port, log});
  } catch (error) {
    if (error instanceof Error && error.message.includes('EADDRINUSE')) throw new PortInUseError('relay', port);
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError('page', port) : error));
    server.listen(port, host, () => resolvePromise());
  });
}

async function closeAll(server: Server, ln: DemoLightning, relay: RelayHandle, nwc: DemoNwc): Promise<void> {
  ln.close(); // ends the event streams, which would otherwise hold the server open
  const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  server.closeAllConnections();
  await Promise.all([closed, relay.close(), nwc.close()]);
}

function relayErrorsOnly(entry: object): void {
  if ((entry as {event?: string}).event === 'error') process.stderr.write(`relay: ${JSON.stringify(entry)}\n`);
}
