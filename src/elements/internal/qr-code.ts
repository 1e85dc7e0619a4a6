/**
 * A QR code inside an element's template, shared by `<ms-beacon-display>`
 * and `<ms-payment>`: the encoder is a lazy chunk (qr.ts), so the code is
 * drawn a moment after the first render and the host renders again then.
 */
import {css, html, nothing, type ReactiveControllerHost, type TemplateResult} from 'lit';
import {qrShape, type QrShape} from './qr.js';

export class QrCode {
  readonly #host: ReactiveControllerHost;
  readonly #failed: (message: string) => void;
  #drawn: {payload: string; shape: QrShape} | undefined;
  #pending: string | undefined;
  #loading: Promise<void> | undefined;

  /** `failed` hears why a code could not be drawn (the encoder's chunk did not load). */
  constructor(host: ReactiveControllerHost, failed: (message: string) => void) {
    this.#host = host;
    this.#failed = failed;
  }

  /**
   * The `qr` part for `payload` (role `img`, named by `label`), or nothing
   * while the encoder loads. Fill attributes make a saved or copied SVG black
   * on white; `qrStyles` override them with the `--ms-qr-*` properties.
   */
  render(payload: string, label: TemplateResult): TemplateResult | typeof nothing {
    const shape = this.#shape(payload);
    if (shape === undefined) return nothing;
    const {size, path} = shape;
    return html`<div part="qr" role="img" aria-labelledby="qr-label">
      <span id="qr-label" class="visually-hidden">${label}</span>
      <svg viewBox="0 0 ${size} ${size}" aria-hidden="true" focusable="false" shape-rendering="crispEdges">
        <rect class="qr-background" width=${size} height=${size} fill="#fff"></rect>
        <path class="qr-modules" d=${path} fill="#000"></path>
      </svg>
    </div>`;
  }

  /**
   * For the host's `getUpdateComplete()`: also waits for a code being drawn
   * and the update that shows it, so callers see the finished element.
   */
  async settle(update: () => Promise<boolean>): Promise<boolean> {
    let result = await update();
    while (this.#loading !== undefined) {
      const loading = this.#loading;
      await loading;
      if (this.#loading === loading) this.#loading = undefined;
      result = await update();
    }
    return result;
  }

  #shape(payload: string): QrShape | undefined {
    if (this.#drawn?.payload === payload) return this.#drawn.shape;
    if (this.#pending !== payload) {
      this.#pending = payload;
      this.#loading = qrShape(payload).then(
        (shape) => {
          if (this.#pending !== payload) return;
          this.#drawn = {payload, shape};
          this.#host.requestUpdate();
        },
        (error: unknown) => this.#failed(`could not draw the QR code: ${String(error)}`),
      );
    }
    return undefined;
  }
}

/** The QR part's look (its hidden label uses `.visually-hidden` from the shared styles). */
export const qrStyles = css`
[part=qr]{width:var(--ms-qr-size,16rem);max-width:100%}
svg{display:block;width:100%;height:auto}
/* The SVG's own fill attributes (black on white) are what a copied or saved code keeps. */
.qr-background{fill:var(--ms-qr-background,#fff)}
.qr-modules{fill:var(--ms-qr-color,#000)}
`;
