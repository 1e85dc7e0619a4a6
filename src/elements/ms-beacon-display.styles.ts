import {css} from 'lit';
import {qrStyles} from './internal/qr-code.js';
import {buttonStyles} from './internal/shared.styles.js';

export const styles = [
  buttonStyles,
  qrStyles,
  css`
  :host {
    display: inline-block;
    font: var(--ms-font, inherit);
    color: var(--ms-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    display: grid;
    gap: 0.75rem;
    justify-items: center;
    max-width: var(--ms-qr-size, 16rem);
    padding: 0.75rem;
    background: var(--ms-background, transparent);
    border-radius: var(--ms-radius, 0.375rem);
  }
  [part='text'] {
    font-family: var(--ms-mono-font, ui-monospace, monospace);
    font-size: 0.8125em;
    word-break: break-all;
    overflow-wrap: anywhere;
  }
  [part='actions'] {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    flex-wrap: wrap;
  }
`,
];
