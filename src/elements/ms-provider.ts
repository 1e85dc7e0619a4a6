import {html, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {beaconToJson, createBeacon, decodeBeacon, encodeBeacon} from '../core/beacon.js';
import {MoneysocketError, type Result} from '../core/errors.js';
import {parseWebSocketUrl} from '../core/location.js';
import {
  ProviderStack,
  type InvoiceRequest,
  type PayRequest,
  type ProviderInfoInput,
  type ProviderStackOptions,
} from '../core/stack/provider-stack.js';
import type {SocketFactory} from '../core/stack/socket.js';
import {bitcoinWad, type Wad} from '../core/wad.js';
import type {NwcBackend, NwcBackendOptions} from '../bridges/nwc-backend.js';
import {refusal as refusalError} from '../core/stack/answer-text.js';
import {SpendingBudget} from './internal/budget.js';
import {errorDetail} from './internal/errors.js';
import {requestDispatch} from './internal/request-event.js';
import {StackElement} from './internal/stack-element.js';
import {stateRegion, type StateTexts} from './internal/state-text.js';
import {providerStyles} from './ms-provider.styles.js';

const STATE_TEXTS: StateTexts = {
  disconnected: 'Offline',
  connecting: 'Connecting…',
  'waiting-for-peer': 'Waiting for an app…',
  handshaking: 'Handshaking…',
  connected: 'App connected',
  reconnecting: 'Reconnecting…',
};

/** Inputs that make up the provider info; a change to any of them is pushed to the app. */
const INFO_INPUTS = ['payer', 'payee', 'balanceMsats', 'wad', 'accountUuid'];

/**
 * @summary A wallet page's side of Moneysocket: serves one app, and lets the page decide on every invoice and payment.
 * @tag ms-provider
 *
 * Serves the `beacon` attribute, or a beacon it generates (fresh seed) for
 * the `relay` attribute. The page answers requests through cancelable
 * events: call `detail.respondWith(promise)` synchronously in the listener
 * to answer, or `preventDefault()` to refuse; with neither, the request is
 * refused. Payments over `max-payment-msats` or the rolling 24-hour
 * `daily-budget-msats` are refused before the page is asked.
 * Until `balance-msats` or `wad` is set, apps are told the wallet is not ready.
 * With `nwc`, a Nostr Wallet Connect wallet answers what the page leaves
 * unanswered, and the balance shown to the app is the wallet's.
 *
 * @fires {CustomEvent<MsStateDetail>} ms-state - The connection state changed (`detail.state`, `detail.previous`).
 * @fires {CustomEvent<Record<string, never>>} ms-connected - An app connected.
 * @fires {CustomEvent<Record<string, never>>} ms-disconnected - The app left or the connection was lost.
 * @fires {CustomEvent<MsBeaconDetail>} ms-beacon - The beacon served changed (`detail.beacon`, `detail.decoded`): show it to the user.
 * @fires {CustomEvent<MsInvoiceRequestDetail>} ms-invoice-request - Cancelable. The app asks for an invoice for `detail.request.msats`; answer with `detail.respondWith(bolt11)`.
 * @fires {CustomEvent<MsPayRequestDetail>} ms-pay-request - Cancelable. The app asks to pay `detail.request.bolt11` (within the budgets); answer with `detail.respondWith(preimageHex)`.
 * @fires {CustomEvent<MsErrorDetail>} ms-error - Something failed outside a method call (`detail.code`, `detail.message`).
 *
 * @slot - Extra content below the state, such as an `<ms-beacon-display>` or buttons.
 * @slot label - The element's heading. Default: "Moneysocket provider".
 * @slot state-disconnected - Default: "Offline".
 * @slot state-connecting - Default: "Connecting…".
 * @slot state-waiting-for-peer - Default: "Waiting for an app…".
 * @slot state-handshaking - Default: "Handshaking…".
 * @slot state-connected - Default: "App connected".
 * @slot state-reconnecting - Default: "Reconnecting…".
 *
 * @csspart base - The wrapper of everything.
 * @csspart label - The heading.
 * @csspart state - The state line (a polite live region).
 *
 * @cssprop --ms-color - Text colour.
 * @cssprop --ms-background - Background.
 * @cssprop --ms-accent - In-progress states and focus rings.
 * @cssprop --ms-border - Border colour.
 * @cssprop --ms-radius - Corner radius.
 * @cssprop --ms-font - Font shorthand.
 * @cssprop --ms-state-connected-color - The indicator when an app is connected.
 * @cssprop --ms-state-error-color - The indicator while reconnecting.
 *
 * @attribute state - Read-only, reflected for CSS: `disconnected`, `connecting`, `waiting-for-peer`,
 *   `handshaking`, `connected` or `reconnecting` (e.g. `ms-provider[state='connected']`).
 */
export class MsProvider extends StackElement<ProviderStack> {
  static override styles = providerStyles;

  /** A relay address (`ws://…` or `wss://…`) to generate a beacon for when no `beacon` is given. */
  @property({attribute: 'relay'}) relay: string | undefined;
  /** The provider pays invoices for the app (REQUEST_PAY is allowed). */
  @property({type: Boolean, attribute: 'payer'}) payer = false;
  /** The provider makes invoices for the app (REQUEST_INVOICE is allowed). */
  @property({type: Boolean, attribute: 'payee'}) payee = false;
  /** The balance offered to the app, in msats, as a bitcoin wad. */
  @property({type: Number, attribute: 'balance-msats'}) balanceMsats: number | undefined;
  /** The balance as a full wad (any asset); overrides `balance-msats`. */
  @property({attribute: false}) wad: Wad | undefined;
  /** The account the app draws on; a uuid fixed for the element's life when unset. */
  @property({attribute: 'account-uuid'}) accountUuid: string | undefined;
  /** Pay requests for more than this are refused before `ms-pay-request` fires. */
  @property({type: Number, attribute: 'max-payment-msats'}) maxPaymentMsats: number | undefined;
  /** Payments in any rolling 24 hours (counting those in flight) may not exceed this. */
  @property({type: Number, attribute: 'daily-budget-msats'}) dailyBudgetMsats: number | undefined;
  /**
   * A Nostr Wallet Connect string (`nostr+walletconnect://…`): the wallet that
   * answers requests the page does not answer itself, after the budgets, and
   * whose balance the app is shown. Its code is loaded on first use. A string
   * that cannot be used, or a wallet that cannot be reached, is an `ms-error`.
   */
  @property({attribute: 'nwc'}) nwc: string | undefined;
  /** Timeouts for the NWC wallet (`payTimeoutMs`, `requestTimeoutMs`), read when `nwc` connects. */
  nwcOptions: NwcBackendOptions | undefined;
  /** Options for the stack (layers, registry, backoff), read when it is made on first use. */
  @property({attribute: false}) stackOptions: Omit<ProviderStackOptions, 'webSocket' | 'providerInfo' | 'handleInvoiceRequest' | 'handlePayRequest'> | undefined;
  /** The clock the daily budget reads, in ms since the epoch; replaceable for tests. */
  now: () => number = () => Date.now();

  readonly #budget = new SpendingBudget();
  #given: string | undefined;
  #generated: {relay: string; beacon: Result<string>} | undefined;
  /** The NWC string in use and its backend once connected. */
  #nwc: NwcUse | undefined;

  /**
   * The beacon served: the `beacon` attribute if given, otherwise the one
   * generated for `relay`. Setting it connects; removing it disconnects.
   */
  @property({attribute: 'beacon'})
  get beacon(): string | undefined {
    return this.#given ?? this.#generatedBeacon();
  }

  set beacon(value: string | null | undefined) {
    this.#given = value || undefined;
  }

  /** Tells the app that an invoice it obtained has been paid. Throws the MoneysocketError if no app is connected. */
  notifyInvoicePaid(preimage: string): void {
    const sent = this.stack.notifyInvoicePaid(preimage);
    if (!sent.ok) throw sent.error;
  }

  protected createStack(webSocket: SocketFactory): ProviderStack {
    const info = this.#providerInfo();
    return new ProviderStack({
      ...this.stackOptions,
      webSocket,
      providerInfo: info.ok ? info.value : null,
      handleInvoiceRequest: (request) => this.#invoiceRequested(request),
      handlePayRequest: (request) => this.#payRequested(request),
    });
  }

  protected listenTo(): void {
    // Everything a page needs from a provider stack goes through the handlers above.
  }

  protected override beaconChanged(beacon: string | undefined): void {
    const decoded = beacon === undefined ? undefined : decodeBeacon(beacon);
    if (beacon !== undefined && decoded?.ok) this.emit('ms-beacon', {beacon, decoded: beaconToJson(decoded.value)});
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('relay')) this.#relayChanged();
    if (changed.has('nwc')) void this.#useNwc(this.nwc || undefined);
    if (INFO_INPUTS.some((name) => changed.has(name))) this.#pushInfo();
  }

  protected override render(): TemplateResult {
    return html`<div part="base" class="base" role="group" aria-labelledby="label">
      <div part="label" class="label" id="label"><slot name="label">Moneysocket provider</slot></div>
      ${stateRegion(this.state, STATE_TEXTS)}
      <slot></slot>
    </div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.#nwc === undefined) void this.#useNwc(this.nwc || undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element keeps the wallet; removing it closes the connection to it.
    queueMicrotask(() => this.isConnected || void this.#useNwc(undefined));
  }

  /** Serves from the NWC wallet for `connection` (loading the bridge on first use), or from none. */
  async #useNwc(connection: string | undefined): Promise<void> {
    if (this.#nwc?.connection === connection) return;
    const previous = this.#nwc?.backend;
    if (previous !== undefined && this.stack.backend === previous) this.stack.backend = undefined;
    previous?.close();
    const current: NwcUse | undefined = connection === undefined ? undefined : {connection};
    this.#nwc = current;
    if (current === undefined) return this.#pushInfo();
    try {
      const {connectNwc} = await import('../bridges/nwc-backend.js').catch((error: unknown) => {
        throw new MoneysocketError('CONNECTION_FAILED', `could not load the NWC bridge: ${error instanceof Error ? error.message : String(error)}`);
      });
      const backend = await connectNwc(current.connection, this.nwcOptions);
      if (this.#nwc !== current) return backend.close();
      current.backend = backend;
      this.stack.backend = backend;
      this.#pushInfo();
    } catch (error) {
      if (this.#nwc === current) this.emit('ms-error', errorDetail(error));
    }
  }

  #relayChanged(): void {
    const generated = this.#given === undefined ? this.#generatedFor(this.relay) : undefined;
    if (generated !== undefined && !generated.ok) this.emit('ms-error', errorDetail(generated.error));
    this.syncBeacon();
  }

  #generatedBeacon(): string | undefined {
    const generated = this.#generatedFor(this.relay);
    return generated?.ok ? generated.value : undefined;
  }

  /** One beacon per relay address, made once, so re-reading `beacon` never changes it. */
  #generatedFor(relay: string | null | undefined): Result<string> | undefined {
    if (!relay) return undefined;
    if (this.#generated?.relay !== relay) this.#generated = {relay, beacon: beaconFor(relay)};
    return this.#generated.beacon;
  }

  #providerInfo(): Result<ProviderInfoInput | null> {
    // Served from a wallet backend, the balance is the wallet's (kept current by the stack).
    const served = this.existingStack?.backend && (this.existingStack.providerInfo?.wad ?? bitcoinWad(0));
    let wad = this.wad ?? served ?? undefined;
    if (wad === undefined) {
      // Neither set: "not ready", and apps are told so until one is.
      if (this.balanceMsats === undefined || this.balanceMsats === null) return {ok: true, value: null};
      try {
        wad = bitcoinWad(this.balanceMsats);
      } catch (error) {
        return {ok: false, error: error instanceof MoneysocketError ? error : new MoneysocketError('WAD_INVALID', String(error))};
      }
    }
    return {ok: true, value: {payer: this.payer, payee: this.payee, wad, accountUuid: this.accountUuid || undefined}};
  }

  #pushInfo(): void {
    const info = this.#providerInfo();
    const set = info.ok ? this.stack.setProviderInfo(info.value) : info;
    if (!set.ok) this.emit('ms-error', errorDetail(set.error));
  }

  #invoiceRequested(request: InvoiceRequest): Promise<string> {
    const dispatch = requestDispatch<InvoiceRequest, string>(request);
    const event = this.emit('ms-invoice-request', dispatch.detail, {cancelable: true});
    return dispatch.settle(event.defaultPrevented, this.stack.backend && (() => this.stack.invoiceFromBackend(request)));
  }

  #payRequested(request: PayRequest): Promise<string> {
    const refusal = this.#budget.refusal(request.msats, this, this.now());
    if (refusal !== undefined) return Promise.reject(refusalError(refusal));
    const dispatch = requestDispatch<PayRequest, string>(request);
    const event = this.emit('ms-pay-request', dispatch.detail, {cancelable: true});
    const backend = this.stack.backend && (() => this.stack.payFromBackend(request) as Promise<string>);
    return this.#budget.track(request.msats, dispatch.settle(event.defaultPrevented, backend), () => this.now());
  }
}

interface NwcUse {
  connection: string;
  backend?: NwcBackend;
}

function beaconFor(relay: string): Result<string> {
  const location = parseWebSocketUrl(relay);
  return location.ok ? {ok: true, value: encodeBeacon(createBeacon([location.value]))} : location;
}
