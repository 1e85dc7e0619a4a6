import {html, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {ConsumerStack, type ConsumerStackOptions} from '../core/stack/consumer-stack.js';
import type {ProviderInfo} from '../core/stack/provider-info.js';
import type {SocketFactory} from '../core/stack/socket.js';
import type {Wad} from '../core/wad.js';
import {displayBalance} from './internal/balance.js';
import {lazyWebLN, type WebLN} from './internal/lazy-webln.js';
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
 * beacon switches to it, removing the beacon or the element disconnects.
 * A bad beacon is reported with `ms-error`, never thrown from an attribute
 * change. Method promises reject with the `MoneysocketError` (its `code` is stable).
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
 *
 * @csspart base - The wrapper of everything.
 * @csspart label - The heading.
 * @csspart state - The state line (a polite live region).
 * @csspart balance - The balance row.
 * @csspart permissions - The list of permissions.
 * @csspart payer - The "can pay" row.
 * @csspart payee - The "can receive" row.
 *
 * @cssprop --ms-color - Text colour.
 * @cssprop --ms-background - Background.
 * @cssprop --ms-accent - In-progress states and focus rings.
 * @cssprop --ms-border - Border colour.
 * @cssprop --ms-radius - Corner radius.
 * @cssprop --ms-font - Font shorthand.
 * @cssprop --ms-state-connected-color - The indicator when connected.
 * @cssprop --ms-state-error-color - The indicator while reconnecting.
 *
 * @attribute state - Read-only, reflected for CSS: `disconnected`, `connecting`, `waiting-for-peer`,
 *   `handshaking`, `connected` or `reconnecting` (e.g. `ms-consumer[state='connected']`).
 */
export class MsConsumer extends StackElement<ConsumerStack> {
  static override styles = consumerStyles;

  /** The wallet's beacon (`moneysocket1…`). Setting it connects; removing it disconnects. */
  @property({attribute: 'beacon'}) beacon: string | undefined;

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
    return this.stack.requestInvoice(msats, options);
  }

  /** Asks the wallet to pay an invoice; resolves with the checked preimage (hex). */
  requestPay(bolt11: string, options: {timeoutMs?: number} = {}): Promise<string> {
    return this.stack.requestPay(bolt11, options);
  }

  /** Resolves with the round-trip time in milliseconds. */
  ping(): Promise<number> {
    return this.stack.ping();
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
