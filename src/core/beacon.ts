/**
 * Beacons: the bech32 string (BIP-173, no length cap below 20000) that carries
 * the shared seed and the locations where the two peers meet.
 */
import {bech32} from '@scure/base';
import {concatBytes} from './bytes.js';
import {decodeSmallBigSize, encodeBigSize} from './bigsize.js';
import {fail, ok, type ErrorCode, type MoneysocketError, type Result} from './errors.js';
import {decodeLocation, encodeLocation, type Location, type WebSocketLocation} from './location.js';
import {SharedSeed} from './seed.js';
import {encodeTlv, popTlv, type TlvRead} from './tlv.js';

export const BEACON_HRP = 'moneysocket';
export const BEACON_MAX_LENGTH = 20000;

const TLV = {
  beacon: 65979n,
  sharedSeed: 65981n,
  locationCount: 65983n,
  locationList: 65985n,
} as const;

export interface Beacon {
  sharedSeed: SharedSeed;
  locations: Location[];
}

/** The dictionary form both reference libraries (and the vectors) use. */
export interface BeaconJson {
  shared_seed: string;
  locations: Location[];
}

export function createBeacon(locations: Location[], sharedSeed = SharedSeed.generate()): Beacon {
  return {sharedSeed, locations};
}

export function encodeBeaconBytes(beacon: Beacon): Uint8Array {
  const count = encodeTlv(TLV.locationCount, encodeBigSize(beacon.locations.length));
  const list = encodeTlv(TLV.locationList, concatBytes(count, ...beacon.locations.map(encodeLocation)));
  return encodeTlv(TLV.beacon, concatBytes(encodeTlv(TLV.sharedSeed, beacon.sharedSeed.bytes), list));
}

export function encodeBeacon(beacon: Beacon): string {
  return bech32.encode(BEACON_HRP, bech32.toWords(encodeBeaconBytes(beacon)), BEACON_MAX_LENGTH);
}

export function beaconToJson(beacon: Beacon): BeaconJson {
  return {shared_seed: beacon.sharedSeed.toHex(), locations: beacon.locations.map((l) => ({...l}))};
}

/** The first location, if it is a WebSocket one: the only one v0 stacks connect to. */
export function beaconWebSocket(beacon: Beacon): Result<WebSocketLocation> {
  const first = beacon.locations[0];
  if (first?.type !== 'WebSocket') {
    return fail('BEACON_NO_LOCATION', 'the beacon\'s first location is not a WebSocket address, so there is nowhere to connect');
  }
  return ok(first);
}

/**
 * Every WebSocket location, in the beacon's order: where stacks connect,
 * moving on to the next when one cannot be reached or drops.
 */
export function beaconWebSockets(beacon: Beacon): Result<WebSocketLocation[]> {
  const locations = beacon.locations.filter((location): location is WebSocketLocation => location.type === 'WebSocket');
  if (locations.length === 0) return fail('BEACON_NO_LOCATION', 'the beacon has no WebSocket address, so there is nowhere to connect');
  return ok(locations);
}

/**
 * Decodes a beacon string. Accepts all-lower or all-upper case, surrounding
 * whitespace, and the `moneysocket:` URI prefix some apps put in QR codes.
 */
export function decodeBeacon(text: string): Result<Beacon> {
  if (typeof text !== 'string') return fail('BEACON_BECH32', 'a beacon must be a string', 'got unexpected hrp');
  const bytes = beaconBytes(stripUriPrefix(text.trim()));
  if (!bytes.ok) return bytes;
  return decodeBeaconBytes(bytes.value);
}

function stripUriPrefix(text: string): string {
  return /^moneysocket:/i.test(text) ? text.slice('moneysocket:'.length) : text;
}

function beaconBytes(text: string): Result<Uint8Array> {
  // js funnels every bech32 failure into its HRP check; keep that as `reason`.
  const reason = 'got unexpected hrp';
  if (text.length > BEACON_MAX_LENGTH) {
    return fail('BEACON_BECH32', `a beacon is at most ${BEACON_MAX_LENGTH} characters; this one has ${text.length}`, reason);
  }
  let decoded: {prefix: string; words: number[]};
  try {
    decoded = bech32.decode(text as `${string}1${string}`, BEACON_MAX_LENGTH);
  } catch (e) {
    return bech32Failure(e, reason);
  }
  if (decoded.prefix !== BEACON_HRP) {
    return fail('BEACON_PREFIX', `not a moneysocket beacon: it starts with "${decoded.prefix}1", expected "${BEACON_HRP}1"`, reason);
  }
  const bytes = bech32.fromWordsUnsafe(decoded.words);
  if (bytes === undefined) return fail('BEACON_BECH32', 'the beacon\'s bech32 data has invalid padding', reason);
  return ok(bytes);
}

function bech32Failure(e: unknown, reason: string): Result<never> {
  const detail = e instanceof Error ? e.message : String(e);
  if (/checksum/i.test(detail)) {
    return fail('BEACON_CHECKSUM', 'the beacon\'s checksum is wrong: it was mistyped or cut short', reason);
  }
  return fail('BEACON_BECH32', `the beacon is not valid bech32: ${detail.slice(0, 120)}`, reason);
}

export function decodeBeaconBytes(bytes: Uint8Array): Result<Beacon> {
  const outer = pop(bytes, TLV.beacon, 'got unexpected tlv type');
  if (!outer.ok) return outer;
  const seedRecord = pop(outer.value.value, TLV.sharedSeed, 'got unexpected shared seed tlv type');
  if (!seedRecord.ok) return seedRecord;
  const seed = SharedSeed.fromBytes(seedRecord.value.value);
  if (!seed.ok) return fail('BEACON_SEED_LENGTH', `the beacon's shared seed is ${seedRecord.value.value.length} bytes; it must be 16`);
  const list = pop(seedRecord.value.rest, TLV.locationList, 'got unexpected location list tlv type');
  if (!list.ok) return list;
  const locations = decodeLocationList(list.value.value);
  if (!locations.ok) return locations;
  return ok({sharedSeed: seed.value, locations: locations.value});
}

function decodeLocationList(bytes: Uint8Array): Result<Location[]> {
  const countRecord = pop(bytes, TLV.locationCount, 'got unexpected location count tlv type');
  if (!countRecord.ok) return countRecord;
  const count = decodeSmallBigSize(countRecord.value.value);
  if (!count.ok) return beaconError(count.error);
  const locations: Location[] = [];
  let rest = countRecord.value.rest;
  // Every record consumes at least two bytes, so a huge count fails fast.
  for (let i = 0; i < count.value.value; i++) {
    const record = popTlv(rest);
    if (!record.ok) return beaconError(record.error);
    const location = decodeLocation(record.value);
    if (!location.ok) return location;
    locations.push(location.value);
    rest = record.value.rest;
  }
  return ok(locations);
}

function pop(bytes: Uint8Array, expected: bigint, wrongTypeReason: string): Result<TlvRead> {
  const record = popTlv(bytes);
  if (!record.ok) return beaconError(record.error);
  if (record.value.type !== expected) {
    return fail('BEACON_TLV_TYPE', `unexpected record type ${record.value.type} in the beacon (expected ${expected})`, wrongTypeReason);
  }
  return record;
}

/** A truncated beacon says so; other low-level errors keep their own code. */
function beaconError(error: MoneysocketError): Result<never> {
  const truncated: ErrorCode[] = ['BIGSIZE_UNDERRUN', 'TLV_TRUNCATED'];
  const code = truncated.includes(error.code) ? 'BEACON_TRUNCATED' : error.code;
  return fail(code, `the beacon is malformed: ${error.message}`, error.reason);
}
