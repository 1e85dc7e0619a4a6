import {css} from 'lit';
import {buttonStyles, hostStyles} from './internal/shared.styles.js';

export const styles = [
  hostStyles,
  buttonStyles,
  css`
[part=base],[part=viewfinder]{display:grid;gap:.5rem}
[part=label]{font-weight:600}
[part=field],[part=file]{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
[part=input]{flex:1 1 12rem;min-width:0;font:inherit;font-family:var(--_mono);color:var(--_fg);background:var(--_bg);border:1px solid;border-radius:var(--_radius);padding:.5rem .625rem}
[part=input][aria-invalid=true]{border-color:var(--_bad)}
[part=message]{min-height:1.5em}
/* Out of the flow while it has nothing to say (no gap below the field), but still a live region. */
[part=scan-message]:empty{position:absolute}
[part=message][data-state=invalid]{color:var(--_bad)}
[part=message][data-state=valid]{color:var(--_ok)}
[part=viewfinder]{justify-items:start}
/* qr-scanner writes opacity/width/height 0 inline on a shadow-DOM video; these win. */
video{display:block;opacity:1!important;width:var(--ms-video-width,100%)!important;height:auto!important;max-width:100%;border-radius:var(--_radius);background:#000}
/* The file input is hidden but focusable: its label is the button people see. */
[part=file-input]:focus-visible+[part=file-label]{outline:2px solid var(--_accent);outline-offset:2px}
`,
];
