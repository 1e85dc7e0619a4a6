import {css} from 'lit';
import {hostStyles} from './internal/shared.styles.js';

export const consumerStyles = [
  hostStyles,
  css`
    .details {
      display: grid;
      gap: 0.25rem;
      margin: 0;
    }
    .row {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
    }
    dt {
      opacity: 0.8;
    }
    dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    .error {
      color: var(--ms-danger, #b91c1c);
    }
  `,
];
