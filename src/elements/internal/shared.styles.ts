/**
 * The looks every element shares. Written compact: Lit keeps a stylesheet's
 * white space, and these ship in the main browser file.
 *
 * Each element reads its colours from private `--_*` properties, set here
 * from the page's `--ms-*` properties or the theme's defaults. The defaults
 * follow `prefers-color-scheme`; `theme="light"` or `theme="dark"` fixes one.
 * A page's `--ms-*` value wins in both themes (README: "Looks and dark mode").
 */
import {css} from 'lit';

/** The dark defaults, used twice below: for `theme="dark"`, and for the reader's dark preference. */
const dark = css`--_fg:var(--ms-color,#e6edf3);--_bg:var(--ms-background,#161b22);--_accent:var(--ms-accent,#58a6ff);--_on-accent:var(--ms-accent-contrast,#0d1117);--_ok:var(--ms-success,#3fb950);--_bad:var(--ms-danger,#f85149);--_warn:var(--ms-warning,#d29922);color-scheme:dark;`;

/** Tokens, the system font, the focus ring and a visually hidden helper: in every element. */
export const themeStyles = css`
:host{--_fg:var(--ms-color,#1f2328);--_bg:var(--ms-background,#fff);--_accent:var(--ms-accent,#0969da);--_on-accent:var(--ms-accent-contrast,#fff);--_ok:var(--ms-success,#1a7f37);--_bad:var(--ms-danger,#cf222e);--_warn:var(--ms-warning,#9a6700);color-scheme:light;--_line:var(--ms-border,color-mix(in srgb,var(--_fg) 25%,transparent));--_radius:var(--ms-radius,.5rem);--_mono:var(--ms-mono-font,ui-monospace,SFMono-Regular,Menlo,Consolas,monospace);font:var(--ms-font,1em/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);box-sizing:border-box}
:host([theme=dark]){${dark}}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){${dark}}}
:host([hidden]),[hidden]{display:none!important}
:focus-visible,::slotted(:focus-visible){outline:2px solid var(--_accent);outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;

/** The card the connection and payment elements draw: their own colours, border and spacing. */
export const hostStyles = [
  themeStyles,
  css`
:host{display:block;color:var(--_fg);background:var(--_bg);border:1px solid var(--_line);border-radius:var(--_radius);padding:.75rem 1rem}
.base{display:grid;gap:.5rem}
.label{font-weight:600}
.state{display:flex;align-items:center;gap:.5rem}
.indicator{flex:none;width:.625rem;height:.625rem;border-radius:50%;border:1px solid var(--_c,currentColor);background:var(--_c,transparent)}
:host([state=connecting]) .indicator,:host([state=waiting-for-peer]) .indicator,:host([state=handshaking]) .indicator{--_c:var(--_accent)}
:host([state=connected]) .indicator{--_c:var(--ms-state-connected-color,var(--_ok))}
:host([state=reconnecting]) .indicator{--_c:var(--ms-state-error-color,var(--_bad))}
.muted{opacity:.75}
@media (prefers-reduced-motion:no-preference){.indicator{transition:background-color .15s,border-color .15s}}
`,
];

/**
 * Every button, and the label that stands for the file chooser: one accent.
 * Outlined by default; `.primary` is filled.
 */
export const buttonStyles = css`
button,.button{display:inline-block;font:inherit;font-weight:600;line-height:1.25;color:var(--_accent);background:transparent;border:1px solid;border-radius:var(--_radius);padding:.5rem .875rem;cursor:pointer}
button:hover,.button:hover{background:color-mix(in srgb,var(--_accent) 12%,transparent)}
.primary,.primary:hover{color:var(--_on-accent);background:var(--_accent);border-color:var(--_accent)}
button:disabled{cursor:default;opacity:.5}
`;
