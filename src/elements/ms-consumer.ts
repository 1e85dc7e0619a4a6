import {html, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {decodeBeacon} from '../core/beacon.js';
import {ConsumerStack, type ConsumerStackOptions} from '../core/stack/consumer-stack.js';
import type {ProviderInfo} from '../core/stack/provider-info.js';
import type {SocketFactory} from '../core/stack/socket.js';
import type {KeyValueStorage} from '../core/stack/storage.js';
import type {Wad} from '../core/wad.js';
import type {MsErrorDetail} from './events.js';
import {AbsenceWatch} from './internal/absence.js';
import {displayBalance} from './internal/balance.js';
import {errorDetail} from './internal/errors.js';
import {errorText, shownError} from './internal/error-texts.js';
import {lazyWebLN, type WebLN} from './internal/lazy-webln.js';
import {fields, pickStorage, StoredRecord} from './internal/persist.js';
import {StackElement} from './internal/stack-element.js';
import {stateRegion, type StateTexts} from './internal/state-text.js';
import {consumerStyles} from './ms-consumer.styles.js';

const STATE_TEXTS: StateTexts = {
  disconnected: 'Not connected',
  connecting: 'Connecting…',
  'waiting-for-peer': 'Waiting for the wallet…',
  handshaking: 'Handshaking…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
};

/**
 * @summary An app's connection to a Moneysocket wallet: give it a beacon, then ask for invoices and payments.
 * @tag ms-consumer
 *
 * Connects while it is in the document and has a `beacon`; changing the
 * beacon switches to it, removing the beacon or the element disconnects,
 * and assigning the same beacon again after `disconnect()` reconnects.
 * A bad beacon is reported with `ms-error`, never thrown from an attribute
 * change. Method promises reject with the `MoneysocketError` (its `code` is stable).
 *
 * The last error is shown inside the element (part `error`) and its code
 * reflected to the `error` attribute, until the wallet is connected again
 * or a request succeeds. A wallet that has not come to the relay within
 * `absent-after-ms` is reported as `PROVIDER_ABSENT`; the element keeps
 * waiting for it. With `persist`, the beacon is remembered across reloads
 * (a beacon is a bearer secret: whoever has it can use the wallet within
 * what it allows); `forget()` erases it.
 *
 * Apps written for WebLN use the wallet through `webln`; with `install-webln`
 * it is also `window.webln` (unless a WebLN provider, such as an extension's,
 * is already there: that one is never replaced).
 *
 * @fires {CustomEvent<MsStateDetail>} ms-state - The connection state changed (`detail.state`, `detail.previous`).
 * @fires {CustomEvent<Record<string, never>>} ms-connected - The wallet answered: requests can be made.
 * @fires {CustomEvent<Record<string, never>>} ms-disconnected - The connection to the wallet was lost or closed.
 * @fires {CustomEvent<MsProviderInfoDetail>} ms-provider-info - The wallet sent its balance and permissions (first and every update).
 * @fires {CustomEvent<MsInvoiceDetail>} ms-invoice - An invoice asked for with `requestInvoice()` arrived.
 * @fires {CustomEvent<MsPreimageDetail>} ms-preimage - A payment asked for with `requestPay()` succeeded (`late` if after it had timed out).
 * @fires {CustomEvent<MsPaymentReceivedDetail>} ms-payment-received - An invoice obtained through this element was paid.
 * @fires {CustomEvent<MsPingDetail>} ms-ping - A ping was answered (`detail.rttMs`).
 * @fires {CustomEvent<MsLocationDetail>} ms-location - Moved to the beacon's next relay location (`detail.url`, `detail.previous`, `detail.reason`): the last one could not be reached or dropped.
 * @fires {CustomEvent<MsErrorDetail>} ms-error - Something failed outside a method call (`detail.code`, `detail.message`).
 *
 * @slot label - The element's heading. Default: "Moneysocket wallet".
 * @slot state-disconnected - Text for the disconnected state. Default: "Not connected".
 * @slot state-connecting - Default: "Connecting…".
 * @slot state-waiting-for-peer - Default: "Waiting for the wallet…".
 * @slot state-handshaking - Default: "Handshaking…".
 * @slot state-connected - Default: "Connected".
 * @slot state-reconnecting - Default: "Reconnecting…".
 * @slot balance-label - Default: "Balance".
 * @slot no-balance - Shown while no balance is known. Default: "—".
 * @slot payer-label - Default: "Can pay".
 * @slot payee-label - Default: "Can receive".
 * @slot payer-yes - The wallet pays invoices for this app. Default: "Yes".
 * @slot payer-no - Default: "No".
 * @slot payee-yes - The wallet makes invoices for this app. Default: "Yes".
 * @slot payee-no - Default: "No".
 * @slot error - Shown for the last error whose `error-<CODE>` slot is not filled: one message for every error.
 * @slot error-PROVIDER_ABSENT - Shown for that error code; every code has a slot `error-<CODE>` (RENDEZVOUS_IN_USE, CONNECTION_FAILED, DISCONNECTED, REQUEST_TIMEOUT, BEACON_IS_INVOICE...). Default: "The wallet is not answering. Is its page still open? Still waiting for it…".
 *
 * @csspart base - The wrapper of everything.
 * @csspart label - The heading.
 * @csspart state - The state line (a polite live region).
 * @csspart balance - The balance row.
 * @csspart permissions - The list of permissions.
 * @csspart payer - The "can pay" row.
 * @csspart payee - The "can receive" row.
 * @csspart error - The last error (an alert), while there is one.
 *
 * @cssprop --ms-color - Text colour. Default #1f2328 (light), #e6edf3 (dark).
 * @cssprop --ms-background - Background. Default #fff (light), #161b22 (dark).
 * @cssprop --ms-border - Border colour. Default the text colour at 25 %.
 * @cssprop --ms-accent - The one accent: every button, the focus ring and in-progress states. Default #0969da (light), #58a6ff (dark).
 * @cssprop --ms-radius - Corner radius. Default 0.5rem.
 * @cssprop --ms-font - Font shorthand. Default `1em/1.5` and the system font stack (`system-ui`, …).
 * @cssprop --ms-success - Success: the connected indicator. Default #1a7f37 (light), #3fb950 (dark).
 * @cssprop --ms-danger - Errors: the error text and the reconnecting indicator. Default #cf222e (light), #f85149 (dark).
 * @cssprop --ms-state-connected-color - The indicator when connected. Default `--ms-success`.
 * @cssprop --ms-state-error-color - The indicator while reconnecting. Default `--ms-danger`.
 *
 * @attribute state - Read-only, reflected for CSS: `disconnected`, `connecting`, `waiting-for-peer`,
 *   `handshaking`, `connected` or `reconnecting` (e.g. `ms-consumer[state='connected']`).
 * @attribute error - Read-only, reflected for CSS: the code of the error shown (e.g. `ms-consumer[error='RENDEZVOUS_IN_USE']`); absent while there is none.
 */
export class MsConsumer extends StackElement<ConsumerStack> {
  static override styles = consumerStyles;

  /**
   * Remembers the beacon in `storage` across reloads and connects with it on
   * load. Nothing is stored without it. Read when the element connects.
   */
  @property({type: Boolean, attribute: 'persist'}) persist = false;

  /**
   * Where `persist` keeps the beacon: any object with `getItem`, `setItem` and
   * `removeItem` (`sessionStorage`, your own store); `localStorage` when unset.
   */
  @property({attribute: false}) storage: KeyValueStorage | undefined;

  /** The key prefix the element stores under; give each element sharing a storage its own. */
  @property({attribute: 'storage-key'}) storageKey = 'moneysocket-consumer';

  /**
   * After waiting this long (ms) at the relay with no wallet there, the
   * element says so (`ms-error` `PROVIDER_ABSENT`, and inside itself) and keeps
   * waiting. Default 30 s; 0 turns it off.
   */
  @property({type: Number, attribute: 'absent-after-ms'}) absentAfterMs = 30_000;

  #beacon: string | undefined;
  #error: MsErrorDetail | undefined;
  readonly #absence = new AbsenceWatch((waitedMs) =>
    this.emit('ms-error', {code: 'PROVIDER_ABSENT', message: `no wallet has come to the relay for this beacon in ${duration(waitedMs)} (is its page still open?); still waiting`}),
  );

  constructor() {
    super();
    // Every error this element reports, whoever raised it, is the one shown.
    this.addEventListener('ms-error', (event) => {
      if (event.target === this) this.#showError(event.detail);
    });
  }

  /**
   * The wallet's beacon (`moneysocket1…`). Setting it connects; removing it
   * disconnects; setting the same one again reconnects after `disconnect()`.
   */
  @property({attribute: 'beacon'})
  get beacon(): string | undefined {
    return this.#beacon;
  }

  set beacon(value: string | null | undefined) {
    const previous = this.#beacon;
    this.#beacon = value || undefined;
    this.beaconAssigned(previous, this.#beacon);
  }

  /** Read-only: the error shown in the element (its code is the `error` attribute), if any. */
  get lastError(): MsErrorDetail | undefined {
    return this.#error;
  }

  /** Options for the stack (timeouts, layers, registry, backoff), read when it is made on first use. */
  @property({attribute: false}) stackOptions: Omit<ConsumerStackOptions, 'webSocket'> | undefined;

  /** Turns the wallet's balance into the text shown; by default sats, grouped for the reader's locale. */
  @property({attribute: false}) formatBalance: (wad: Wad) => string = displayBalance;

  /**
   * Installs `webln` as `window.webln` and fires `webln:ready` on `window`, as
   * WebLN extensions do, if no WebLN provider is there yet; an existing one is
   * left alone and `ms-error` (`WEBLN_PROVIDER_EXISTS`) says so. Removing the
   * element takes its provider off `window` again.
   */
  @property({type: Boolean, attribute: 'install-webln'}) installWebln = false;

  #webln: WebLN | undefined;

  /**
   * The wallet as a WebLN provider (`@webbtc/webln-types`), for apps written
   * for WebLN: `enable()` connects with the beacon, or waits until one is
   * given. Its code is loaded on the first call.
   */
  get webln(): WebLN {
    return (this.#webln ??= lazyWebLN(this.stack, {connect: () => (this.beacon ? this.connect() : undefined)}));
  }

  /** Read-only: the wallet's balance and permissions, while connected. */
  get providerInfo(): ProviderInfo | undefined {
    // The stack forgets the info only once the socket has closed; the element forgets it as the state changes.
    return this.state === 'connected' ? this.existingStack?.providerInfo : undefined;
  }

  /** Asks the wallet for an invoice; resolves with the BOLT11 string. */
  requestInvoice(msats: number, options: {description?: string; timeoutMs?: number} = {}): Promise<string> {
    return this.#succeeded(this.stack.requestInvoice(msats, options));
  }

  /** Asks the wallet to pay an invoice; resolves with the checked preimage (hex). */
  requestPay(bolt11: string, options: {timeoutMs?: number} = {}): Promise<string> {
    return this.#succeeded(this.stack.requestPay(bolt11, options));
  }

  /** Resolves with the round-trip time in milliseconds. */
  ping(): Promise<number> {
    return this.#succeeded(this.stack.ping());
  }

  /**
   * Disconnects, drops the beacon and erases the stored one (from `storage`,
   * or `localStorage`), whether or not `persist` is still set.
   */
  async forget(): Promise<void> {
    this.beacon = undefined;
    await this.disconnect();
    this.#record()?.remove();
    this.#clearError();
  }

  protected createStack(webSocket: SocketFactory): ConsumerStack {
    return new ConsumerStack({...this.stackOptions, webSocket});
  }

  protected listenTo(stack: ConsumerStack): void {
    stack.on('provider-info', (detail) => {
      this.requestUpdate();
      this.emit('ms-provider-info', detail);
    });
    stack.on('invoice', (detail) => this.emit('ms-invoice', detail));
    stack.on('preimage', (detail) => this.emit('ms-preimage', detail));
    stack.on('payment-received', (detail) => this.emit('ms-payment-received', detail));
    stack.on('ping', (detail) => this.emit('ms-ping', detail));
    stack.on('state', ({state}) => {
      this.#absence.follow(state, this.absentAfterMs);
      if (state === 'connected' || (state === 'handshaking' && this.#error?.code === 'PROVIDER_ABSENT')) this.#clearError();
    });
  }

  protected override beaconChanged(beacon: string | undefined): void {
    if (!this.persist) return;
    if (beacon !== undefined && decodeBeacon(beacon).ok) this.#record()?.write({beacon});
    else this.#record()?.remove();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const settings = changed.has('persist') || changed.has('storage') || changed.has('storageKey');
    // Before updated() follows the beacon: a restored one connects in the same update.
    if (settings && this.persist && this.beacon === undefined) this.beacon = this.#record()?.read(storedBeacon)?.beacon;
  }

  #record(): StoredRecord<{beacon: string}> | undefined {
    const storage = pickStorage(this.storage);
    if (!storage.ok) {
      this.emit('ms-error', errorDetail(storage.error));
      return undefined;
    }
    return new StoredRecord(storage.value, `${this.storageKey}:beacon`, (error) => this.emit('ms-error', errorDetail(error)));
  }

  #showError(detail: MsErrorDetail): void {
    if (!shownError(detail)) return;
    this.#error = detail;
    this.setAttribute('error', detail.code);
    this.requestUpdate();
  }

  #clearError(): void {
    if (this.#error === undefined) return;
    this.#error = undefined;
    this.removeAttribute('error');
    this.requestUpdate();
  }

  #succeeded<T>(request: Promise<T>): Promise<T> {
    return request.then((value) => {
      this.#clearError();
      return value;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.installWebln) this.#installWebln();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A microtask later, as the stack does: moving the element keeps its provider installed.
    queueMicrotask(() => {
      if (!this.isConnected && this.#webln !== undefined && window.webln === this.#webln) delete window.webln;
    });
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('installWebln') && this.installWebln) this.#installWebln();
  }

  #installWebln(): void {
    const existing = window.webln;
    if (existing === this.webln) return;
    if (existing !== undefined) {
      this.emit('ms-error', {code: 'WEBLN_PROVIDER_EXISTS', message: 'window.webln already holds a WebLN provider (a wallet extension?); install-webln never replaces it: use this element\'s webln property instead'});
      return;
    }
    window.webln = this.webln;
    window.dispatchEvent(new Event('webln:ready'));
  }

  protected override render(): TemplateResult {
    const info = this.providerInfo;
    return html`<div part="base" class="base" role="group" aria-labelledby="label">
      <div part="label" class="label" id="label"><slot name="label">Moneysocket wallet</slot></div>
      ${stateRegion(this.state, STATE_TEXTS)}
      ${this.#error === undefined ? nothing : errorRegion(this.#error)}
      <dl class="details">
        <div part="balance" class="row">
          <dt><slot name="balance-label">Balance</slot></dt>
          <dd>${info?.wad ? this.formatBalance(info.wad) : html`<slot name="no-balance">—</slot>`}</dd>
        </div>
      </dl>
      <dl part="permissions" class="details">
        ${permission('payer', 'Can pay', info?.payer)} ${permission('payee', 'Can receive', info?.payee)}
      </dl>
    </div>`;
  }
}

/** An alert, added when there is an error, so that it is announced as it appears. */
function errorRegion(error: MsErrorDetail): TemplateResult {
  return html`<div part="error" class="error" role="alert">
    <slot name="error-${error.code}"><slot name="error">${errorText(error)}</slot></slot>
  </div>`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function storedBeacon(value: unknown): {beacon: string} | undefined {
  const beacon = fields(value)?.beacon;
  return typeof beacon === 'string' && decodeBeacon(beacon).ok ? {beacon} : undefined;
}

/**
 * One permission row. Each row has its own yes/no slots: a slotted node can
 * be shown in one place only, so shared `yes`/`no` slots could not label both.
 */
function permission(name: 'payer' | 'payee', label: string, allowed: boolean | undefined): TemplateResult {
  const value = allowed === true ? 'yes' : 'no';
  return html`<div part=${name} class="row">
    <dt><slot name="${name}-label">${label}</slot></dt>
    <dd><slot name="${name}-${value}">${value === 'yes' ? 'Yes' : 'No'}</slot></dd>
  </div>`;
}
