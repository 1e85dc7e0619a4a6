/**
 * moneysocket-elements: the protocol core, the stacks, the currency tables and
 * the custom elements, registered under their `ms-` tags. For the classes
 * without registration, import `moneysocket-elements/elements`.
 */
import './elements/define/index.js';

export * from './core/index.js';
export * from './core/stack/index.js';
export * from './core/currencies-entry.js';
export * from './elements/index.js';
