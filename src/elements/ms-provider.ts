import {html, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {beaconToJson, createBeacon, decodeBeacon, encodeBeacon} from '../core/beacon.js';
import {MoneysocketError, type Result} from '../core/errors.js';
import {parseWebSocketUrl, type WebSocketLocation} from '../core/location.js';
import {
  ProviderStack,
  type InvoiceRequest,
  type PayRequest,
  type ProviderInfoInput,
  type ProviderStackOptions,
} from '../core/stack/provider-stack.js';
import type {SocketFactory} from '../core/stack/socket.js';
import type {WalletBackend} from '../core/stack/wallet-backend.js';
import type {NwcBackend, NwcBackendOptions} from '../bridges/nwc-backend.js';
import {bitcoinWad, type Wad} from '../core/wad.js';
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
const INFO_INPUTS = ['payer', 'payee', 'balanceMsats', 'wad', 'accountUuid', 'backend'];

/**
 * @summary A wallet page's side of Moneysocket: serves one app, and lets the page decide on every invoice and payment.
 * @tag ms-provider
 *
 * Serves the `beacon` attribute, or a beacon it generates (fresh seed) for
 * the `relay` attribute: one relay address, or several separated by spaces. The page answers requests through cancelable
 * events: call `detail.respondWith(promise)` synchronously in the listener
 * to answer, or `preventDefault()` to refuse; with neither, the `backend`
 * wallet answers, and without a backend the request is refused. Payments
 * over `max-payment-msats` or the rolling 24-hour `daily-budget-msats` are
 * refused before the page (or the backend) is asked; the budget counts
 * every payment, whoever makes it.
 *
 * The balance the app sees: with a `backend` that tells its balance, the
 * backend's, refreshed after every payment and on the wallet's notices
 * (`balance-msats` and `wad` are then ignored); otherwise `wad`, else
 * `balance-msats`. Until one of the three is set, apps are told the wallet
 * is not ready. `payer` and `payee` are the page's grant in every case: a
 * backend alone allows nothing. With `nwc`, a Nostr Wallet Connect wallet is
 * the backend (its code loaded on first use), in place of `backend`.
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

  /**
   * Relay addresses (`ws://…` or `wss://…`), separated by spaces, to generate
   * a beacon for when no `beacon` is given. The beacon lists them all, in
   * this order: both sides start on the first and move on to the next when
   * one cannot be reached or drops (e.g. `relay="wss://a.example wss://b.example"`,
   * two nodes of a relay cluster).
   */
  @property({attribute: 'relay'}) relay: string | undefined;
  /** The provider pays invoices for the app (REQUEST_PAY is allowed). */
  @property({type: Boolean, attribute: 'payer'}) payer = false;
  /** The provider makes invoices for the app (REQUEST_INVOICE is allowed). */
  @property({type: Boolean, attribute: 'payee'}) payee = false;
  /** The balance offered to the app, in msats, as a bitcoin wad (a `backend` that tells its balance overrides it). */
  @property({type: Number, attribute: 'balance-msats'}) balanceMsats: number | undefined;
  /** The balance as a full wad (any asset); overrides `balance-msats` (and a `backend` that tells its balance overrides both). */
  @property({attribute: false}) wad: Wad | undefined;
  /** The account the app draws on; a uuid fixed for the element's life when unset. */
  @property({attribute: 'account-uuid'}) accountUuid: string | undefined;
  /** Pay requests for more than this are refused before `ms-pay-request` fires. */
  @property({type: Number, attribute: 'max-payment-msats'}) maxPaymentMsats: number | undefined;
  /** Payments in any rolling 24 hours (counting those in flight) may not exceed this. */
  @property({type: Number, attribute: 'daily-budget-msats'}) dailyBudgetMsats: number | undefined;
  /**
   * The wallet that answers what the page leaves unanswered (e.g. a
   * `WebLNBackend` from `moneysocket-elements/bridges`), and whose balance
   * the app sees. Budgets and the request events still come first.
   */
  @property({attribute: false}) backend: WalletBackend | undefined;
  /**
   * A Nostr Wallet Connect string (`nostr+walletconnect://…`): the wallet that
   * answers requests the page does not answer itself, after the budgets, and
   * whose balance the app is shown; it takes the place of `backend`. Its code
   * is loaded on first use. A string that cannot be used, or a wallet that
   * cannot be reached, is an `ms-error`.
   */
  @property({attribute: 'nwc'}) nwc: string | undefined;
  /** Timeouts for the NWC wallet (`payTimeoutMs`, `requestTimeoutMs`), read when `nwc` connects. */
  nwcOptions: NwcBackendOptions | undefined;
  /** Options for the stack (layers, registry, backoff), read when it is made on first use. */
  @property({attribute: false}) stackOptions: Omit<ProviderStackOptions, 'webSocket' | 'providerInfo' | 'handleInvoiceRequest' | 'handlePayRequest' | 'backend'> | undefined;
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

  /** Tells the app that an invoice it obtained has been paid; with no app connected, it is told after the next handshake. Throws the MoneysocketError for a malformed preimage. */
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
    if (changed.has('backend') && this.#nwc?.backend === undefined) this.serveFrom(this.backend);
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

  /**
   * The one way a wallet backend reaches the stack (the `backend` property
   * comes here; a shortcut that builds a backend, such as an `nwc` string,
   * can too). Undefined: the page's answers alone. Provider info is pushed
   * after, by `updated()` or by the caller.
   */
  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.#nwc === undefined) void this.#useNwc(this.nwc || undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element keeps the wallet; removing it closes the connection to it.
    queueMicrotask(() => this.isConnected || void this.#useNwc(undefined));
  }

  /** Serves from the NWC wallet for `connection` (loading the bridge on first use), or from `backend` again. */
  async #useNwc(connection: string | undefined): Promise<void> {
    if (this.#nwc?.connection === connection) return;
    const previous = this.#nwc?.backend;
    previous?.close();
    const current: NwcUse | undefined = connection === undefined ? undefined : {connection};
    this.#nwc = current;
    if (previous !== undefined && this.existingStack?.backend === previous) this.serveFrom(this.backend);
    if (current === undefined) return this.#pushInfo();
    try {
      const {connectNwc} = await import('../bridges/nwc-backend.js').catch((error: unknown) => {
        throw new MoneysocketError('CONNECTION_FAILED', `could not load the NWC bridge: ${error instanceof Error ? error.message : String(error)}`);
      });
      const backend = await connectNwc(current.connection, this.nwcOptions);
      if (this.#nwc !== current) return backend.close();
      current.backend = backend;
      this.serveFrom(backend);
      this.#pushInfo();
    } catch (error) {
      if (this.#nwc === current) this.emit('ms-error', errorDetail(error));
    }
  }

  protected serveFrom(backend: WalletBackend | undefined): void {
    this.stack.backend = backend;
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
    if (!relay?.trim()) return undefined;
    if (this.#generated?.relay !== relay) this.#generated = {relay, beacon: beaconFor(relay)};
    return this.#generated.beacon;
  }

  #providerInfo(): Result<ProviderInfoInput | null> {
    const wad = this.#offeredWad();
    if (!wad.ok || wad.value === undefined) return wad.ok ? {ok: true, value: null} : wad;
    return {ok: true, value: {payer: this.payer, payee: this.payee, wad: wad.value, accountUuid: this.accountUuid || undefined}};
  }

  /**
   * The balance offered: a backend's that tells it (the stack keeps the
   * latest), else `wad`, else `balance-msats`; zero for a backend that tells
   * none when neither is set. Undefined: "not ready".
   */
  #offeredWad(): Result<Wad | undefined> {
    const backend = this.existingStack?.backend;
    if (backend?.getBalance !== undefined) return {ok: true, value: this.stack.providerInfo?.wad ?? bitcoinWad(0)};
    if (this.wad) return {ok: true, value: this.wad};
    if (this.balanceMsats === undefined || this.balanceMsats === null) return {ok: true, value: backend && bitcoinWad(0)};
    try {
      return {ok: true, value: bitcoinWad(this.balanceMsats)};
    } catch (error) {
      return {ok: false, error: error instanceof MoneysocketError ? error : new MoneysocketError('WAD_INVALID', String(error))};
    }
  }

  #pushInfo(): void {
    const info = this.#providerInfo();
    const set = info.ok ? this.stack.setProviderInfo(info.value) : info;
    if (!set.ok) this.emit('ms-error', errorDetail(set.error));
  }

  #invoiceRequested(request: InvoiceRequest): Promise<string> {
    const dispatch = requestDispatch<InvoiceRequest, string>(request);
    const event = this.emit('ms-invoice-request', dispatch.detail, {cancelable: true});
    return dispatch.resolveAnswer(event.defaultPrevented, this.#fromBackend(() => this.stack.invoiceFromBackend(request)));
  }

  #payRequested(request: PayRequest): Promise<string> {
    const refusal = this.#budget.refusal(request.msats, this, this.now());
    if (refusal !== undefined) return Promise.reject(refusalError(refusal));
    const dispatch = requestDispatch<PayRequest, string>(request);
    const event = this.emit('ms-pay-request', dispatch.detail, {cancelable: true});
    // The backend's preimage may be hex, base64 or bytes: the stack checks and normalises it.
    const payment = dispatch.resolveAnswer(event.defaultPrevented, this.#fromBackend(() => this.stack.payFromBackend(request) as Promise<string>));
    return this.#budget.track(request.msats, payment, () => this.now());
  }

  /** The backend's answer for a request the page left alone, when there is a backend. */
  #fromBackend<T>(answer: () => Promise<T>): (() => Promise<T>) | undefined {
    return this.existingStack?.backend === undefined ? undefined : answer;
  }
}

interface NwcUse {
  connection: string;
  backend?: NwcBackend;
}

/** A fresh beacon listing every address in `relay` (space-separated); the first bad address is the error. */
function beaconFor(relay: string): Result<string> {
  const locations: WebSocketLocation[] = [];
  for (const url of relay.trim().split(/\s+/)) {
    const location = parseWebSocketUrl(url);
    if (!location.ok) return location;
    locations.push(location.value);
  }
  return {ok: true, value: encodeBeacon(createBeacon(locations))};
}
