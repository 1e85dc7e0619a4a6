import {css} from 'lit';
import {hostStyles} from './internal/shared.styles.js';

export const providerStyles = [
  hostStyles,
  css`
.activity{display:grid;gap:.25rem}
.activity-label{opacity:.75}
.requests,.no-activity{margin:0}
.requests{display:grid;gap:.25rem;padding-inline-start:1.25rem}
[data-outcome=refused],[data-outcome=failed],[data-outcome=unknown]{color:var(--_bad)}
/* The slotted content is the grid item: an empty beacon slot takes no room. */
.beacon{display:contents}
`,
];
