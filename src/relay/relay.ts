/**
 * A public Moneysocket relay (PROTOCOL.md section 7): WebSockets on a
 * node:http server, pairing done by `RendezvousPairing`, plus the limits a
 * relay on the internet needs and `GET /healthz` on the same port.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer, WebSocket, type RawData} from 'ws';
import {MoneysocketError} from '../core/errors.js';
import {DEFAULT_MAX_FRAME_BYTES} from '../core/frame.js';
import {RendezvousPairing, type CloseReason, type PairingConnection} from './pairing.js';

export interface RelayOptions {
  host?: string;
  /** 0 picks a free port; the handle reports the real one. */
  port?: number;
  /** Larger frames close their connection with 1009. */
  maxFrameBytes?: number;
  /** Upgrades beyond this are refused with HTTP 503. */
  maxConnections?: number;
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
}

export interface RelayHandle {
  /** ws://host:port */
  url: string;
  host: string;
  port: number;
  /** Closes every socket and the server; resolves when all are gone. */
  close(): Promise<void>;
  stats(): {connections: number; waiting: number; pairs: number};
}

export const DEFAULT_RELAY_HOST = '127.0.0.1';
export const DEFAULT_RELAY_PORT = 11060;
export const DEFAULT_MAX_CONNECTIONS = 10000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30000;
export const DEFAULT_WAITING_TIMEOUT_MS = 0;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Close codes the relay uses. The spec only says "closed right after
 * REQUEST_RENDEZVOUS means the id is in use"; the codes and reasons are extra
 * help for clients and logs.
 */
export const RELAY_CLOSE: Record<CloseReason | 'shutdown', {code: number; reason: string}> = {
  'rendezvous-in-use': {code: 1008, reason: 'rendezvous id in use'},
  'repeated-rendezvous': {code: 1008, reason: 'repeated REQUEST_RENDEZVOUS'},
  'idle-timeout': {code: 1008, reason: 'no rendezvous requested in time'},
  'waiting-timeout': {code: 1008, reason: 'not paired in time'},
  'peer-left': {code: 1000, reason: 'rendezvous ended'},
  shutdown: {code: 1001, reason: 'relay shutting down'},
};

/** How long close() waits for clients to answer the close handshake before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;

interface Settings {
  host: string;
  port: number;
  maxFrameBytes: number;
  maxConnections: number;
  idleTimeoutMs: number;
  waitingTimeoutMs: number;
  maxBufferedBytes: number;
  log: (entry: object) => void;
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

function settingsFrom(options: RelayOptions): Settings {
  return {
    host: options.host ?? DEFAULT_RELAY_HOST,
    port: integerOption('port', options.port, DEFAULT_RELAY_PORT, 0, 65535),
    maxFrameBytes: integerOption('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES, 1),
    maxConnections: integerOption('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS, 1),
    idleTimeoutMs: integerOption('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 0),
    waitingTimeoutMs: integerOption('waitingTimeoutMs', options.waitingTimeoutMs, DEFAULT_WAITING_TIMEOUT_MS, 0),
    maxBufferedBytes: integerOption('maxBufferedBytes', options.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES, 1),
    log: options.log ?? defaultRelayLog,
  };
}

/** Starts a relay; resolves once it is listening. */
export async function startRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const relay = new Relay(settingsFrom(options));
  await relay.listen();
  return relay.handle();
}

class Relay {
  readonly #settings: Settings;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #pairing: RendezvousPairing;
  readonly #sockets = new Map<WebSocket, PairingConnection>();
  #nextId = 1;
  #closing: Promise<void> | undefined;

  constructor(settings: Settings) {
    this.#settings = settings;
    const log = settings.log;
    this.#pairing = new RendezvousPairing({maxFrameBytes: settings.maxFrameBytes, onEvent: (e) => log(e)});
    // skipUTF8Validation: text frames are dropped unread, so bad UTF-8 in one is no reason to close.
    this.#wss = new WebSocketServer({noServer: true, maxPayload: settings.maxFrameBytes, skipUTF8Validation: true});
    this.#server = createServer((req, res) => this.#http(req, res));
    this.#server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head));
    this.#server.on('clientError', (_error, socket) => socket.destroy());
  }

  listen(): Promise<void> {
    const {host, port} = this.#settings;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(new MoneysocketError('CONNECTION_FAILED', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
      };
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        this.#server.on('error', (error) => this.#settings.log({event: 'error', error: error.message}));
        this.#settings.log({event: 'listening', url: this.#url()});
        resolve();
      });
    });
  }

  handle(): RelayHandle {
    return {
      url: this.#url(),
      host: this.#settings.host,
      port: this.#port(),
      close: () => this.close(),
      stats: () => this.#pairing.stats(),
    };
  }

  #port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : this.#settings.port;
  }

  #url(): string {
    const host = this.#settings.host.includes(':') ? `[${this.#settings.host}]` : this.#settings.host;
    return `ws://${host}:${this.#port()}`;
  }

  /** Plain HTTP on the WebSocket port: only the health check. */
  #http(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    const healthy = req.method === 'GET' && path === '/healthz';
    const body = healthy ? {status: this.#closing ? 'stopping' : 'ok', ...this.#pairing.stats()} : {error: 'not found'};
    res.writeHead(healthy ? (this.#closing ? 503 : 200) : 404, {'content-type': 'application/json', 'cache-control': 'no-store'});
    res.end(JSON.stringify(body));
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy()); // a reset during the handshake must not crash us
    if (this.#closing !== undefined || this.#sockets.size >= this.#settings.maxConnections) {
      this.#settings.log({event: 'refused', reason: this.#closing ? 'shutting down' : 'too many connections'});
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    const conn = this.#connection(ws, this.#nextId++);
    this.#sockets.set(ws, conn);
    this.#pairing.connect(conn);
    this.#settings.log({event: 'connection', conn: conn.id});
    const timers = [this.#unpairedTimer(conn, 'idle-timeout'), this.#unpairedTimer(conn, 'waiting-timeout')];
    ws.on('message', (data, isBinary) => this.#message(conn, data, isBinary));
    ws.on('error', (error) => this.#settings.log({event: 'error', conn: conn.id, error: error.message}));
    ws.on('close', (code) => {
      for (const timer of timers) clearTimeout(timer);
      this.#sockets.delete(ws);
      this.#pairing.disconnect(conn);
      this.#settings.log({event: 'closed', conn: conn.id, code});
    });
  }

  /** Adapts a socket to what the pairing machine expects; sends and closes never throw. */
  #connection(ws: WebSocket, id: number): PairingConnection {
    const log = this.#settings.log;
    const maxBuffered = this.#settings.maxBufferedBytes;
    return {
      id,
      send(frame) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > maxBuffered) {
          // A reader this far behind will not read a close frame either: cut it off.
          log({event: 'slow-reader', conn: id});
          ws.terminate();
          return;
        }
        ws.send(frame, {binary: true}, (error) => {
          if (error) log({event: 'error', conn: id, error: error.message});
        });
      },
      close(reason) {
        safeClose(ws, RELAY_CLOSE[reason], log);
      },
    };
  }

  /** The idle timeout spares waiting connections; the waiting timeout (off by default) does not. */
  #unpairedTimer(conn: PairingConnection, reason: 'idle-timeout' | 'waiting-timeout'): NodeJS.Timeout | undefined {
    const ms = reason === 'idle-timeout' ? this.#settings.idleTimeoutMs : this.#settings.waitingTimeoutMs;
    if (ms === 0) return undefined;
    return setTimeout(() => {
      if (this.#pairing.closeIfUnpaired(conn, reason, reason === 'waiting-timeout')) this.#settings.log({event: reason, conn: conn.id});
    }, ms);
  }

  #message(conn: PairingConnection, data: RawData, isBinary: boolean): void {
    try {
      this.#pairing.receive(conn, toBytes(data), isBinary);
    } catch (error) {
      // Nothing a client sends may take the relay down.
      this.#settings.log({event: 'error', conn: conn.id, error: error instanceof Error ? error.message : String(error)});
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#settings.log({event: 'shutdown', connections: this.#sockets.size});
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#sockets.keys()].map((ws) => closeAndWait(ws, this.#settings.log)));
    this.#server.closeAllConnections(); // idle keep-alive HTTP connections
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await serverClosed;
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function safeClose(ws: WebSocket, how: {code: number; reason: string}, log: (entry: object) => void): void {
  try {
    ws.close(how.code, how.reason);
  } catch (error) {
    log({event: 'error', error: error instanceof Error ? error.message : String(error)});
    ws.terminate();
  }
}

/** Close handshake with a short grace period, then the TCP connection is cut. */
function closeAndWait(ws: WebSocket, log: (entry: object) => void): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), SHUTDOWN_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    safeClose(ws, RELAY_CLOSE.shutdown, log);
  });
}
