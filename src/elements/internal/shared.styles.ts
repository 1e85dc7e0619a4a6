/** Tokens and state colours both connection elements use, and the beacon elements' buttons. */
import {css} from 'lit';

export const hostStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    color: var(--ms-color, CanvasText);
    background: var(--ms-background, Canvas);
    border: 1px solid var(--ms-border, color-mix(in srgb, currentColor 25%, transparent));
    border-radius: var(--ms-radius, 0.5rem);
    font: var(--ms-font, inherit);
    padding: 0.75rem 1rem;
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    display: grid;
    gap: 0.5rem;
  }
  .label {
    font-weight: 600;
  }
  .state {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .indicator {
    flex: none;
    width: 0.625rem;
    height: 0.625rem;
    border-radius: 50%;
    border: 1px solid currentColor;
    background: transparent;
  }
  :host([state='connecting']) .indicator,
  :host([state='waiting-for-peer']) .indicator,
  :host([state='handshaking']) .indicator {
    border-color: var(--ms-accent, #f7931a);
    background: color-mix(in srgb, var(--ms-accent, #f7931a) 40%, transparent);
  }
  :host([state='connected']) .indicator {
    border-color: var(--ms-state-connected-color, #1a7f37);
    background: var(--ms-state-connected-color, #1a7f37);
  }
  :host([state='reconnecting']) .indicator {
    border-color: var(--ms-state-error-color, #cf222e);
    background: var(--ms-state-error-color, #cf222e);
  }
  /* Slotted links and buttons stay the page's, and stay visibly focusable. */
  ::slotted(:focus-visible) {
    outline: 2px solid var(--ms-accent, #f7931a);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .indicator {
      transition: background-color 150ms, border-color 150ms;
    }
  }
`;

/** The beacon elements' buttons: outlined in the accent colour, visibly focusable. */
export const buttonStyles = css`
  button {
    font: inherit;
    color: var(--ms-accent, #1d4ed8);
    background: transparent;
    border: 1px solid currentColor;
    border-radius: var(--ms-radius, 0.375rem);
    padding: 0.5rem 0.75rem;
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  button:focus-visible {
    outline: 2px solid var(--ms-accent, #1d4ed8);
    outline-offset: 2px;
  }
`;
