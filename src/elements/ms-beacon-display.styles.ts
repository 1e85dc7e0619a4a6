import {css} from 'lit';
import {qrStyles} from './internal/qr-code.js';
import {buttonStyles, themeStyles} from './internal/shared.styles.js';

export const styles = [
  themeStyles,
  buttonStyles,
  qrStyles,
  css`
:host{display:inline-block;max-width:100%}
[part=base]{display:grid;gap:.75rem;justify-items:center;max-width:var(--ms-qr-size,16rem);padding:.75rem;color:var(--_fg);background:var(--_bg);border-radius:var(--_radius)}
[part=text]{font:.8125em var(--_mono);overflow-wrap:anywhere}
[part=actions]{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
`,
];
