/** The Moneysocket v0 protocol core: no DOM, no Node APIs. */
export * from './errors.js';
export * from './bytes.js';
export * from './bigsize.js';
export * from './tlv.js';
export * from './seed.js';
export * from './location.js';
export * from './beacon.js';
export * from './uuid.js';
export * from './message.js';
export * from './messages.js';
export * from './frame.js';
export * from './wad.js';
export * from './currencies.js';
export * from './bolt11.js';
export * from './stack/index.js';
