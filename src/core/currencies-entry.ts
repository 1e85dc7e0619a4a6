/** `moneysocket-elements/currencies`: the fiat and crypto tables and wads built from them. */
export * from './currencies.js';
export {decodeWad, makeWad} from './wad-assets.js';
