/** The Moneysocket v0 protocol core: no DOM, no Node APIs. */
export * from './errors.js';
export * from './bytes.js';
export * from './bigsize.js';
export * from './tlv.js';
