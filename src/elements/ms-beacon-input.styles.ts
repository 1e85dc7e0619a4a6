import {css} from 'lit';
import {buttonStyles} from './internal/shared.styles.js';

export const styles = [
  buttonStyles,
  css`
  :host {
    display: block;
    font: var(--ms-font, inherit);
    color: var(--ms-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  [hidden] {
    display: none !important;
  }
  [part='base'] {
    display: grid;
    gap: 0.5rem;
  }
  [part='field'] {
    display: flex;
    gap: 0.5rem;
  }
  [part='input'] {
    flex: 1;
    min-width: 0;
    font: inherit;
    font-family: var(--ms-mono-font, ui-monospace, monospace);
    color: var(--ms-color, FieldText);
    background: var(--ms-background, Field);
    border: 1px solid currentColor;
    border-radius: var(--ms-radius, 0.375rem);
    padding: 0.5rem;
  }
  [part='input'][aria-invalid='true'] {
    border-color: var(--ms-danger, #b91c1c);
  }
  [part='input']:focus-visible,
  [part='file-input']:focus-visible {
    outline: 2px solid var(--ms-accent, #1d4ed8);
    outline-offset: 2px;
  }
  [part='message'][data-state='invalid'] {
    color: var(--ms-danger, #b91c1c);
  }
  [part='message'][data-state='valid'] {
    color: var(--ms-success, #15803d);
  }
  /* Reserved space: the message comes and goes while typing without moving the page. */
  [part='message'] {
    min-height: 1.5em;
  }
  [part='viewfinder'] {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }
  /* qr-scanner writes opacity/width/height 0 inline on a shadow-DOM video; these win. */
  video {
    display: block;
    opacity: 1 !important;
    width: var(--ms-video-width, 100%) !important;
    height: auto !important;
    max-width: 100%;
    border-radius: var(--ms-radius, 0.375rem);
    background: #000;
  }
  [part='file'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
`,
];
