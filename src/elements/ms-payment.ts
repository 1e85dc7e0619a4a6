import {html, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import type {DecodedInvoice} from '../core/bolt11.js';
import {isMoneysocketError, MoneysocketError} from '../core/errors.js';
import type {ProviderInfo} from '../core/stack/provider-info.js';
import type {MsPaidDetail, MsPaymentReceivedDetail, MsPaymentState} from './events.js';
import {displaySats} from './internal/balance.js';
import {CopyButton} from './internal/copy-button.js';
import {errorDetail} from './internal/errors.js';
import {loadedInvoiceCode, loadInvoiceCode} from './internal/lazy-invoice.js';
import {MsElement} from './internal/ms-element.js';
import {QrCode} from './internal/qr-code.js';
import {findTarget} from './internal/target.js';
import {paymentStyles} from './ms-payment.styles.js';

/** What is needed of the element named by `for`: an `<ms-consumer>`, under any tag. */
interface Payer {
  state?: unknown;
  providerInfo?: ProviderInfo;
  requestPay?(bolt11: string): Promise<string>;
}

type Invoice = DecodedInvoice & {bolt11: string};

const TEXTS: Readonly<Record<MsPaymentState, string>> = {
  idle: 'No invoice yet',
  loading: 'Getting an invoice…',
  ready: 'Waiting for payment',
  paying: 'Paying…',
  paid: 'Paid',
  failed: 'The payment did not go through; nothing was paid.',
  'outcome-unknown': 'Not known yet whether the wallet paid. Do not pay again.',
  expired: 'This invoice has expired.',
  error: 'Could not get an invoice.',
};

/** Whether `preimage` pays `invoice`; there is an invoice only once the invoice code is loaded. */
function pays(preimage: string, invoice: Invoice): boolean {
  return loadedInvoiceCode()!.preimagePays(preimage, invoice.paymentHash);
}

/** Codes after which nothing was paid: a refusal, or a request that never left. Any other ending may have moved money. */
const NOTHING_PAID = new Set(['REQUEST_REFUSED', 'NOT_CONNECTED', 'BOLT11_INVALID', 'AMOUNT_INVALID']);

/** The events that can change what is shown: a wallet's state and info, and preimages for this invoice. */
const WATCHED = ['ms-state', 'ms-provider-info', 'ms-preimage', 'ms-payment-received'] as const;

/**
 * @summary A payment request, as a shop shows one: the amount, the invoice as a QR code with a copy button, and "Pay with your Moneysocket wallet".
 * @tag ms-payment
 *
 * Give it an `invoice`, or an `amount` and a `fetchInvoice` function that
 * gets one. The pay button shows while the `<ms-consumer>` named by `for`
 * is connected to a wallet that pays for this app and, when it says its
 * balance, has enough. Its states are honest: a payment whose answer was
 * lost, or whose failure does not say that nothing moved, is
 * `outcome-unknown`, never `failed`, and is never sent again; a preimage
 * arriving later for this invoice (checked against its payment hash) moves
 * it to `paid`. An invoice past its expiry is `expired` and cannot be paid.
 *
 * Paid with another wallet (the QR code), it learns so in two ways: the page
 * sets `paid` (its server saw the payment), or a consumer on the page that
 * made the invoice hears it was paid (`ms-payment-received`). Preimages
 * are read from the `ms-preimage` and `ms-payment-received` events that
 * reach the document, from any consumer, under any tag.
 *
 * @fires {CustomEvent<MsPaidDetail>} ms-paid - The invoice was paid: `detail.preimage` (checked against the payment hash; undefined when the page set `paid`), `detail.how` (`moneysocket` or `external`).
 * @fires {CustomEvent<MsPaymentReceivedDetail>} ms-payment-received - A consumer on the page that made this invoice heard it was paid (the consumer's detail, re-fired by this element just before `ms-paid`).
 * @fires {CustomEvent<MsPaymentStateDetail>} ms-payment-state - The state changed (`detail.state`, `detail.previous`).
 * @fires {CustomEvent<MsCopyDetail>} ms-copy - The invoice was copied to the clipboard (`detail.text`).
 * @fires {CustomEvent<MsErrorDetail>} ms-error - A payment failed or ended without a known outcome (the consumer's code: `REQUEST_REFUSED`, `PAYMENT_OUTCOME_UNKNOWN`, `PAYMENT_FAILED`, …), or an invoice could not be read or fetched.
 *
 * @slot - What is being paid for, shown above the amount.
 * @slot qr-label - The QR code's accessible name. Default "QR code of the invoice".
 * @slot copy-label - The copy button. Default "Copy".
 * @slot copied-label - Announced after copying. Default "Copied".
 * @slot copy-failed - Announced when the browser allowed no way to copy (the invoice text is then selected). Default "Could not copy: select the text and copy it."
 * @slot pay-label - The pay button. Default "Pay with your Moneysocket wallet".
 * @slot renew-label - The button asking `fetchInvoice` again after an expiry or a failed fetch. Default "Get a new invoice".
 * @slot state-idle - Default "No invoice yet".
 * @slot state-loading - Default "Getting an invoice…".
 * @slot state-ready - Default "Waiting for payment".
 * @slot state-paying - Default "Paying…".
 * @slot state-paid - Default "Paid".
 * @slot state-failed - Default "The payment did not go through; nothing was paid."
 * @slot state-outcome-unknown - Default "Not known yet whether the wallet paid. Do not pay again." (It moves to `paid` if the answer comes.)
 * @slot state-expired - Default "This invoice has expired."
 * @slot state-error - Default "Could not get an invoice."
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The amount, as `formatAmount` writes it.
 * @csspart qr - The invoice as a QR code (role `img`), an inline SVG; shown while it can be paid.
 * @csspart invoice - The invoice as text, on one line.
 * @csspart actions - The row with the copy button and its status.
 * @csspart copy-button - The copy button.
 * @csspart copy-status - The live region saying "Copied".
 * @csspart pay-button - "Pay with your Moneysocket wallet".
 * @csspart renew-button - "Get a new invoice".
 * @csspart status - The state as text (a polite live region).
 *
 * @cssprop --ms-qr-size - Width of the QR code. Default 16rem.
 * @cssprop --ms-qr-color - Color of the QR modules. Keep it dark on a light background: many scanners read nothing else.
 * @cssprop --ms-qr-background - Background of the QR code, quiet zone included.
 * @cssprop --ms-color - Text colour. Default #1f2328 (light), #e6edf3 (dark).
 * @cssprop --ms-background - Background. Default #fff (light), #161b22 (dark).
 * @cssprop --ms-border - Border colour. Default the text colour at 25 %.
 * @cssprop --ms-accent - The one accent: every button, the focus ring (the pay button is filled with it). Default #0969da (light), #58a6ff (dark).
 * @cssprop --ms-accent-contrast - Text on a button filled with the accent. Default #fff (light), #0d1117 (dark).
 * @cssprop --ms-radius - Corner radius. Default 0.5rem.
 * @cssprop --ms-font - Font shorthand. Default `1em/1.5` and the system font stack (`system-ui`, …).
 * @cssprop --ms-mono-font - Font family of the invoice text. Default `ui-monospace` and friends.
 * @cssprop --ms-success - Success: paid. Default #1a7f37 (light), #3fb950 (dark).
 * @cssprop --ms-danger - Errors: failed, expired or in error. Default #cf222e (light), #f85149 (dark).
 * @cssprop --ms-warning - Warnings: outcome unknown. Default #9a6700 (light), #d29922 (dark).
 * @cssprop --ms-state-paid-color - The status when paid. Default `--ms-success`.
 * @cssprop --ms-state-error-color - The status when failed, expired or in error. Default `--ms-danger`.
 * @cssprop --ms-state-unknown-color - The status when the outcome is unknown. Default `--ms-warning`.
 *
 * @attribute state - Read-only, reflected for CSS: `idle`, `loading`, `ready`, `paying`, `paid`, `failed`,
 *   `outcome-unknown`, `expired` or `error` (e.g. `ms-payment[state='paid']`).
 */
export class MsPayment extends MsElement {
  static override styles = paymentStyles;

  /** The BOLT11 invoice to pay (a `lightning:` prefix and upper case are accepted). A new invoice starts unpaid. */
  @property() invoice = '';

  /** The amount in sats, shown and passed to `fetchInvoice` while there is no invoice; the invoice's own amount is shown once there is one. */
  @property({type: Number}) amount: number | undefined;

  /** The amount in millisatoshis; wins over `amount`. */
  @property({attribute: 'amount-msats', type: Number}) amountMsats: number | undefined;

  /** The id of the `<ms-consumer>` (any tag) that pays with the "Pay with your Moneysocket wallet" button. */
  @property({attribute: 'for'}) htmlFor = '';

  /** Set by the page when it learns the invoice was paid another way (its server saw it); true once paid in any way. A new invoice starts unpaid. */
  @property({type: Boolean}) paid = false;

  /**
   * Gets an invoice for `msats` millisatoshis (from the shop's server, or
   * `(msats) => shopWallet.requestInvoice(msats)`). Called while there is an
   * amount and no `invoice` of the page's, again when the amount changes, and
   * from the "Get a new invoice" button.
   */
  @property({attribute: false}) fetchInvoice: ((msats: number) => Promise<string>) | undefined;

  /** Turns millisatoshis into the amount shown; by default sats, grouped for the reader's locale. Add fiat here. */
  @property({attribute: false}) formatAmount: (msats: number) => string = displaySats;

  /** How long "Copied" stays, in milliseconds. */
  @property({attribute: 'feedback-duration', type: Number}) feedbackDuration = 2000;

  #state: MsPaymentState = 'idle';
  #invoice: Invoice | undefined;
  /** The invoice `fetchInvoice` gave, told apart from one the page set. */
  #fetched: string | undefined;
  /** Counts fetches, so an answer to an older one is dropped. */
  #fetches = 0;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why the invoice decoder could not be loaded, if it could not. */
  #codeError: unknown;

  readonly #qr = new QrCode(this, (message) => void this.emit('ms-error', {code: 'INVALID_ARGUMENT', message}));
  readonly #copier = new CopyButton(this, {
    text: () => this.#invoice?.bolt11 ?? '',
    selectable: () => this.renderRoot.querySelector('[part="invoice"]'),
    duration: () => this.feedbackDuration,
    copied: (text) => void this.emit('ms-copy', {text}),
  });

  /** Read-only: where the payment stands, also reflected to the `state` attribute. */
  get state(): MsPaymentState {
    return this.#state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.getAttribute('state') !== this.#state) this.setAttribute('state', this.#state);
    for (const type of WATCHED) document.addEventListener(type, this.#onEvent);
    this.#checkExpiry();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const type of WATCHED) document.removeEventListener(type, this.#onEvent);
    clearTimeout(this.#expiryTimer);
  }

  /**
   * Pays the invoice through the `for` consumer, as the pay button does, if
   * it can pay now; resolves with the state the payment ends in.
   */
  async pay(): Promise<MsPaymentState> {
    this.#checkExpiry();
    const invoice = this.#invoice;
    const payer = this.#payer();
    if (!invoice || !payer || (this.#state !== 'ready' && this.#state !== 'failed')) return this.#state;
    this.#setState('paying');
    try {
      const preimage = await payer.requestPay(invoice.bolt11);
      if (!this.#settle(invoice, preimage, 'moneysocket')) {
        throw new MoneysocketError('PREIMAGE_MISMATCH', 'the preimage does not pay this invoice');
      }
    } catch (error) {
      if (this.#invoice === invoice && this.state === 'paying') {
        this.#setState(isMoneysocketError(error) && NOTHING_PAID.has(error.code) ? 'failed' : 'outcome-unknown');
        this.#checkExpiry();
      }
      this.emit('ms-error', errorDetail(error));
    }
    return this.#state;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('invoice')) this.#read(changed);
    else if ((changed.has('amount') || changed.has('amountMsats') || changed.has('fetchInvoice')) && this.#fetchable()) void this.#fetch();
    if (changed.has('paid') && this.paid && this.#invoice) this.#settle(this.#invoice, undefined, 'external');
  }

  /**
   * Updates wait for the invoice decoder (a chunk of its own in the browser
   * bundle, loaded once per page), so that every update reads a new invoice
   * at once; `updateComplete` waits for it too.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (loadedInvoiceCode() !== undefined) return super.scheduleUpdate();
    return loadInvoiceCode().then(
      () => super.scheduleUpdate(),
      (error: unknown) => {
        this.#codeError = error;
        return super.scheduleUpdate();
      },
    );
  }

  /** `updateComplete` also waits for a QR code being drawn, so callers see the finished element. */
  protected override getUpdateComplete(): Promise<boolean> {
    return this.#qr.settle(() => super.getUpdateComplete());
  }

  /** Takes a new `invoice`: unpaid (unless `paid` came with it), ready, expired or unreadable. */
  #read(changed: PropertyValues<this>): void {
    this.#fetches++;
    this.#invoice = undefined;
    if (!changed.has('paid')) this.paid = false;
    const bolt11 = this.invoice.trim().replace(/^lightning:/i, '').toLowerCase();
    if (bolt11 === '') {
      if (this.#fetchable()) void this.#fetch();
      else this.#setState('idle');
      return;
    }
    const code = loadedInvoiceCode();
    const decoded = code ? code.decodeBolt11(bolt11) : {ok: false as const, error: this.#codeError};
    if (!decoded.ok) {
      this.#setState('error');
      this.emit('ms-error', errorDetail(decoded.error));
      return;
    }
    this.#invoice = {...decoded.value, bolt11};
    this.#setState('ready');
    this.#checkExpiry();
  }

  /** The amount to ask `fetchInvoice` for, in msats, if it is a positive whole number. */
  #askedMsats(): number | undefined {
    const msats = this.amountMsats ?? (this.amount == null ? undefined : Math.round(this.amount * 1000));
    return Number.isSafeInteger(msats) && msats! > 0 ? msats : undefined;
  }

  #fetchable(): boolean {
    return this.fetchInvoice !== undefined && this.#askedMsats() !== undefined && (this.invoice === '' || this.invoice === this.#fetched);
  }

  async #fetch(): Promise<void> {
    const ticket = ++this.#fetches;
    this.#invoice = undefined;
    this.#setState('loading');
    try {
      const bolt11: unknown = await this.fetchInvoice!(this.#askedMsats()!);
      if (ticket !== this.#fetches) return;
      // An empty answer would be read as "no invoice yet" and fetched again, without end.
      if (typeof bolt11 !== 'string' || bolt11.trim() === '') throw new MoneysocketError('INVALID_ARGUMENT', 'fetchInvoice resolved with no invoice');
      this.#fetched = bolt11;
      this.invoice = bolt11;
      this.requestUpdate('invoice', ''); // read again even if it gave the same invoice as before
    } catch (error) {
      if (ticket !== this.#fetches) return;
      this.#setState('error');
      this.emit('ms-error', errorDetail(error));
    }
  }

  /** Moves `ready` and `failed` to `expired` once the invoice's expiry has passed, with a timer until then. */
  #checkExpiry(): void {
    clearTimeout(this.#expiryTimer);
    const invoice = this.#invoice;
    if (!invoice || (this.#state !== 'ready' && this.#state !== 'failed')) return;
    const left = invoice.expiresAt * 1000 - Date.now();
    if (left <= 0) this.#setState('expired');
    // setTimeout fires at once past 2^31 - 1 ms (24.8 days): wait in steps.
    else this.#expiryTimer = setTimeout(() => this.#checkExpiry(), Math.min(left, 2 ** 31 - 1));
  }

  /** The `for` consumer, if it can pay this invoice now: connected, paying for this app, with enough balance if it says. */
  #payer(): Required<Pick<Payer, 'requestPay'>> | undefined {
    const invoice = this.#invoice;
    const payer = findTarget(this, this.htmlFor) as (HTMLElement & Payer) | null;
    const info = payer?.state === 'connected' ? payer.providerInfo : undefined;
    if (!invoice?.msats || !invoice.bolt11.startsWith('lnbc') || !info?.payer || typeof payer?.requestPay !== 'function') return undefined;
    return info.wad && info.wad.msats < invoice.msats ? undefined : (payer as Required<Pick<Payer, 'requestPay'>>);
  }

  /**
   * Moves to `paid` if `preimage` pays `invoice` (undefined: the page's
   * word); false when it does not pay it. The state changes before the events
   * fire, so a listener that sets `paid` again changes nothing.
   */
  #settle(invoice: Invoice, preimage: string | undefined, how: MsPaidDetail['how'], received?: MsPaymentReceivedDetail): boolean {
    if (preimage !== undefined && !pays(preimage, invoice)) return false;
    if (invoice !== this.#invoice || this.#state === 'paid') return true;
    clearTimeout(this.#expiryTimer);
    this.paid = true;
    this.#setState('paid');
    if (received) this.emit('ms-payment-received', received);
    this.emit('ms-paid', {preimage, invoice: invoice.bolt11, paymentHash: invoice.paymentHash, how});
    return true;
  }

  /** Any consumer's events reach the document: preimages for this invoice settle it, the rest may change the pay button. */
  readonly #onEvent = (event: Event): void => {
    const detail = (event as CustomEvent<Partial<MsPaymentReceivedDetail> | null>).detail;
    const invoice = this.#invoice;
    if (event.type === 'ms-state' || event.type === 'ms-provider-info') this.requestUpdate();
    else if (invoice && typeof detail?.preimage === 'string' && pays(detail.preimage, invoice)) {
      const received = event.type === 'ms-payment-received';
      this.#settle(invoice, detail.preimage, received ? 'external' : 'moneysocket', received ? (detail as MsPaymentReceivedDetail) : undefined);
    }
  };

  #setState(state: MsPaymentState): void {
    const previous = this.#state;
    if (state === previous) return;
    this.#state = state;
    this.setAttribute('state', state);
    this.requestUpdate();
    this.emit('ms-payment-state', {state, previous});
  }

  #renewable(): boolean {
    return (this.#state === 'expired' || this.#state === 'error') && this.#fetchable();
  }

  protected override render(): TemplateResult {
    const state = this.#state;
    const invoice = this.#invoice;
    const msats = invoice?.msats ?? this.#askedMsats();
    const open = invoice !== undefined && (state === 'ready' || state === 'failed');
    const payer = open || state === 'paying' ? this.#payer() : undefined;
    return html`<div part="base" class="base">
      <slot></slot>
      ${msats == null ? nothing : html`<div part="amount">${this.formatAmount(Number(msats))}</div>`}
      ${open ? this.#renderInvoice(invoice) : nothing}
      ${payer
        ? html`<button part="pay-button" class="primary" type="button" ?disabled=${state === 'paying'} @click=${() => void this.pay()}>
            <slot name="pay-label">Pay with your Moneysocket wallet</slot>
          </button>`
        : nothing}
      ${this.#renewable()
        ? html`<button part="renew-button" type="button" @click=${() => void this.#fetch()}><slot name="renew-label">Get a new invoice</slot></button>`
        : nothing}
      <div part="status" class="status" role="status" aria-live="polite" aria-atomic="true">
        <slot name="state-${state}">${TEXTS[state]}</slot>
      </div>
    </div>`;
  }

  /**
   * The QR code holds `LIGHTNING:` and the invoice in upper case: QR's
   * alphanumeric mode packs that denser (bech32 is case-insensitive), and
   * phones open a wallet for the `lightning:` scheme. Copying gives the bare invoice.
   */
  #renderInvoice(invoice: Invoice): TemplateResult {
    return html`${this.#qr.render(`LIGHTNING:${invoice.bolt11.toUpperCase()}`, html`<slot name="qr-label">QR code of the invoice</slot>`)}
      <code part="invoice">${invoice.bolt11}</code>
      <div part="actions">${this.#copier.render('copy-status')}</div>`;
  }
}
