import {css} from 'lit';
import {buttonStyles} from './internal/shared.styles.js';

export const styles = [
  buttonStyles,
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
  [part='qr'] {
    width: var(--ms-qr-size, 16rem);
    max-width: 100%;
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
  }
  /* The SVG's own fill attributes (black on white) are what a copied or saved code keeps. */
  .qr-background {
    fill: var(--ms-qr-background, #fff);
  }
  .qr-modules {
    fill: var(--ms-qr-color, #000);
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
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`,
];
