/** moneysocket-elements: the protocol core, the stacks, the currency tables and the custom elements. */
export * from './core/index.js';
export * from './core/stack/index.js';
export * from './core/currencies-entry.js';
export * from './elements/index.js';
