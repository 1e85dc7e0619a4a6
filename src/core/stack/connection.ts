/**
 * One WebSocket and the layers stacked on it: the per-connection "nexus
 * chain" of the reference libraries. Frames go through the core codec; any
 * bad frame is reported and dropped, and the connection carries on.
 */
import {MoneysocketError} from '../errors.js';
import {decodeFrame, encodeFrame, type FrameCipher} from '../frame.js';
import {messageName, type Message, type MessageRegistry} from '../message-codec.js';
import type {SharedSeed} from '../seed.js';
import type {ConnectionCloseReason, Layer, LayerContext, LayerStatus} from './layer.js';
import {payloadBytes, SOCKET_OPEN, type SocketFactory, type SocketLike} from './socket.js';

export interface ConnectionHooks {
  layerStatus(layer: string, status: LayerStatus): void;
  error(error: MoneysocketError): void;
  opened(): void;
  closed(info: ConnectionClosed): void;
}

export interface ConnectionClosed {
  /** Why we closed it, or undefined when the other end (or the network) did. */
  reason: ConnectionCloseReason | undefined;
  opened: boolean;
  /** How many layers were attached when it closed. */
  attached: number;
  /** Whether any message arrived at all. */
  received: boolean;
  code: number | undefined;
  /** The close frame's reason text, when the other end gave one. */
  closeText: string | undefined;
}

export interface ConnectionOptions {
  url: string;
  sharedSeed: SharedSeed;
  registry: MessageRegistry;
  layers: readonly Layer[];
  socketFactory: SocketFactory;
  maxFrameBytes: number;
  cipher: FrameCipher;
  /** A socket not open after this long is given up (a frozen relay accepts TCP but never answers). */
  openTimeoutMs: number;
  hooks: ConnectionHooks;
}

export class Connection {
  readonly #options: ConnectionOptions;
  #socket: SocketLike | undefined;
  #attached = 0;
  #opened = false;
  #received = false;
  #closeReason: ConnectionCloseReason | undefined;
  /** Why the socket will close when the other end closes it, as announced in advance. */
  #expectedReason: ConnectionCloseReason | undefined;
  #openTimer: ReturnType<typeof setTimeout> | undefined;
  #done = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  open(): void {
    const {hooks} = this.#options;
    hooks.layerStatus('OUTGOING_WEBSOCKET', 'NEXUS_CREATED');
    let socket: SocketLike;
    try {
      socket = this.#options.socketFactory(this.#options.url);
    } catch (e) {
      hooks.error(new MoneysocketError('CONNECTION_FAILED', `could not open ${this.#options.url}: ${errorText(e)}`));
      queueMicrotask(() => this.#finish(undefined));
      return;
    }
    this.#socket = socket;
    this.#openTimer = setTimeout(() => this.close('open-timeout'), this.#options.openTimeoutMs);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.#onOpen();
    socket.onmessage = (event) => this.#onFrame(event.data);
    socket.onclose = (event) => this.#finish(event.code, event.reason);
    // Browsers give no detail on errors; the close that follows carries the outcome.
    socket.onerror = () => undefined;
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === SOCKET_OPEN && !this.#done;
  }

  send(message: Message): ReturnType<LayerContext['send']> {
    if (!this.isOpen) {
      return {ok: false, error: new MoneysocketError('NOT_CONNECTED', 'the connection is not open')};
    }
    const frame = encodeFrame(message, this.#options.sharedSeed, {registry: this.#options.registry, cipher: this.#options.cipher});
    if (!frame.ok) return frame;
    try {
      this.#socket!.send(frame.value);
    } catch (e) {
      return {ok: false, error: new MoneysocketError('NOT_CONNECTED', `send failed: ${errorText(e)}`)};
    }
    return {ok: true, value: undefined};
  }

  close(reason: ConnectionCloseReason): void {
    if (this.#done) return;
    this.#closeReason ??= reason;
    const socket = this.#socket;
    if (socket === undefined || socket.readyState > SOCKET_OPEN) {
      this.#finish(undefined);
      return;
    }
    try {
      socket.close(1000, reason);
    } catch {
      this.#finish(undefined);
    }
    // Do not wait for the peer's close handshake: a hung relay must not hold us.
    this.#finish(undefined);
  }

  #onOpen(): void {
    if (this.#done) return;
    clearTimeout(this.#openTimer);
    this.#opened = true;
    this.#options.hooks.layerStatus('OUTGOING_WEBSOCKET', 'NEXUS_ANNOUNCED');
    this.#options.hooks.opened();
    this.#attachNext();
  }

  #attachNext(): void {
    const layer = this.#options.layers[this.#attached];
    if (layer === undefined || this.#done) return;
    const index = this.#attached++;
    this.#options.hooks.layerStatus(layer.name, 'NEXUS_CREATED');
    layer.attach(this.#contextFor(layer, index));
  }

  #contextFor(layer: Layer, index: number): LayerContext {
    const {hooks} = this.#options;
    let announced = false;
    return {
      sharedSeed: this.#options.sharedSeed,
      registry: this.#options.registry,
      send: (message) => this.send(message),
      announce: () => {
        if (announced || this.#done || index !== this.#attached - 1) return;
        announced = true;
        hooks.layerStatus(layer.name, 'NEXUS_ANNOUNCED');
        this.#attachNext();
      },
      status: (status) => hooks.layerStatus(layer.name, status),
      report: (error) => hooks.error(error),
      close: (reason) => this.close(reason),
      expectClose: (reason) => {
        this.#expectedReason = reason;
      },
    };
  }

  #onFrame(data: unknown): void {
    if (this.#done) return;
    const bytes = payloadBytes(data);
    if (bytes === undefined) {
      this.#options.hooks.error(new MoneysocketError('UNEXPECTED_MESSAGE', 'dropped a text frame: Moneysocket frames are binary'));
      return;
    }
    this.#received = true;
    const decoded = decodeFrame(bytes, this.#options.sharedSeed, {
      registry: this.#options.registry,
      maxFrameBytes: this.#options.maxFrameBytes,
      cipher: this.#options.cipher,
    });
    if (!decoded.ok) {
      this.#options.hooks.error(decoded.error);
      return;
    }
    this.#dispatch(decoded.value);
  }

  /** Offers the message to attached layers bottom-up; layers above are not there yet. */
  #dispatch(message: Message): void {
    const layers = this.#options.layers;
    for (let i = 0; i < this.#attached && !this.#done; i++) {
      try {
        if (layers[i]!.handle(message)) return;
      } catch (e) {
        this.#options.hooks.error(new MoneysocketError('UNEXPECTED_MESSAGE', `layer ${layers[i]!.name} failed on ${messageName(message)}: ${errorText(e)}`));
        return;
      }
    }
    if (this.#done) return;
    this.#options.hooks.error(
      new MoneysocketError('UNEXPECTED_MESSAGE', `dropped ${messageName(message)}: nothing here expects it now`),
    );
  }

  /** Runs once, however the connection ends: detaches layers top-down and reports. */
  #finish(code: number | undefined, closeText?: string): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#openTimer);
    const socket = this.#socket;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // Not null: ws emits 'error' when a socket still connecting is closed,
      // and an EventEmitter with no 'error' listener throws.
      socket.onerror = () => undefined;
    }
    const {hooks, layers} = this.#options;
    const attached = this.#attached;
    for (let i = 0; i < attached; i++) hooks.layerStatus(layers[i]!.name, 'NEXUS_DESTROYED');
    for (let i = attached - 1; i >= 0; i--) {
      try {
        layers[i]!.detach();
      } catch (e) {
        hooks.error(new MoneysocketError('UNEXPECTED_MESSAGE', `layer ${layers[i]!.name} failed to detach: ${errorText(e)}`));
      }
      hooks.layerStatus(layers[i]!.name, 'NEXUS_REVOKED');
    }
    this.#attached = 0;
    const reason = this.#closeReason ?? this.#expectedReason;
    hooks.closed({reason, opened: this.#opened, attached, received: this.#received, code, closeText: closeText || undefined});
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
