/**
 * The Moneysocket v0 protocol core (`moneysocket-elements/core`): beacons,
 * seeds, BigSize/TLV, frames, messages and the wad. No DOM, no Node APIs.
 * The stacks are in `./stack` and the currency tables in `./currencies`, so
 * that a page that only speaks the wire format does not carry them.
 */
export * from './errors.js';
export * from './bytes.js';
export * from './bigsize.js';
export * from './tlv.js';
export * from './seed.js';
export * from './location.js';
export * from './beacon.js';
export * from './uuid.js';
export * from './message-codec.js';
export * from './message-types.js';
export * from './frame.js';
export {
  bitcoinWad,
  checkWadForWire,
  formatWad,
  serializeWad,
  validateWad,
  WAD_KEYS,
  wadForWire,
  wadToJson,
  type Wad,
  type WadArgs,
  type WadMetadata,
} from './wad.js';
