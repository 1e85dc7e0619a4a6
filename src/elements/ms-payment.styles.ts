import {css} from 'lit';
import {qrStyles} from './internal/qr-code.js';
import {buttonStyles, hostStyles} from './internal/shared.styles.js';

export const paymentStyles = [
  hostStyles,
  buttonStyles,
  qrStyles,
  css`
:host{display:inline-block;max-width:100%}
.base{justify-items:center;text-align:center;max-width:var(--ms-qr-size,16rem)}
[part=amount]{font-size:1.5em;font-weight:600}
[part=invoice]{max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font:.75em var(--_mono);opacity:.75}
:host([state=paid]) .status{color:var(--ms-state-paid-color,var(--_ok))}
:host([state=failed]) .status,:host([state=expired]) .status,:host([state=error]) .status{color:var(--ms-state-error-color,var(--_bad))}
:host([state=outcome-unknown]) .status{color:var(--ms-state-unknown-color,var(--_warn))}
`,
];
