/** moneysocket-elements: the protocol core, the stacks, and the custom elements. */
export * from './core/index.js';
export * from './elements/index.js';
