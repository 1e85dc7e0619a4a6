import {html, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {property, query, state} from 'lit/decorators.js';
import {live} from 'lit/directives/live.js';
import {beaconErrorText, checkBeacon, type BeaconCheck} from './internal/beacon-check.js';
import {CameraScanController, loadCameraCode} from './internal/camera-scan.js';
import {MsElement} from './internal/ms-element.js';
import {findTarget} from './internal/target.js';
import {styles} from './ms-beacon-input.styles.js';

/** Anything qr-scanner can read a code from. */
export type QrImageSource = File | Blob | HTMLImageElement | HTMLCanvasElement | string;

/** What `for` may name: any element with a `beacon` property; a connection element also has a `state`. */
type BeaconTarget = HTMLElement & {beacon?: unknown; state?: unknown};

/** Input types that put a whole text in at once, as opposed to typing. */
const WHOLE_ENTRIES = new Set(['insertFromPaste', 'insertFromDrop', 'insertReplacementText', 'insertFromYank']);

/**
 * @summary A field for a Moneysocket beacon: typed, pasted, or scanned from a QR code with the camera or an image file.
 * @tag ms-beacon-input
 *
 * The beacon is checked on every keystroke and paste. Like a native field,
 * setting `value` from script shows the verdict but fires no event and feeds
 * no target: only what the person types, pastes or scans does.
 *
 * Edits that keep the same beacon (spaces, case) announce nothing new; the
 * same beacon pasted or scanned again, or entered again while the `for`
 * element is disconnected, is announced again and reconnects that element.
 * Emptying the field takes the beacon it gave away from the `for` element,
 * which disconnects it. A Lightning invoice or an LNURL gets its own error
 * (`BEACON_IS_INVOICE`, `BEACON_IS_LNURL`).
 *
 * @fires {CustomEvent<MsBeaconDetail>} ms-beacon - A valid beacon was typed, pasted or scanned (again: see above). `detail.beacon` is lower case without the `moneysocket:` prefix; `detail.decoded` is its JSON form.
 * @fires {CustomEvent<MsErrorDetail>} ms-error - No QR code could be read from an image (`detail.code` is `INVALID_ARGUMENT`).
 *
 * @slot label - The field's label. Default "Beacon".
 * @slot valid - Shown when the beacon is valid. Default "Beacon OK".
 * @slot error-BEACON_CHECKSUM - Shown for that error code; every code has a slot `error-<CODE>` (BEACON_PREFIX, BEACON_BECH32, BEACON_TRUNCATED, BEACON_TLV_TYPE, BEACON_SEED_LENGTH, BEACON_UNKNOWN_LOCATION, BEACON_LOCATION_INVALID, BEACON_IS_INVOICE, BEACON_IS_LNURL...).
 * @slot error-BEACON_IS_INVOICE - Shown for a Lightning invoice. Default "This is a Lightning invoice, not a beacon. Paste the beacon your Moneysocket wallet shows (it starts with moneysocket1)."
 * @slot error-BEACON_IS_LNURL - Shown for an LNURL or a Lightning address. Default "This is an LNURL or a Lightning address, not a beacon. …"
 * @slot error - Shown for an invalid beacon whose `error-<CODE>` slot is not filled: one message for every error.
 * @slot scan-label - The scan button. Default "Scan QR code".
 * @slot stop-label - The button that turns the camera off. Default "Stop".
 * @slot scanning - Announced while the camera is on.
 * @slot no-camera - Announced when there is no camera or it may not be used; the file chooser appears with it.
 * @slot file-label - The file chooser's label. Default "Choose an image".
 * @slot scan-error - Announced when no QR code could be read from an image.
 *
 * @csspart base - The wrapper of everything.
 * @csspart label - The `<label>` of the field.
 * @csspart field - The row holding the input and the scan button.
 * @csspart input - The text `<input>`.
 * @csspart scan-button - The button that starts the camera.
 * @csspart message - The live region with the verdict on the beacon; `data-state` is `valid` or `invalid`.
 * @csspart viewfinder - The camera area, shown while the camera is on.
 * @csspart video - The camera `<video>`.
 * @csspart stop-button - The button that turns the camera off.
 * @csspart scan-message - The live region with the scanner's news.
 * @csspart file - The file chooser row, shown when there is no camera.
 * @csspart file-label - The file chooser's `<label>`, styled as a button (it opens the chooser).
 * @csspart file-input - The `<input type="file">`: visually hidden, still focusable (its focus ring shows on the label).
 *
 * @cssprop --ms-color - Text colour. Default #1f2328 (light), #e6edf3 (dark).
 * @cssprop --ms-background - Background. Default #fff (light), #161b22 (dark).
 * @cssprop --ms-border - Border colour. Default the text colour at 25 %.
 * @cssprop --ms-accent - The one accent: every button, the focus ring (the file chooser too). Default #0969da (light), #58a6ff (dark).
 * @cssprop --ms-radius - Corner radius. Default 0.5rem.
 * @cssprop --ms-font - Font shorthand. Default `1em/1.5` and the system font stack (`system-ui`, …).
 * @cssprop --ms-mono-font - Font family of the field. Default `ui-monospace` and friends.
 * @cssprop --ms-success - Success: the "valid" message. Default #1a7f37 (light), #3fb950 (dark).
 * @cssprop --ms-danger - Errors: the error messages and an invalid field's border. Default #cf222e (light), #f85149 (dark).
 * @cssprop --ms-video-width - Width of the camera view.
 */
export class MsBeaconInput extends MsElement {
  static override styles = styles;

  /** The text in the field, as typed. */
  @property({type: String}) value = '';

  @property({type: String}) placeholder = '';

  /** The id of the element (an `<ms-consumer>` or `<ms-provider>`) whose `beacon` property each valid beacon is written to (and emptied from when the field is emptied). */
  @property({attribute: 'for'}) htmlFor = '';

  @state() private check: BeaconCheck = {state: 'empty'};
  @state() private scanFailed = false;

  @query('#input') private input!: HTMLInputElement;
  @query('#frame') private frame!: HTMLElement;
  @query('[part="scan-button"]') private scanButton!: HTMLButtonElement;
  @query('[part="stop-button"]') private stopButton!: HTMLButtonElement;

  private readonly camera = new CameraScanController(this, (text) => void this.scanned(text));
  /** The beacon last announced, so that edits which keep it valid do not repeat the event. */
  private lastBeacon = '';
  /** The beacon last written to the `for` element, to take back when the field is emptied. */
  private given: string | undefined;

  /** Reads a QR code from an image and treats its text like typed text. Resolves to that text, or null when no code was found. */
  async scanImage(source: QrImageSource): Promise<string | null> {
    try {
      const data = await (await loadCameraCode()).readImage(source);
      this.accept(data, true);
      return data;
    } catch (error) {
      this.scanFailed = true;
      const reason = error instanceof Error ? error.message : String(error);
      this.emit('ms-error', {code: 'INVALID_ARGUMENT', message: `no QR code could be read from the image: ${reason}`});
      return null;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) this.check = checkBeacon(this.value);
  }

  /**
   * Text from the person: validate, announce, feed the target. `entered`:
   * the whole text was put in at once (a paste, a drop, a scan), which
   * announces even the beacon already announced.
   */
  private accept(text: string, entered = false): void {
    this.value = text;
    this.scanFailed = false;
    const check = checkBeacon(text);
    const target = findTarget(this, this.htmlFor) as BeaconTarget | null;
    if (check.state !== 'valid') {
      this.lastBeacon = '';
      if (check.state === 'empty') this.takeBack(target);
      return;
    }
    const again = entered || target?.state === 'disconnected';
    if (check.beacon === this.lastBeacon && !again) return;
    this.lastBeacon = check.beacon;
    this.emit('ms-beacon', {beacon: check.beacon, decoded: check.decoded});
    if (!target) return;
    target.beacon = check.beacon;
    this.given = check.beacon;
  }

  /** The field was emptied: the beacon it gave goes, unless something else has replaced it since. */
  private takeBack(target: BeaconTarget | null): void {
    if (target && this.given !== undefined && target.beacon === this.given) target.beacon = undefined;
    this.given = undefined;
  }

  private onInput(event: Event): void {
    const kind = event instanceof InputEvent ? event.inputType : '';
    this.accept((event.target as HTMLInputElement).value, WHOLE_ENTRIES.has(kind));
  }

  private async startCamera(): Promise<void> {
    this.scanFailed = false;
    const started = this.camera.start(this.frame);
    await this.updateComplete;
    if (this.camera.state === 'starting') this.stopButton.focus(); // the scan button is gone
    await started;
    await this.updateComplete;
    if (this.camera.state === 'unavailable') this.scanButton.focus();
  }

  private async stopCamera(): Promise<void> {
    this.camera.stop();
    await this.updateComplete;
    this.scanButton.focus();
  }

  private async scanned(text: string): Promise<void> {
    this.accept(text, true);
    await this.updateComplete;
    this.input.focus();
  }

  private onViewfinderKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') void this.stopCamera();
  }

  private async onFile(event: Event): Promise<void> {
    const chooser = event.target as HTMLInputElement;
    const file = chooser.files?.[0];
    chooser.value = ''; // choosing the same file again fires `change` again
    if (file) await this.scanImage(file);
  }

  protected override render(): TemplateResult {
    const invalid = this.check.state === 'invalid';
    const cameraOn = this.camera.state === 'starting' || this.camera.state === 'scanning';
    return html`<div part="base">
      <label part="label" for="input"><slot name="label">Beacon</slot></label>
      <div part="field">
        <input id="input" part="input" type="text" autocomplete="off" autocapitalize="off" spellcheck="false"
          .value=${live(this.value)} placeholder=${this.placeholder || nothing}
          aria-invalid=${invalid ? 'true' : nothing} aria-describedby="message" @input=${this.onInput} />
        <button part="scan-button" type="button" ?hidden=${cameraOn} @click=${this.startCamera}>
          <slot name="scan-label">Scan QR code</slot>
        </button>
      </div>
      <div id="message" part="message" role="status" aria-live="polite" data-state=${this.check.state}>${this.renderVerdict()}</div>
      <div part="viewfinder" ?hidden=${!cameraOn} @keydown=${this.onViewfinderKey}>
        <div id="frame"></div>
        <button part="stop-button" type="button" @click=${this.stopCamera}><slot name="stop-label">Stop</slot></button>
      </div>
      <div part="scan-message" role="status" aria-live="polite">${this.renderScanNews()}</div>
      ${this.camera.state === 'unavailable' ? this.renderFileChooser() : nothing}
    </div>`;
  }

  private renderVerdict(): TemplateResult | typeof nothing {
    const check = this.check;
    if (check.state === 'empty') return nothing;
    if (check.state === 'valid') return html`<slot name="valid">Beacon OK</slot>`;
    // A page may translate each code, or fill only `error` to cover them all.
    return html`<slot name="error-${check.code}"><slot name="error">${beaconErrorText(check.code)}</slot></slot>`;
  }

  private renderScanNews(): TemplateResult {
    const state = this.camera.state;
    return html`${state === 'starting' || state === 'scanning'
      ? html`<div><slot name="scanning">Point the camera at the beacon's QR code.</slot></div>`
      : nothing}${state === 'unavailable'
      ? html`<div><slot name="no-camera">No camera is available, or permission to use it was refused. You can choose a picture of the QR code instead.</slot></div>`
      : nothing}${this.scanFailed
      ? html`<div><slot name="scan-error">No QR code could be read from this picture.</slot></div>`
      : nothing}`;
  }

  private renderFileChooser(): TemplateResult {
    // The real file input stays, visually hidden but focusable; its label is styled as the button.
    return html`<div part="file">
      <input id="file" part="file-input" class="visually-hidden" type="file" accept="image/*" @change=${this.onFile} />
      <label part="file-label" class="button" for="file"><slot name="file-label">Choose an image</slot></label>
    </div>`;
  }
}
