/**
 * The Moneysocket v0 protocol core (`moneysocket-elements/core`): errors,
 * seeds, beacons, BigSize/TLV, messages, frames and the wad. No DOM, no Node
 * APIs. The stacks are in `./stack`, invoices and preimages in `./bolt11` and
 * the currency tables in `./currencies`, so that a page that only speaks the
 * wire format does not carry them.
 *
 * Every name is listed on purpose: byte, UTF-8, uuid and TLV-record helpers
 * stay internal, and `test/api/exports.json` records this surface.
 */
export {isMoneysocketError, MoneysocketError, unwrap, type ErrorCode, type Result} from './errors.js';
export {BIGSIZE_MAX, decodeBigSize, encodeBigSize, type BigSizeRead} from './bigsize.js';
export {encodeTlv, parseTlvStream, type TlvRecord} from './tlv.js';
export {SHARED_SEED_LENGTH, SharedSeed, type RendezvousId} from './seed.js';
export {aesKeyOf, rendezvousIdOf} from './seed-keys.js';
export {
  parseWebSocketUrl,
  webSocketUrl,
  type Location,
  type PlaceholderKind,
  type PlaceholderLocation,
  type WebSocketLocation,
} from './location.js';
export {
  BEACON_HRP,
  BEACON_MAX_LENGTH,
  beaconToJson,
  beaconWebSocket,
  createBeacon,
  decodeBeacon,
  encodeBeacon,
  type Beacon,
  type BeaconJson,
} from './beacon.js';
export {
  buildNotification,
  buildRequest,
  decodeMessage,
  DEFAULT_MAX_MESSAGE_CHARS,
  encodeMessage,
  MessageRegistry,
  messageName,
  PROTOCOL,
  PROTOCOL_VERSION,
  type CryptLevel,
  type EnvelopeOptions,
  type Message,
  type MessageClass,
  type MessageSpec,
  type NotificationEnvelope,
  type RequestEnvelope,
} from './message-codec.js';
export {
  createNotification,
  createRegistry,
  createRequest,
  defaultRegistry,
  isNotification,
  isRequest,
  V0_MESSAGE_SPECS,
  type Notification,
  type NotificationFields,
  type NotificationName,
  type Request,
  type RequestFields,
  type RequestName,
} from './message-types.js';
export {
  classifyFrame,
  decodeFrame,
  decryptPayload,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  encryptPayload,
  type FrameCipher,
  type FrameOptions,
} from './frame.js';
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
