import {html, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {decodeBeacon} from '../core/beacon.js';
import type {MsEventMap} from './events.js';
import {normaliseBeacon} from './internal/beacon-check.js';
import {CopyButton} from './internal/copy-button.js';
import {MsElement} from './internal/ms-element.js';
import {qrPayload} from './internal/qr.js';
import {QrCode} from './internal/qr-code.js';
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
 * @cssprop --ms-color - Text colour. Default #1f2328 (light), #e6edf3 (dark).
 * @cssprop --ms-background - Background. Default #fff (light), #161b22 (dark).
 * @cssprop --ms-accent - The one accent: every button, the focus ring. Default #0969da (light), #58a6ff (dark).
 * @cssprop --ms-radius - Corner radius. Default 0.5rem.
 * @cssprop --ms-font - Font shorthand. Default `1em/1.5` and the system font stack (`system-ui`, …).
 * @cssprop --ms-mono-font - Font family of the beacon text. Default `ui-monospace` and friends.
 */
export class MsBeaconDisplay extends MsElement {
  static override styles = styles;

  /** The beacon to show. With `for`, it follows that element's beacon. */
  @property({type: String}) beacon = '';

  /** The id of an `<ms-provider>` (or any element with a `beacon` property firing `ms-beacon`) whose beacon to show. */
  @property({attribute: 'for'}) htmlFor = '';

  /** How long "Copied" stays, in milliseconds. */
  @property({attribute: 'feedback-duration', type: Number}) feedbackDuration = 2000;

  private source: HTMLElement | null = null;
  private readonly qr = new QrCode(this, (message) => void this.emit('ms-error', {code: 'INVALID_ARGUMENT', message}));
  private readonly copier = new CopyButton(this, {
    text: () => this.text,
    selectable: () => this.renderRoot.querySelector('[part="text"]'),
    duration: () => this.feedbackDuration,
    copied: (text) => void this.emit('ms-copy', {text}),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.watchSource();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatchSource();
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

  /** `updateComplete` also waits for a QR code being drawn, so callers see the finished element. */
  protected override getUpdateComplete(): Promise<boolean> {
    return this.qr.settle(() => super.getUpdateComplete());
  }

  protected override render(): TemplateResult {
    const text = this.text;
    return html`<div part="base">
      ${text === '' ? nothing : this.qr.render(qrPayload(text), html`<slot name="qr-label">QR code of the beacon</slot>`)}
      <code part="text">${text}</code>
      <div part="actions">${this.copier.render('status')}</div>
    </div>`;
  }
}
