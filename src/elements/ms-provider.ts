import {html, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {beaconToJson, createBeacon, decodeBeacon, encodeBeacon} from '../core/beacon.js';
import {MoneysocketError, type Result} from '../core/errors.js';
import {parseWebSocketUrl, type WebSocketLocation} from '../core/location.js';
import {ProviderStack, type ProviderInfoInput, type ProviderStackOptions} from '../core/stack/provider-stack.js';
import type {SocketFactory} from '../core/stack/socket.js';
import type {KeyValueStorage} from '../core/stack/storage.js';
import type {WalletBackend} from '../core/stack/wallet-backend.js';
import type {NwcBackend, NwcBackendOptions} from '../bridges/nwc-backend.js';
import {newUuid} from '../core/uuid.js';
import {bitcoinWad, type Wad} from '../core/wad.js';
import type {MsRequestActivity} from './events.js';
import {SpendingBudget} from './internal/budget.js';
import {errorDetail} from './internal/errors.js';
import {pickStorage} from './internal/persist.js';
import {ProviderStore} from './internal/provider-store.js';
import {loadRequestEvents, ProviderRequests} from './internal/provider-requests.js';
import {describeRequest} from './internal/request-log.js';
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
 * to answer, or `preventDefault()` to refuse, never both (whichever comes
 * second throws an InvalidStateError and the first decision stands); with
 * neither, the `backend` wallet answers, and without a backend the request
 * is refused. Payments
 * over `max-payment-msats` or the rolling 24-hour `daily-budget-msats` are
 * refused before the page (or the backend) is asked; the budget counts
 * every payment, whoever makes it. Whatever it refuses by itself (a limit,
 * the budget, a permission not granted, a request nobody answered) is also
 * told to the page with `ms-request-refused`; while it serves an app, it
 * shows the app's last requests and how each ended.
 *
 * With `persist`, the beacon (generated or given), the account uuid, the
 * budget's window and the stack's payment memory are kept in `storage`
 * across reloads, so a reloaded wallet tab serves the same app through the
 * same beacon. A beacon is a bearer secret: whoever has it can ask this
 * wallet for whatever it allows. `forget()` erases it.
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
 * @fires {CustomEvent<MsInvoiceRequestDetail>} ms-invoice-request - Cancelable. The app asks for an invoice for `detail.request.msats`; answer with `detail.respondWith(bolt11)` or refuse with `preventDefault()`, not both (the second throws InvalidStateError).
 * @fires {CustomEvent<MsPayRequestDetail>} ms-pay-request - Cancelable. The app asks to pay `detail.request.bolt11` (within the budgets); answer with `detail.respondWith(preimageHex)` or refuse with `preventDefault()`, not both (the second throws InvalidStateError).
 * @fires {CustomEvent<MsRequestRefusedDetail>} ms-request-refused - The element refused a request by itself (`detail.kind`, `detail.request`, `detail.code`, `detail.message`): show the wallet's owner what the app tried.
 * @fires {CustomEvent<MsLocationDetail>} ms-location - Moved to the beacon's next relay location (`detail.url`, `detail.previous`, `detail.reason`): the last one could not be reached or dropped.
 * @fires {CustomEvent<MsErrorDetail>} ms-error - Something failed outside a method call (`detail.code`, `detail.message`).
 *
 * @slot - Extra content below the state, such as buttons.
 * @slot beacon - Shown while no app is being served, such as an `<ms-beacon-display>`; while an app is served, the activity takes its place.
 * @slot activity-label - Heading of the app's requests. Default: "Requests from the app".
 * @slot no-activity - Shown while the app has asked for nothing. Default: "No requests yet".
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
 * @csspart beacon - The wrapper of the `beacon` slot.
 * @csspart activity - The app's last requests (a polite live region), while an app is served.
 * @csspart request - One request; `data-outcome` is `pending`, `done`, `refused`, `failed` or `unknown`.
 *
 * @cssprop --ms-color - Text colour. Default #1f2328 (light), #e6edf3 (dark).
 * @cssprop --ms-background - Background. Default #fff (light), #161b22 (dark).
 * @cssprop --ms-border - Border colour. Default the text colour at 25 %.
 * @cssprop --ms-accent - The one accent: every button, the focus ring and in-progress states. Default #0969da (light), #58a6ff (dark).
 * @cssprop --ms-radius - Corner radius. Default 0.5rem.
 * @cssprop --ms-font - Font shorthand. Default `1em/1.5` and the system font stack (`system-ui`, …).
 * @cssprop --ms-success - Success: the connected indicator. Default #1a7f37 (light), #3fb950 (dark).
 * @cssprop --ms-danger - Errors: refused and failed requests, the reconnecting indicator. Default #cf222e (light), #f85149 (dark).
 * @cssprop --ms-state-connected-color - The indicator when an app is connected. Default `--ms-success`.
 * @cssprop --ms-state-error-color - The indicator while reconnecting. Default `--ms-danger`.
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
  /** The account the app draws on; when unset, a uuid fixed for the element's life (kept across reloads with `persist`). */
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
  /**
   * Keeps the beacon, the account uuid, the budget's window and the stack's
   * payment memory (ledger, replay memory, answers to re-deliver) in
   * `storage` across reloads. Nothing is stored without it. Read when the
   * element connects.
   */
  @property({type: Boolean, attribute: 'persist'}) persist = false;
  /**
   * Where `persist` keeps things: any object with `getItem`, `setItem` and
   * `removeItem` (`sessionStorage`, your own store); `localStorage` when unset.
   */
  @property({attribute: false}) storage: KeyValueStorage | undefined;
  /** The key prefix the element (and its stack) store under; give each provider sharing a storage its own. */
  @property({attribute: 'storage-key'}) storageKey = 'moneysocket-provider';
  /** The words for one of the app's requests in the activity list; replace it to translate them. */
  @property({attribute: false}) formatRequest: (request: MsRequestActivity) => string = describeRequest;
  /** The clock the daily budget reads, in ms since the epoch; replaceable for tests. */
  now: () => number = () => Date.now();

  readonly #budget = new SpendingBudget(() => this.#saveBudget());
  readonly #requests = new ProviderRequests({
    budget: this.#budget,
    limits: () => this,
    now: () => this.now(),
    dispatch: (event) => this.dispatchEvent(event),
    refused: (detail) => this.emit('ms-request-refused', detail),
    changed: () => this.requestUpdate(),
    invoiceFromBackend: (request) => this.#fromBackend(() => this.stack.invoiceFromBackend(request)),
    // The backend's preimage may be hex, base64 or bytes: the stack checks and normalises it.
    payFromBackend: (request) => this.#fromBackend(() => this.stack.payFromBackend(request) as Promise<string>),
    permissions: () => this.existingStack?.providerInfo ?? undefined,
  });
  #given: string | undefined;
  #generated: {relay: string; beacon: Result<string>} | undefined;
  /** The account uuid kept with `persist` when `account-uuid` is not set. */
  #account: string | undefined;
  /** Whether what `persist` kept has been read back (once, when the element first updates with `persist`). */
  #restored = false;
  /** Read back in this update: serve, push and save what came back once the update is done. */
  #justRestored = false;
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
    const previous = this.beacon;
    this.#given = value || undefined;
    this.beaconAssigned(previous, this.beacon);
  }

  /** Read-only: the app's last requests, newest first, as the element lists them. */
  get activity(): readonly MsRequestActivity[] {
    return this.#requests.log.recent;
  }

  /**
   * Disconnects and erases what `persist` kept of this connection (the
   * beacon, the account uuid, the budget's window), whether or not `persist`
   * is still set; with a `relay`, a new beacon is then made and served. The
   * stack's payment memory stays: it expires by itself, and until then it
   * keeps an invoice from being paid twice.
   */
  async forget(): Promise<void> {
    await this.disconnect();
    const previous = this.beacon;
    this.#given = undefined;
    this.#generated = undefined;
    this.#account = undefined;
    this.#budget.clear();
    this.#store()?.clear();
    this.requestUpdate('beacon', previous);
    this.#pushInfo();
  }

  /** Tells the app that an invoice it obtained has been paid; with no app connected, it is told after the next handshake. Throws the MoneysocketError for a malformed preimage. */
  notifyInvoicePaid(preimage: string): void {
    const sent = this.stack.notifyInvoicePaid(preimage);
    if (!sent.ok) throw sent.error;
  }

  protected createStack(webSocket: SocketFactory): ProviderStack {
    // Ready before the first request; a failed load is tried again then.
    loadRequestEvents().catch(() => undefined);
    const info = this.#providerInfo();
    // The stack's own storage option, when the page gives one, wins.
    const storage = this.persist && this.stackOptions?.storage === undefined ? this.#storage() : undefined;
    return new ProviderStack({
      ...this.stackOptions,
      ...(storage === undefined ? {} : {storage, storageKey: this.stackOptions?.storageKey ?? this.storageKey}),
      webSocket,
      providerInfo: info.ok ? info.value : null,
      handleInvoiceRequest: (request) => this.#requests.invoice(request),
      handlePayRequest: (request) => this.#requests.pay(request),
    });
  }

  protected listenTo(stack: ProviderStack): void {
    stack.on('answered', (answer) => this.#requests.answered(answer));
  }

  protected override beaconChanged(beacon: string | undefined): void {
    const decoded = beacon === undefined ? undefined : decodeBeacon(beacon);
    if (beacon === undefined || !decoded?.ok) return;
    this.emit('ms-beacon', {beacon, decoded: beaconToJson(decoded.value)});
    this.#saveSession();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Not earlier: the page may still be setting `storage` when the element is created and connected.
    if (this.persist && !this.#restored) this.#restore();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const restored = this.#justRestored;
    this.#justRestored = false;
    if (changed.has('relay')) this.#relayChanged();
    if (changed.has('backend') && this.#nwc?.backend === undefined) this.serveFrom(this.backend);
    if (changed.has('nwc')) void this.#useNwc(this.nwc || undefined);
    if (restored || INFO_INPUTS.some((name) => changed.has(name))) this.#pushInfo();
    if (!restored) return;
    this.syncBeacon();
    // `persist` set after the element was already serving: keep what it serves now.
    this.#saveSession();
    this.#saveBudget();
  }

  protected override render(): TemplateResult {
    // Handshaking: an app is there; showing the beacon again for that moment would only flicker.
    const serving = this.state === 'connected' || this.state === 'handshaking';
    return html`<div part="base" class="base" role="group" aria-labelledby="label">
      <div part="label" class="label" id="label"><slot name="label">Moneysocket provider</slot></div>
      ${stateRegion(this.state, STATE_TEXTS)}
      ${serving ? this.#renderActivity() : html`<div part="beacon" class="beacon"><slot name="beacon"></slot></div>`}
      <slot></slot>
    </div>`;
  }

  #renderActivity(): TemplateResult {
    const recent = this.#requests.log.recent;
    return html`<section part="activity" class="activity" aria-labelledby="activity-label" aria-live="polite">
      <div id="activity-label" class="activity-label"><slot name="activity-label">Requests from the app</slot></div>
      ${recent.length === 0
        ? html`<p class="no-activity"><slot name="no-activity">No requests yet</slot></p>`
        : html`<ol class="requests">${recent.map((entry) => html`<li part="request" data-outcome=${entry.outcome}>${this.formatRequest(entry)}</li>`)}</ol>`}
    </section>`;
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

  /**
   * Reads back, once, what `persist` kept. A beacon given or generated in
   * the meantime (`persist` set late) wins over the stored one.
   */
  #restore(): void {
    this.#restored = true;
    this.#justRestored = true;
    const store = this.#store();
    const session = store?.readSession();
    if (session !== undefined) {
      this.#account ??= session.accountUuid;
      if (session.relay === undefined) this.#given ??= session.beacon;
      else this.#generated ??= {relay: session.relay, beacon: {ok: true, value: session.beacon}};
    }
    this.#budget.load(store?.readBudget(), this.now());
  }

  /** The account uuid kept with `persist` (made on first need); undefined without it, or before it is read back. */
  #keptAccount(): string | undefined {
    if (!this.persist || !this.#restored) return undefined;
    return (this.#account ??= newUuid());
  }

  #saveSession(): void {
    const beacon = this.beacon;
    const accountUuid = this.#keptAccount();
    if (beacon === undefined || accountUuid === undefined || !decodeBeacon(beacon).ok) return;
    const relay = this.#given === undefined ? this.#generated?.relay : undefined;
    this.#store()?.writeSession(relay === undefined ? {beacon, accountUuid} : {beacon, relay, accountUuid});
  }

  #storage(): KeyValueStorage | undefined {
    const storage = pickStorage(this.storage);
    if (!storage.ok) this.emit('ms-error', errorDetail(storage.error));
    return storage.ok ? storage.value : undefined;
  }

  #store(): ProviderStore | undefined {
    const storage = this.#storage();
    return storage && new ProviderStore(storage, this.storageKey, (error) => this.emit('ms-error', errorDetail(error)));
  }

  #saveBudget(): void {
    if (this.persist && this.#restored) this.#store()?.writeBudget(this.#budget.toJSON());
  }

  #generatedBeacon(): string | undefined {
    const generated = this.#generatedFor(this.relay);
    return generated?.ok ? generated.value : undefined;
  }

  /** One beacon per relay address, made once, so re-reading `beacon` never changes it. */
  #generatedFor(relay: string | null | undefined): Result<string> | undefined {
    // With `persist`, none is made before the one kept from before has been read back.
    if (!relay?.trim() || (this.persist && !this.#restored)) return undefined;
    if (this.#generated?.relay !== relay) this.#generated = {relay, beacon: beaconFor(relay)};
    return this.#generated.beacon;
  }

  #providerInfo(): Result<ProviderInfoInput | null> {
    const wad = this.#offeredWad();
    if (!wad.ok || wad.value === undefined) return wad.ok ? {ok: true, value: null} : wad;
    return {ok: true, value: {payer: this.payer, payee: this.payee, wad: wad.value, accountUuid: this.accountUuid || this.#keptAccount()}};
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
