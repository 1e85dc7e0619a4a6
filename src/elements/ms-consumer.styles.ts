import {css} from 'lit';
import {hostStyles} from './internal/shared.styles.js';

export const consumerStyles = [
  hostStyles,
  css`
.details{display:grid;gap:.25rem;margin:0}
.row{display:flex;justify-content:space-between;gap:1rem}
dt{opacity:.75}
dd{margin:0;font-variant-numeric:tabular-nums;text-align:end}
.error{color:var(--_bad)}
`,
];
