/**
 * A copy button and the live region that says how copying went, shared by
 * `<ms-beacon-display>` and `<ms-payment>`.
 */
import {html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult} from 'lit';
import {copyText} from './clipboard.js';

type Host = ReactiveControllerHost & {readonly renderRoot: HTMLElement | DocumentFragment};

export interface CopyOptions {
  /** The text to copy; the button is disabled while it is ''. */
  text(): string;
  /** Selected when the browser allowed no way to copy, so the person can press Ctrl+C. */
  selectable(): Node | null;
  /** How long "Copied" stays, in milliseconds. */
  duration(): number;
  /** After a successful copy (the host fires `ms-copy`). */
  copied(text: string): void;
}

export class CopyButton implements ReactiveController {
  readonly #host: Host;
  readonly #options: CopyOptions;
  #feedback: 'copied' | 'failed' | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: Host, options: CopyOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  /** The `copy-button` part, then the polite live region (part `statusPart`) announcing the result. */
  render(statusPart: string): TemplateResult {
    return html`<button part="copy-button" type="button" ?disabled=${this.#options.text() === ''} @click=${() => void this.#copy()}>
        <slot name="copy-label">Copy</slot>
      </button>
      <span part=${statusPart} role="status" aria-live="polite">${this.#renderFeedback()}</span>`;
  }

  async #copy(): Promise<void> {
    const text = this.#options.text();
    if (text === '') return;
    const root = this.#host.renderRoot;
    const copied = await copyText(text, root as ShadowRoot);
    root.querySelector<HTMLElement>('[part="copy-button"]')?.focus(); // the fallback's hidden textarea took the focus
    const selectable = copied ? null : this.#options.selectable();
    if (selectable) getSelection()?.selectAllChildren(selectable);
    await this.#announce(copied ? 'copied' : 'failed');
    if (copied) this.#options.copied(text);
  }

  /** Clears the live region first, so copying twice is announced twice. */
  async #announce(feedback: 'copied' | 'failed'): Promise<void> {
    clearTimeout(this.#timer);
    this.#show(undefined);
    await this.#host.updateComplete;
    this.#show(feedback);
    this.#timer = setTimeout(() => this.#show(undefined), this.#options.duration());
  }

  #show(feedback: 'copied' | 'failed' | undefined): void {
    this.#feedback = feedback;
    this.#host.requestUpdate();
  }

  #renderFeedback(): TemplateResult | typeof nothing {
    if (this.#feedback === 'copied') return html`<slot name="copied-label">Copied</slot>`;
    if (this.#feedback === 'failed') return html`<slot name="copy-failed">Could not copy: select the text and copy it.</slot>`;
    return nothing;
  }
}
