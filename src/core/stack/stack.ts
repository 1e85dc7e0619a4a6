/**
 * What consumer and provider stacks share: the connection lifecycle, the
 * state machine, and reconnection with backoff after an unexpected close.
 */
import {beaconWebSockets, decodeBeacon, encodeBeacon, type Beacon} from '../beacon.js';
import {MoneysocketError} from '../errors.js';
import type {FrameCipher} from '../frame.js';
import {webSocketUrl} from '../location.js';
import type {MessageRegistry} from '../message-codec.js';
import {backoffDelay, DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
import type {Connection, ConnectionClosed} from './connection.js';
import {TypedEventTarget} from './events.js';
import type {Layer, LayerStatus} from './layer.js';
import {loadedEngine, loadEngine, type Engine} from './lazy-engine.js';
import {platformSocketFactory, type SocketFactory} from './socket.js';

export type StackState = 'disconnected' | 'connecting' | 'waiting-for-peer' | 'handshaking' | 'connected' | 'reconnecting';

export interface StackOptions {
  /** Makes WebSockets; defaults to the platform's. On Node 20 pass `(url) => new WebSocket(url)` from `ws`. */
  webSocket?: SocketFactory;
  /** Message types, including an application's own; defaults to the v0 set. */
  registry?: MessageRegistry;
  /** Application layers, attached above the built-in ones in this order. */
  layers?: Layer[];
  backoff?: Partial<BackoffOptions>;
  maxFrameBytes?: number;
  /** A relay that has not completed the WebSocket handshake this long after dialling is given up on. Default 10 s. */
  openTimeoutMs?: number;
  /**
   * AES-256-CBC for the frames. Default: noble's block function with each
   * session key's schedule expanded once (`scheduledCbc`).
   */
  cipher?: FrameCipher;
}

export interface StackEvents {
  state: {state: StackState; previous: StackState};
  error: {error: MoneysocketError};
  /** Layer lifecycle, as js-moneysocket's `onstackevent`: for debugging. */
  layer: {layer: string; status: LayerStatus};
  /**
   * The stack moved to the beacon's next relay location (`url`), away from
   * `previous`: it could not be reached, the connection dropped, or the
   * relay stopped answering. Only beacons with several locations switch.
   */
  location: {url: string; previous: string; reason: LocationSwitchReason};
}

export type LocationSwitchReason = 'unreachable' | 'dropped' | 'unresponsive';

interface Waiter {
  resolve(): void;
  reject(error: MoneysocketError): void;
}

export abstract class Stack<Events extends StackEvents> extends TypedEventTarget<Events> {
  // Defaults that live in the session engine are filled in when it is loaded.
  readonly #registry: MessageRegistry | undefined;
  readonly #socketFactory: SocketFactory | undefined;
  readonly #backoff: BackoffOptions;
  readonly #maxFrameBytes: number | undefined;
  readonly #openTimeoutMs: number;
  readonly #cipher: FrameCipher | undefined;
  readonly #appLayers: Layer[];
  #state: StackState = 'disconnected';
  #beacon: Beacon | undefined;
  /** The beacon's WebSocket locations as URLs, and the one in use. */
  #locations: string[] = [];
  #locationIndex = 0;
  /** Locations found unreachable before the first session: connect() fails once all were. */
  #unreachable = 0;
  #connection: Connection | undefined;
  /** Set while the first connection waits for the session engine to load. */
  #loading: object | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #established = false;
  #waiters: Waiter[] = [];
  /** The last close error reported while reconnecting: a dead relay is reported once, not at every retry. */
  #reportedClose: string | undefined;
  /** "In use" closes since the session was last ready; see #closed. */
  #inUseRetries = 0;

  constructor(options: StackOptions = {}) {
    super();
    this.#registry = options.registry;
    this.#socketFactory = options.webSocket ?? platformSocketFactory();
    this.#backoff = {...DEFAULT_BACKOFF, ...options.backoff};
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#openTimeoutMs = options.openTimeoutMs ?? 10_000;
    this.#cipher = options.cipher;
    this.#appLayers = [...(options.layers ?? [])];
  }

  get state(): StackState {
    return this.#state;
  }

  /** The beacon this stack connects with, while it has one. */
  get beacon(): Beacon | undefined {
    return this.#beacon;
  }

  get beaconString(): string | undefined {
    return this.#beacon === undefined ? undefined : encodeBeacon(this.#beacon);
  }

  /** Built-in layers, bottom to top, above the socket. */
  protected abstract builtInLayers(engine: Engine): Layer[];
  /** The state in which `connect()` resolves. */
  protected abstract isReady(state: StackState): boolean;
  /** A connection ended: fail or keep what was in flight on it. */
  protected abstract sessionEnded(): void;

  /**
   * Connects with a beacon (string or decoded). Resolves once ready; rejects
   * if the beacon is unusable, the relay cannot be reached on the first try,
   * the rendezvous id is in use, or `disconnect()` is called first.
   */
  connect(beacon: string | Beacon): Promise<void> {
    const decoded = typeof beacon === 'string' ? decodeBeacon(beacon) : {ok: true as const, value: beacon};
    if (!decoded.ok) return Promise.reject(decoded.error);
    if (this.#state !== 'disconnected') {
      if (this.#beacon !== undefined && sameBeacon(this.#beacon, decoded.value)) return this.#whenReady();
      return Promise.reject(new MoneysocketError('INVALID_ARGUMENT', 'already connected with another beacon: disconnect() first'));
    }
    const locations = beaconWebSockets(decoded.value);
    if (!locations.ok) return Promise.reject(locations.error);
    if (this.#socketFactory === undefined) {
      return Promise.reject(new MoneysocketError('INVALID_ARGUMENT', 'no WebSocket available: pass the `webSocket` option (on Node 20, use the ws package)'));
    }
    this.#beacon = decoded.value;
    this.#locations = locations.value.map(webSocketUrl);
    this.#locationIndex = 0;
    this.#unreachable = 0;
    this.#established = false;
    this.#attempt = 0;
    this.#inUseRetries = 0;
    const ready = this.#whenReady();
    this.#open('connecting');
    return ready;
  }

  /** Closes the connection, stops reconnecting, and fails whatever is in flight. */
  disconnect(): Promise<void> {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    // Forget the beacon first, then close: the close runs #closed at once,
    // which ends the session (failing what is in flight) and, with no beacon,
    // does not reconnect.
    this.#beacon = undefined;
    this.#loading = undefined;
    const connection = this.#connection;
    connection?.close('user');
    if (connection && this.#connection === connection) {
      // It was already closing (we are inside its close, in a listener of its
      // 'layer' events), so its close reaches #closed only after we return,
      // perhaps after a connect() has replaced it: end its session now.
      this.#connection = undefined;
      this.sessionEnded();
    }
    this.#rejectWaiters(new MoneysocketError('DISCONNECTED', 'disconnect() was called before the connection was ready'));
    this.setState('disconnected');
    return Promise.resolve();
  }

  /**
   * Dials at once instead of waiting out the backoff, when the stack is
   * waiting to reconnect: for when the network is known to be back (the
   * browser's `online` event, a hidden tab shown again). Does nothing in any
   * other state. Returns whether it dialled.
   */
  reconnectNow(): boolean {
    if (this.#reconnectTimer === undefined || this.#beacon === undefined || this.#connection !== undefined) return false;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#open('connecting');
    return true;
  }

  protected get connection(): Connection | undefined {
    return this.#connection;
  }

  protected setState(state: StackState): void {
    const previous = this.#state;
    if (state === previous) return;
    this.#state = state;
    if (state === 'waiting-for-peer' || state === 'connected') this.#attempt = 0;
    this.emit('state', {state, previous} as Events['state']);
    if (this.isReady(state)) {
      this.#established = true;
      this.#unreachable = 0;
      this.#reportedClose = undefined;
      this.#inUseRetries = 0;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.resolve();
    }
  }

  protected reportError(error: MoneysocketError): void {
    this.emit('error', {error} as Events['error']);
  }

  #whenReady(): Promise<void> {
    if (this.isReady(this.#state)) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({resolve, reject}));
  }

  #rejectWaiters(error: MoneysocketError): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
  }

  #open(state: StackState): void {
    const beacon = this.#beacon;
    const url = this.#locations[this.#locationIndex];
    if (beacon === undefined || url === undefined) return;
    this.setState(state);
    const engine = loadedEngine();
    if (engine !== undefined) return this.#dial(engine, beacon, url);
    // The first connection (of the page, or of the process): the session engine loads first.
    const loading = {};
    this.#loading = loading;
    loadEngine().then(
      (loaded) => {
        if (this.#loading !== loading) return; // disconnected (and maybe connected again) meanwhile
        this.#loading = undefined;
        if (this.#beacon === beacon && this.#connection === undefined) this.#dial(loaded, beacon, url);
      },
      (error: MoneysocketError) => {
        if (this.#loading !== loading) return;
        this.#loading = undefined;
        this.#beacon = undefined;
        this.#rejectWaiters(error);
        this.setState('disconnected');
      },
    );
  }

  #dial(engine: Engine, beacon: Beacon, url: string): void {
    const connection: Connection = new engine.Connection({
      url,
      sharedSeed: beacon.sharedSeed,
      registry: this.#registry ?? engine.defaultRegistry,
      layers: [...this.builtInLayers(engine), ...this.#appLayers],
      socketFactory: this.#socketFactory!,
      maxFrameBytes: this.#maxFrameBytes ?? engine.DEFAULT_MAX_FRAME_BYTES,
      cipher: this.#cipher ?? engine.scheduledCbc,
      openTimeoutMs: this.#openTimeoutMs,
      hooks: {
        layerStatus: (layer, status) => this.emit('layer', {layer, status} as Events['layer']),
        error: (error) => this.reportError(error),
        opened: () => undefined,
        closed: (info) => this.#closed(connection, info),
      },
    });
    this.#connection = connection;
    connection.open();
  }

  #closed(connection: Connection, info: ConnectionClosed): void {
    if (this.#connection !== connection) return; // a connection we already let go of
    this.#connection = undefined;
    this.sessionEnded();
    if (this.#beacon === undefined) return;
    const error = closeError(info, this.#state);
    // The relay may still hold our previous socket as paired (it has not yet
    // read that socket's close: after an outage, or a disconnect followed at
    // once by a connect), so it turns us away as "in use" once or twice:
    // retry quietly before calling it real.
    const stale = error?.code === 'RENDEZVOUS_IN_USE' && ++this.#inUseRetries <= STALE_IN_USE_RETRIES;
    const switchFor = locationFailure(info);
    if (!this.#established && switchFor === 'unreachable' && ++this.#unreachable < this.#locations.length) {
      // Not every location tried yet: the next one may answer.
      this.#switchLocation(switchFor);
      this.#scheduleReconnect(this.#attempt++);
      return;
    }
    if (!stale && !this.#established && error !== undefined && error.code !== 'REQUEST_TIMEOUT') {
      // The first attempt failed outright: tell the caller instead of retrying forever.
      this.#beacon = undefined;
      this.#rejectWaiters(error);
      this.setState('disconnected');
      return;
    }
    if (!stale) {
      if (error !== undefined && error.code !== this.#reportedClose) this.reportError(error);
      this.#reportedClose = error?.code;
    }
    if (switchFor !== undefined) this.#switchLocation(switchFor);
    this.#scheduleReconnect(info.reason === 'peer-left' ? 0 : this.#attempt++);
  }

  /** Moves on to the beacon's next location (round and round); the backoff goes on counting. */
  #switchLocation(reason: LocationSwitchReason): void {
    if (this.#locations.length < 2) return;
    const previous = this.#locations[this.#locationIndex]!;
    this.#locationIndex = (this.#locationIndex + 1) % this.#locations.length;
    this.emit('location', {url: this.#locations[this.#locationIndex]!, previous, reason} as Events['location']);
  }

  #scheduleReconnect(attempt: number): void {
    // The first retry is quick (a peer that left cleanly, a relay that dropped an idle client).
    const delay = attempt === 0 ? Math.min(50, this.#backoff.initialMs) : backoffDelay(attempt, this.#backoff);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#beacon !== undefined && this.#connection === undefined) this.#open('connecting');
    }, delay);
    // Announced once the timer is set, so that a 'reconnecting' listener's disconnect() clears it and its
    // reconnectNow() dials at once; a stray timer could otherwise dial early or hide a later timer's handle.
    this.setState('reconnecting');
  }
}

/**
 * Quiet retries of an "in use" close before it is reported: the relay may still hold our previous socket,
 * after an outage or after a disconnect() followed at once by a connect() (so before a session, too).
 */
const STALE_IN_USE_RETRIES = 3;

/**
 * Whether a close says something about the relay location rather than the
 * peer or the rendezvous: never opened, cut (1006) or going away (1001), or
 * silent. A peer leaving, "in use" and our own closes are not.
 */
function locationFailure(info: ConnectionClosed): LocationSwitchReason | undefined {
  if (info.reason === 'user' || info.reason === 'peer-left') return undefined;
  if (!info.opened) return 'unreachable';
  if (info.reason === 'liveness-timeout') return 'unresponsive';
  if (info.reason === undefined && (info.code === 1006 || info.code === 1001 || info.code === undefined)) return 'dropped';
  return undefined;
}

/** What an unexpected close means, in the terms an application can act on. */
function closeError(info: ConnectionClosed, state: StackState): MoneysocketError | undefined {
  if (info.reason === 'user') return undefined;
  if (!info.opened) return new MoneysocketError('CONNECTION_FAILED', 'could not reach the relay (is the address right, and is it running?)');
  if (info.reason === 'peer-left') return undefined;
  if (info.reason === 'handshake-timeout' || info.reason === 'liveness-timeout') {
    return new MoneysocketError('REQUEST_TIMEOUT', info.reason === 'handshake-timeout' ? 'the relay or the peer did not answer the handshake' : 'nothing heard from the peer for too long');
  }
  // Closed right after REQUEST_RENDEZVOUS means the id is taken (7.2), unless the
  // close says otherwise: 1001 is a relay going away, 1006 a connection cut.
  if (!info.received && info.attached <= 1 && info.code !== 1001 && info.code !== 1006) {
    // Our relay says why; deployed relays close without a word, which means "in use".
    if (info.closeText !== undefined && info.closeText !== 'rendezvous id in use') {
      return new MoneysocketError('CONNECTION_FAILED', `the relay turned the connection away: ${info.closeText}`);
    }
    return new MoneysocketError('RENDEZVOUS_IN_USE', 'the relay closed the connection at once: this beacon is already in use by two other parties');
  }
  // Closed while waiting for a peer: relays drop idle clients; just dial again.
  if (state === 'waiting-for-peer') return undefined;
  return new MoneysocketError('DISCONNECTED', 'the connection was lost; reconnecting');
}

function sameBeacon(a: Beacon, b: Beacon): boolean {
  return encodeBeacon(a) === encodeBeacon(b);
}
