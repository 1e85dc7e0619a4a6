import {html, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {property, query, state} from 'lit/decorators.js';
import {decodeBeacon} from '../core/beacon.js';
import type {MsEventMap} from './events.js';
import {normaliseBeacon} from './internal/beacon-check.js';
import {copyText} from './internal/clipboard.js';
import {MsElement} from './internal/ms-element.js';
import {qrPayload, qrShape, type QrShape} from './internal/qr.js';
import {findTarget, registryOf} from './internal/target.js';
import {styles} from './ms-beacon-display.styles.js';

/**
 * @summary Shows a beacon as a QR code and as text, with a copy button.
 * @tag ms-beacon-display
 *
 * The QR code holds the beacon in upper case: QR's alphanumeric mode packs
 * upper case 30 % denser, so the code has fewer, bigger modules and scans
 * more easily; bech32 is case-insensitive and decoders accept it.
 *
 * @fires {CustomEvent<MsCopyDetail>} ms-copy - The beacon text was copied to the clipboard (`detail.text`).
 * @fires {CustomEvent<MsErrorDetail>} ms-error - The QR code could not be drawn (its encoder failed to load): `detail.code`, `detail.message`.
 *
 * @slot qr-label - The QR code's accessible name. Default "QR code of the beacon".
 * @slot copy-label - The copy button. Default "Copy".
 * @slot copied-label - Announced after copying. Default "Copied".
 * @slot copy-failed - Announced when the browser allowed no way to copy (the text is then selected). Default "Could not copy: select the text and copy it."
 *
 * @csspart base - The wrapper of everything.
 * @csspart qr - The QR code (role `img`), an inline SVG.
 * @csspart text - The beacon as text.
 * @csspart actions - The row with the copy button and its status.
 * @csspart copy-button - The copy button.
 * @csspart status - The live region saying "Copied".
 *
 * @cssprop --ms-qr-size - Width of the QR code (and of the element). Default 16rem.
 * @cssprop --ms-qr-color - Color of the QR modules. Keep it dark on a light background: many scanners read nothing else.
 * @cssprop --ms-qr-background - Background of the QR code, quiet zone included.
 * @cssprop --ms-color - Text color.
 * @cssprop --ms-background - Background of the element.
 * @cssprop --ms-accent - Button and focus ring color.
 * @cssprop --ms-radius - Corner radius.
 * @cssprop --ms-font - Font shorthand.
 * @cssprop --ms-mono-font - Font family of the beacon text.
 */
export class MsBeaconDisplay extends MsElement {
  static override styles = styles;

  /** The beacon to show. With `for`, it follows that element's beacon. */
  @property({type: String}) beacon = '';

  /** The id of an `<ms-provider>` (or any element with a `beacon` property firing `ms-beacon`) whose beacon to show. */
  @property({attribute: 'for'}) htmlFor = '';

  /** How long "Copied" stays, in milliseconds. */
  @property({attribute: 'feedback-duration', type: Number}) feedbackDuration = 2000;

  @state() private feedback: 'none' | 'copied' | 'failed' = 'none';

  @query('[part="copy-button"]') private copyButton!: HTMLButtonElement;
  @query('[part="text"]') private textNode!: HTMLElement;

  private source: HTMLElement | null = null;
  private qr: {payload: string; shape: QrShape} | undefined;
  private qrPending: string | undefined;
  private qrLoading: Promise<void> | undefined;
  private feedbackTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.watchSource();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatchSource();
    clearTimeout(this.feedbackTimer);
  }

  /** The beacon as shown and copied: lower case without prefix when valid, else as given. */
  get text(): string {
    return decodeBeacon(this.beacon).ok ? normaliseBeacon(this.beacon) : this.beacon.trim();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('htmlFor')) this.watchSource();
  }

  private watchSource(): void {
    this.unwatchSource();
    const source = findTarget(this, this.htmlFor);
    if (!source) {
      // A provider later in the page is not parsed yet: look again once it is.
      if (this.htmlFor && document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', () => this.watchSource(), {once: true});
      }
      return;
    }
    this.source = source;
    source.addEventListener('ms-beacon', this.onSourceBeacon);
    this.readSource(source);
    // Not upgraded yet: its `beacon` property appears when it is.
    if (source.localName.includes('-')) void registryOf(source).whenDefined(source.localName).then(() => this.readSource(source));
  }

  private unwatchSource(): void {
    this.source?.removeEventListener('ms-beacon', this.onSourceBeacon);
    this.source = null;
  }

  private readSource(source: HTMLElement): void {
    const beacon = (source as HTMLElement & {beacon?: unknown}).beacon;
    if (source === this.source && typeof beacon === 'string' && beacon !== '') this.beacon = beacon;
  }

  /** Only the source's own events: an `<ms-beacon-input>` inside it bubbles its own through it. */
  private readonly onSourceBeacon = (event: MsEventMap['ms-beacon']): void => {
    if (event.target === this.source) this.beacon = event.detail.beacon;
  };

  private async copy(): Promise<void> {
    const text = this.text;
    if (text === '') return;
    const copied = await copyText(text, this.renderRoot as ShadowRoot);
    this.copyButton.focus(); // the fallback's hidden textarea took the focus
    if (!copied) getSelection()?.selectAllChildren(this.textNode); // so the person can press Ctrl+C
    await this.announce(copied ? 'copied' : 'failed');
    if (copied) this.emit('ms-copy', {text});
  }

  /** Clears the live region first, so copying twice is announced twice. */
  private async announce(feedback: 'copied' | 'failed'): Promise<void> {
    clearTimeout(this.feedbackTimer);
    this.feedback = 'none';
    await this.updateComplete;
    this.feedback = feedback;
    this.feedbackTimer = setTimeout(() => (this.feedback = 'none'), this.feedbackDuration);
  }

  /** The drawn code for `payload`, or undefined while the encoder loads (it is lazy, see qr.ts). */
  private shape(payload: string): QrShape | undefined {
    if (this.qr?.payload === payload) return this.qr.shape;
    if (this.qrPending !== payload) {
      this.qrPending = payload;
      this.qrLoading = qrShape(payload).then(
        (shape) => {
          if (this.qrPending !== payload) return;
          this.qr = {payload, shape};
          this.requestUpdate();
        },
        (error: unknown) => void this.emit('ms-error', {code: 'INVALID_ARGUMENT', message: `could not draw the QR code: ${String(error)}`}),
      );
    }
    return undefined;
  }

  /** `updateComplete` also waits for a QR code being drawn, so callers see the finished element. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.qrLoading !== undefined) {
      const loading = this.qrLoading;
      await loading;
      if (this.qrLoading === loading) this.qrLoading = undefined;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  protected override render(): TemplateResult {
    const text = this.text;
    return html`<div part="base">
      ${text === '' ? nothing : this.renderQr(qrPayload(text))}
      <code part="text">${text}</code>
      <div part="actions">
        <button part="copy-button" type="button" ?disabled=${text === ''} @click=${this.copy}>
          <slot name="copy-label">Copy</slot>
        </button>
        <span part="status" role="status" aria-live="polite">${this.renderFeedback()}</span>
      </div>
    </div>`;
  }

  private renderQr(payload: string): TemplateResult | typeof nothing {
    const shape = this.shape(payload);
    if (shape === undefined) return nothing;
    const {size, path} = shape;
    // Fill attributes make a saved or copied SVG black on white; the CSS custom properties override them here.
    return html`<div part="qr" role="img" aria-labelledby="qr-label">
      <span id="qr-label" class="visually-hidden"><slot name="qr-label">QR code of the beacon</slot></span>
      <svg viewBox="0 0 ${size} ${size}" aria-hidden="true" focusable="false" shape-rendering="crispEdges">
        <rect class="qr-background" width=${size} height=${size} fill="#fff"></rect>
        <path class="qr-modules" d=${path} fill="#000"></path>
      </svg>
    </div>`;
  }

  private renderFeedback(): TemplateResult | typeof nothing {
    if (this.feedback === 'copied') return html`<slot name="copied-label">Copied</slot>`;
    if (this.feedback === 'failed') return html`<slot name="copy-failed">Could not copy: select the text and copy it.</slot>`;
    return nothing;
  }
}
