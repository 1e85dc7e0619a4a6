/**
 * A public Moneysocket relay (PROTOCOL.md section 7): WebSockets on a
 * node:http server (node:https with `tls`), pairing done by
 * `RendezvousPairing`, plus the limits a relay on the internet needs and
 * `GET /healthz` and `GET /metrics` on the same port.
 */
import {STATUS_CODES, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer, WebSocket, type RawData} from 'ws';
import {MoneysocketError} from '../core/errors.js';
import {turnWriteCoalescer} from '../node/turn-writes.js';
import {addressKey, clientAddress} from './address.js';
import {Admission, loggedOrigin, type Refusal, type RefusalCode} from './admission.js';
import {HTTP_RESERVE, DescriptorWatch, connectionsForDescriptors, descriptorLimit} from './descriptors.js';
import {startCluster, type Cluster} from './cluster.js';
import {LogAggregator} from './log-aggregator.js';
import {RelayMetrics} from './metrics.js';
import {RendezvousPairing, type RelayCloseReason, type PairingConnection} from './pairing.js';
import {settingsFrom, type RelayOptions, type Settings} from './settings.js';
import {createRelayServer, replaceTls, type RelayServer, type RelayTlsOptions} from './tls.js';

export interface RelayHandle {
  /** ws://host:port, or wss://host:port with `tls` */
  url: string;
  host: string;
  port: number;
  /** Closes every socket and the server; resolves when all are gone. */
  close(): Promise<void>;
  stats(): {connections: number; waiting: number; pairs: number};
  /** Serves a new certificate and key (a renewal) to new connections; throws `INVALID_ARGUMENT` if unusable or without TLS. */
  replaceTls(tls: RelayTlsOptions): void;
}

/**
 * Close codes the relay uses. The spec only says "closed right after
 * REQUEST_RENDEZVOUS means the id is in use"; the codes and reasons are extra
 * help for clients and logs.
 */
export const RELAY_CLOSE: Record<RelayCloseReason | 'shutdown', {code: number; reason: string}> = {
  'rendezvous-in-use': {code: 1008, reason: 'rendezvous id in use'},
  'repeated-rendezvous': {code: 1008, reason: 'repeated REQUEST_RENDEZVOUS'},
  'idle-timeout': {code: 1008, reason: 'no rendezvous requested in time'},
  'waiting-timeout': {code: 1008, reason: 'not paired in time'},
  'unusable-frames': {code: 1008, reason: 'too many unusable frames'},
  'waiting-limit': {code: 1008, reason: 'too many waiting connections from this address'},
  'peer-left': {code: 1000, reason: 'rendezvous ended'},
  shutdown: {code: 1001, reason: 'relay shutting down'},
};

/**
 * Plain HTTP (health checks, refused upgrades) must not hold sockets for
 * long: a client that sends no complete request in this time is cut off.
 */
const HTTP_HEADERS_TIMEOUT_MS = 10000;

/** How long close() waits for clients to answer the close handshake before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;

/** Starts a relay; resolves once it is listening. */
export async function startRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const settings = settingsFrom(options, await descriptorLimit());
  const cluster = settings.redis === undefined ? undefined : await startCluster<Conn>({...settings, redis: settings.redis});
  const relay = new Relay(settings, cluster);
  try {
    await relay.listen();
  } catch (error) {
    await cluster?.close();
    throw error;
  }
  return relay.handle();
}

/** A client connection as the relay knows it. */
interface Conn extends PairingConnection {
  readonly id: number;
  /** The client's address, as logged. */
  readonly addr: string;
  /** What per-address limits count by. */
  readonly key: string;
}

class Relay {
  readonly #settings: Settings;
  readonly #server: RelayServer;
  readonly #wss: WebSocketServer;
  readonly #pairing: RendezvousPairing<Conn>;
  readonly #sockets = new Map<WebSocket, Conn>();
  /** Open connections by address key, for the per-address limits. */
  readonly #byAddress = new Map<string, Set<Conn>>();
  readonly #repeats: LogAggregator;
  readonly #descriptors: DescriptorWatch;
  /** Operator features: Origin allow-list and connection rate (admission), /metrics. */
  readonly #admission: Admission;
  readonly #metrics: RelayMetrics;
  /** The frame being handled: a send of these very bytes is a forward (see #sent). */
  #incoming: Uint8Array | undefined;
  #nextId = 1;
  #closing: Promise<void> | undefined;
  /** Cluster mode: the Redis backend pairing runs on. */
  readonly #cluster: Cluster<Conn> | undefined;

  constructor(settings: Settings, cluster?: Cluster<Conn>) {
    this.#settings = settings;
    this.#cluster = cluster;
    this.#repeats = new LogAggregator(settings.log, settings.logIntervalMs);
    this.#descriptors = new DescriptorWatch(settings.log, () => this.#sockets.size);
    this.#admission = new Admission(settings.admission);
    this.#metrics = new RelayMetrics(() => this.#pairing.stats());
    cluster?.observe({crossNodeFrame: (direction) => this.#metrics.crossNodeFrame(direction), redisState: (state) => this.#metrics.setRedisState(state)});
    this.#pairing = new RendezvousPairing<Conn>({
      maxFrameBytes: settings.maxFrameBytes,
      maxClearFrameBytes: settings.maxClearFrameBytes,
      maxDroppedFrames: settings.maxDroppedFrames,
      mayWait: (conn) => this.#waitingFrom(conn.key) < settings.maxWaitingPerAddress,
      backend: cluster?.backend,
      onEvent: (e) => {
        // Dropped frames come in floods: one line per connection and reason per interval.
        if (e.event === 'dropped') {
          this.#metrics.dropped();
          this.#repeats.note(`dropped|${e.conn}|${e.reason}`, {...e}, e.conn);
        } else settings.log(e);
      },
    });
    // skipUTF8Validation: text frames are dropped unread, so bad UTF-8 in one is no reason to close.
    this.#wss = new WebSocketServer({noServer: true, maxPayload: settings.maxFrameBytes, skipUTF8Validation: true});
    this.#server = createRelayServer(
      settings.tls,
      {headersTimeout: HTTP_HEADERS_TIMEOUT_MS, requestTimeout: HTTP_HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000, handshakeTimeoutMs: HTTP_HEADERS_TIMEOUT_MS},
      (req, res) => this.#http(req, res),
    );
    // Every socket, WebSocket or not, holds a descriptor: the few beyond the
    // WebSocket limit are for health checks and refusals.
    this.#server.maxConnections = settings.maxConnections + HTTP_RESERVE;
    this.#server.on('drop', (data?: {remoteAddress?: string}) => this.#refused(String(data?.remoteAddress ?? 'unknown'), {status: 503, code: 'no-socket', reason: 'no socket left'}));
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
        this.#server.on('error', (error) => {
          if (!this.#descriptors.report(error)) this.#settings.log({event: 'error', error: error.message});
        });
        this.#descriptors.start();
        this.#logListening();
        resolve();
      });
    });
  }

  #logListening(): void {
    const {maxConnections, descriptorLimit, log} = this.#settings;
    log({event: 'listening', url: this.#url(), max_connections: maxConnections, descriptor_limit: descriptorLimit ?? null});
    if (descriptorLimit !== undefined && maxConnections > connectionsForDescriptors(descriptorLimit)) {
      log({event: 'warning', reason: `max connections ${maxConnections} leave too few of the ${descriptorLimit} file descriptors free; the relay may run out of them (raise ulimit -n)`});
    }
  }

  handle(): RelayHandle {
    return {
      url: this.#url(),
      host: this.#settings.host,
      port: this.#port(),
      close: () => this.close(),
      stats: () => this.#pairing.stats(),
      replaceTls: (tls) => replaceTls(this.#server, tls),
    };
  }

  #port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : this.#settings.port;
  }

  #url(): string {
    const host = this.#settings.host.includes(':') ? `[${this.#settings.host}]` : this.#settings.host;
    return `${this.#settings.tls ? 'wss' : 'ws'}://${host}:${this.#port()}`;
  }

  /** Plain HTTP on the WebSocket port: the health check and the metrics. */
  #http(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') return void this.#metricsResponse(res);
    const healthy = req.method === 'GET' && path === '/healthz';
    const cluster = this.#cluster?.health();
    // A node that lost Redis still serves pairs on itself: 'degraded', still 200, so a load balancer keeps it.
    const status = this.#closing ? 'stopping' : cluster?.redis === 'down' ? 'degraded' : 'ok';
    const body = healthy ? {status, ...this.#pairing.stats(), ...(cluster === undefined ? {} : {cluster})} : {error: 'not found'};
    res.writeHead(healthy ? (this.#closing ? 503 : 200) : 404, {'content-type': 'application/json', 'cache-control': 'no-store'});
    res.end(JSON.stringify(body));
  }

  async #metricsResponse(res: ServerResponse): Promise<void> {
    try {
      const text = await this.#metrics.text();
      res.writeHead(200, {'content-type': this.#metrics.contentType, 'cache-control': 'no-store'});
      res.end(text);
    } catch (error) {
      this.#settings.log({event: 'error', error: error instanceof Error ? error.message : String(error)});
      res.writeHead(500, {'content-type': 'text/plain'}).end();
    }
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy()); // a reset during the handshake must not crash us
    const addr = clientAddress(req, this.#settings.trustProxy);
    const key = addressKey(addr);
    const origin = req.headers.origin;
    const refusal = this.#refusal(key, origin);
    if (refusal !== undefined) {
      this.#refused(addr, refusal, refusal.code === 'origin' && origin !== undefined ? {origin: loggedOrigin(origin)} : {});
      // Destroyed once written: a refused client must not hold a descriptor by never closing its side.
      socket.once('finish', () => socket.destroy());
      const retry = refusal.code === 'connection-rate' ? 'Retry-After: 1\r\n' : '';
      socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nConnection: close\r\n${retry}Content-Length: 0\r\n\r\n`);
      return;
    }
    // The callback runs synchronously, so the counts below never overshoot.
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, socket, addr, key));
  }

  #refusal(key: string, origin: string | undefined): Refusal | undefined {
    if (this.#closing !== undefined) return {status: 503, code: 'shutting-down', reason: 'shutting down'};
    const admission = this.#admission.check(key, origin);
    if (admission !== undefined) return admission;
    if (this.#sockets.size >= this.#settings.maxConnections) return {status: 503, code: 'connections', reason: 'too many connections'};
    const fromAddress = this.#byAddress.get(key)?.size ?? 0;
    if (fromAddress >= this.#settings.maxConnectionsPerAddress) return {status: 429, code: 'address-connections', reason: 'too many connections from this address'};
    return undefined;
  }

  /** Refusals come in floods too: one line per address and reason (and origin) per interval. */
  #refused(addr: string, refusal: {status: number; code: RefusalCode; reason: string}, extra: {origin?: string} = {}): void {
    this.#metrics.refused(refusal.code);
    // 'no socket left' is libuv's refusal at accept: no HTTP status reaches the client.
    const status = refusal.code === 'no-socket' ? {} : {status: refusal.status};
    this.#repeats.note(`refused|${addr}|${refusal.reason}|${extra.origin ?? ''}`, {event: 'refused', addr, ...status, reason: refusal.reason, ...extra});
  }

  #waitingFrom(key: string): number {
    let waiting = 0;
    for (const conn of this.#byAddress.get(key) ?? []) if (this.#pairing.isWaiting(conn)) waiting++;
    return waiting;
  }

  #accept(ws: WebSocket, socket: Duplex, addr: string, key: string): void {
    const conn = this.#connection(ws, socket, this.#nextId++, addr, key);
    this.#sockets.set(ws, conn);
    let fromAddress = this.#byAddress.get(key);
    if (fromAddress === undefined) this.#byAddress.set(key, (fromAddress = new Set()));
    fromAddress.add(conn);
    this.#pairing.connect(conn);
    this.#metrics.accepted();
    this.#settings.log({event: 'connection', conn: conn.id, addr});
    const timers = [this.#unpairedTimer(conn, 'idle-timeout'), this.#unpairedTimer(conn, 'waiting-timeout')];
    ws.on('message', (data, isBinary) => this.#message(conn, data, isBinary));
    // Errors here are the client's doing (bad framing, oversized frames, resets), not the relay's.
    ws.on('error', (error: NodeJS.ErrnoException) => {
      this.#repeats.note(`socket-error|${conn.id}`, {event: 'socket-error', conn: conn.id, error: error.code ?? error.message}, conn.id);
    });
    ws.on('close', (code) => {
      for (const timer of timers) clearTimeout(timer);
      this.#sockets.delete(ws);
      fromAddress.delete(conn);
      if (fromAddress.size === 0) this.#byAddress.delete(key);
      this.#pairing.disconnect(conn);
      this.#repeats.flush(conn.id);
      this.#settings.log({event: 'closed', conn: conn.id, addr, code});
    });
  }

  /** Adapts a socket to what the pairing machine expects; sends and closes never throw. */
  #connection(ws: WebSocket, socket: Duplex, id: number, addr: string, key: string): Conn {
    const log = this.#settings.log;
    const maxBuffered = this.#settings.maxBufferedBytes;
    const metrics = this.#metrics;
    const sent = this.#sent;
    // A read from the peer often holds many frames: all but the first sent in
    // one turn leave in one write. One system call per frame was half the
    // relay's CPU under pipelined load.
    const beforeSend = turnWriteCoalescer(socket);
    return {
      id,
      addr,
      key,
      send(frame) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > maxBuffered) {
          // A reader this far behind will not read a close frame either: cut
          // it off. terminate() leaves the socket CLOSING, so this logs once.
          log({event: 'slow-reader', conn: id, buffered: ws.bufferedAmount});
          metrics.closed('slow-reader');
          ws.terminate();
          return;
        }
        // No callback: a write that fails is followed by the socket's own
        // error and close, one each, rather than one line per queued frame.
        beforeSend();
        ws.send(frame, {binary: true});
        sent(frame);
      },
      close(reason) {
        metrics.closed(reason);
        safeClose(ws, RELAY_CLOSE[reason], log);
      },
    };
  }

  /** The idle timeout spares waiting connections; the waiting timeout (off by default) does not. */
  #unpairedTimer(conn: Conn, reason: 'idle-timeout' | 'waiting-timeout'): NodeJS.Timeout | undefined {
    const ms = reason === 'idle-timeout' ? this.#settings.idleTimeoutMs : this.#settings.waitingTimeoutMs;
    if (ms === 0) return undefined;
    return setTimeout(() => {
      if (this.#pairing.closeIfUnpaired(conn, reason, reason === 'waiting-timeout')) this.#settings.log({event: reason, conn: conn.id});
    }, ms);
  }

  #message(conn: Conn, data: RawData, isBinary: boolean): void {
    const bytes = toBytes(data);
    this.#incoming = bytes;
    try {
      this.#pairing.receive(conn, bytes, isBinary);
    } catch (error) {
      // Nothing a client sends may take the relay down; this line means a relay bug.
      this.#settings.log({event: 'error', conn: conn.id, error: error instanceof Error ? error.message : String(error)});
    } finally {
      this.#incoming = undefined;
    }
  }

  /**
   * The pairing machine forwards a frame by sending the very bytes it was
   * given, and sends its own notifications as new ones: so a send of the
   * frame being handled is a forward. Counted here, not in the pairing
   * machine, which stays free of metrics.
   */
  readonly #sent = (frame: Uint8Array): void => {
    if (frame === this.#incoming) this.#metrics.forwarded(frame.byteLength);
  };

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#settings.log({event: 'shutdown', connections: this.#sockets.size});
    this.#descriptors.stop();
    this.#admission.close();
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#sockets.keys()].map((ws) => closeAndWait(ws, this.#settings.log)));
    this.#server.closeAllConnections(); // idle keep-alive HTTP connections
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await serverClosed;
    await this.#cluster?.close();
    this.#repeats.close();
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
