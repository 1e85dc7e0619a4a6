import {css} from 'lit';
import {hostStyles} from './internal/shared.styles.js';

export const providerStyles = [
  hostStyles,
  css`
    .activity {
      display: grid;
      gap: 0.25rem;
    }
    .activity-label {
      opacity: 0.8;
    }
    .requests,
    .no-activity {
      margin: 0;
    }
    .requests {
      display: grid;
      gap: 0.25rem;
      padding-inline-start: 1.25rem;
    }
    [data-outcome='refused'],
    [data-outcome='failed'],
    [data-outcome='unknown'] {
      color: var(--ms-danger, #b91c1c);
    }
    /* The slotted content is the grid item: an empty beacon slot takes no room. */
    .beacon {
      display: contents;
    }
  `,
];
