import {hostStyles} from './internal/shared.styles.js';

export const providerStyles = [hostStyles];
