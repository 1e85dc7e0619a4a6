/**
 * What `<ms-consumer>` and `<ms-provider>` share: one stack each, connected
 * while the element is in the document and has a beacon, its state reflected
 * to the `state` attribute, and its lifecycle re-dispatched as DOM events.
 * The elements add no protocol logic: everything below goes through the stack.
 */
import type {PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {decodeBeacon, encodeBeacon} from '../../core/beacon.js';
import {isMoneysocketError, MoneysocketError} from '../../core/errors.js';
import {platformSocketFactory, type SocketFactory, type SocketLike} from '../../core/stack/socket.js';
import type {Stack, StackEvents, StackState} from '../../core/stack/stack.js';
import {notABeacon} from './beacon-check.js';
import {errorDetail} from './errors.js';
import {MsElement} from './ms-element.js';

export abstract class StackElement<S extends Stack<StackEvents>> extends MsElement {
  /**
   * Makes WebSockets; the platform's when unset. Read each time a socket is
   * opened, so it may be set at any time.
   */
  @property({attribute: false}) webSocket: SocketFactory | undefined;

  /** The beacon the element connects with; see each element for how it is given. */
  abstract beacon: string | undefined;

  #stack: S | undefined;
  #state: StackState = 'disconnected';
  /** The beacon the element last acted on, so re-renders never reconnect by themselves. */
  #applied: string | undefined;

  /** Read-only: the connection state, also reflected to the `state` attribute for CSS. */
  get state(): StackState {
    return this.#state;
  }

  /** The underlying stack, for advanced use (its own events, `stack.on('layer', …)`). Made on first use. */
  get stack(): S {
    if (this.#stack === undefined) {
      this.#stack = this.createStack(this.#socketFactory);
      this.#listen(this.#stack);
    }
    return this.#stack;
  }

  /** The stack if it has been made, without making it. */
  protected get existingStack(): S | undefined {
    return this.#stack;
  }

  /**
   * Connects with `beacon` (which becomes the element's beacon), or with the
   * current one. Resolves when ready; rejects with the MoneysocketError.
   */
  connect(beacon?: string): Promise<void> {
    if (beacon !== undefined) this.beacon = beacon;
    const target = this.#target();
    if (target === undefined) {
      return Promise.reject(new MoneysocketError('INVALID_ARGUMENT', 'no beacon to connect with: set the beacon first'));
    }
    return this.#apply(target);
  }

  /** Closes the connection; it stays closed until `connect()` or a new beacon. */
  disconnect(): Promise<void> {
    return this.#stack?.disconnect() ?? Promise.resolve();
  }

  protected abstract createStack(webSocket: SocketFactory): S;

  /** Re-dispatches the element's own stack events; returns nothing to undo (the stack lives as long as the element). */
  protected abstract listenTo(stack: S): void;

  /** Called when the beacon the element serves changes (undefined: none). */
  protected beaconChanged(_beacon: string | undefined): void {}

  /**
   * For the subclasses' `beacon` setters: the same beacon assigned again to
   * an element whose connection is closed reconnects it (as assigning an
   * image's `src` again loads it again), so a beacon entered again after
   * `disconnect()` is not a dead end.
   */
  protected beaconAssigned(previous: string | undefined, next: string | undefined): void {
    if (next === undefined || next !== previous || !this.hasUpdated || this.#stack?.state !== 'disconnected') return;
    queueMicrotask(() => this.syncBeacon(true));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.getAttribute('state') !== this.#state) this.setAttribute('state', this.#state);
    window.addEventListener('online', this.#online);
    document.addEventListener('visibilitychange', this.#visible);
    // Back in the document after a removal: pick up the beacon again.
    if (this.hasUpdated) this.syncBeacon(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.#online);
    document.removeEventListener('visibilitychange', this.#visible);
    // Checked a microtask later so that moving the element in the document keeps the session.
    queueMicrotask(() => {
      if (!this.isConnected) void this.#stack?.disconnect();
    });
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('beacon')) this.syncBeacon();
  }

  /**
   * Follows the beacon after an input changed: connects, switches, or
   * disconnects. With `resume`, also reconnects a stack that was closed.
   */
  protected syncBeacon(resume = false): void {
    if (!this.isConnected) return;
    const target = this.#target();
    if (target === undefined) {
      if (this.#applied === undefined) return;
      this.#applied = undefined;
      this.beaconChanged(undefined);
      void this.#stack?.disconnect();
      return;
    }
    if (target !== this.#applied || (resume && this.stack.state === 'disconnected')) this.#autoConnect(target);
  }

  /** A failure of a connection the element started by itself is an `ms-error`, never a throw. */
  #autoConnect(target: string): void {
    this.#apply(target).catch((error: unknown) => {
      // DISCONNECTED only means someone (the page, or a newer beacon) closed it first.
      if (isMoneysocketError(error) && error.code === 'DISCONNECTED') return;
      this.emit('ms-error', errorDetail(error));
    });
  }

  async #apply(target: string): Promise<void> {
    if (target !== this.#applied) {
      this.#applied = target;
      this.beaconChanged(target);
    }
    const foreign = notABeacon(target);
    if (foreign !== undefined) throw foreign;
    const stack = this.stack;
    if (stack.state !== 'disconnected' && stack.beaconString !== canonical(target)) await stack.disconnect();
    return stack.connect(target);
  }

  #target(): string | undefined {
    return this.beacon || undefined;
  }

  #listen(stack: S): void {
    stack.on('state', (detail) => {
      this.#state = detail.state;
      this.setAttribute('state', detail.state);
      this.requestUpdate();
      this.emit('ms-state', detail);
      if (detail.state === 'connected') this.emit('ms-connected', {});
      if (detail.previous === 'connected') this.emit('ms-disconnected', {});
    });
    stack.on('error', ({error}) => this.emit('ms-error', errorDetail(error)));
    stack.on('location', (detail) => this.emit('ms-location', detail));
    this.listenTo(stack);
  }

  /**
   * The network is back, or the tab is seen again (browsers slow the timers
   * of hidden tabs): dial now rather than wait out the backoff.
   */
  readonly #online = (): void => void this.#stack?.reconnectNow();
  readonly #visible = (): void => void (document.visibilityState === 'visible' && this.#stack?.reconnectNow());

  /** Reads `webSocket` when each socket is opened, not when the stack is made. */
  #socketFactory: SocketFactory = (url: string): SocketLike => {
    const factory = this.webSocket ?? platformSocketFactory();
    if (factory === undefined) throw new MoneysocketError('INVALID_ARGUMENT', 'no WebSocket available: set the webSocket property');
    return factory(url);
  };
}

function canonical(beacon: string): string | undefined {
  const decoded = decodeBeacon(beacon);
  return decoded.ok ? encodeBeacon(decoded.value) : undefined;
}
