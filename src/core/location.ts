/**
 * Beacon locations: where the two peers meet. Only WebSocket locations can be
 * connected to in v0; the others are placeholders both libraries define.
 */
import {concatBytes, utf8DecodeLenient, utf8DecodeStrict, utf8Encode} from './bytes.js';
import {decodeSmallBigSize, encodeBigSize} from './bigsize.js';
import {fail, ok, type Result} from './errors.js';
import {encodeTlv, parseTlvStream, type TlvRecord} from './tlv.js';

export interface WebSocketLocation {
  type: 'WebSocket';
  host: string;
  port: number;
  use_tls: boolean;
}

export type PlaceholderKind = 'WebRTC' | 'Bluetooth' | 'NFC';

export interface PlaceholderLocation {
  type: PlaceholderKind;
  placeholder_string: string;
}

export type Location = WebSocketLocation | PlaceholderLocation;

export const LOCATION_TLV_TYPES = {
  WebSocket: 65987n,
  WebRTC: 65989n,
  Bluetooth: 65991n,
  NFC: 65993n,
} as const;

const HOST = 0n;
const USE_TLS = 1n;
const PORT = 2n;
const PLACEHOLDER = 0n;

export function defaultPort(useTls: boolean): number {
  return useTls ? 443 : 80;
}

/** `wss://host:port` or `ws://host:port`: the port always spelled out, no path. */
export function webSocketUrl(location: WebSocketLocation): string {
  return `${location.use_tls ? 'wss' : 'ws'}://${location.host}:${location.port}`;
}

/** Parses `ws://host[:port]` or `wss://host[:port]` (no path, query or credentials). */
export function parseWebSocketUrl(url: string): Result<WebSocketLocation> {
  const match = /^(wss?):\/\/([^/:?#@\s]+)(?::(\d{1,5}))?\/?$/i.exec(url.trim());
  if (!match) {
    return fail('LOCATION_INVALID', `not a WebSocket address: "${url}" (expected ws://host[:port] or wss://host[:port])`);
  }
  const useTls = match[1]!.toLowerCase() === 'wss';
  const port = match[3] === undefined ? defaultPort(useTls) : Number(match[3]);
  if (port < 1 || port > 65535) return fail('LOCATION_INVALID', `port ${port} is out of range`);
  return ok({type: 'WebSocket', host: match[2]!, port, use_tls: useTls});
}

export function encodeLocation(location: Location): Uint8Array {
  if (location.type === 'WebSocket') return encodeTlv(LOCATION_TLV_TYPES.WebSocket, encodeWebSocketValue(location));
  const value = encodeTlv(PLACEHOLDER, utf8Encode(location.placeholder_string));
  return encodeTlv(LOCATION_TLV_TYPES[location.type], value);
}

// Defaults are never written, exactly as both reference encoders do.
function encodeWebSocketValue(location: WebSocketLocation): Uint8Array {
  const parts = [encodeTlv(HOST, utf8Encode(location.host))];
  if (!location.use_tls) parts.push(encodeTlv(USE_TLS, encodeBigSize(0)));
  if (location.port !== defaultPort(location.use_tls)) parts.push(encodeTlv(PORT, encodeBigSize(location.port)));
  return concatBytes(...parts);
}

export function decodeLocation(record: TlvRecord): Result<Location> {
  switch (record.type) {
    case LOCATION_TLV_TYPES.WebSocket:
      return decodeWebSocket(record.value);
    case LOCATION_TLV_TYPES.WebRTC:
      return decodePlaceholder('WebRTC', record.value);
    case LOCATION_TLV_TYPES.Bluetooth:
      return decodePlaceholder('Bluetooth', record.value);
    case LOCATION_TLV_TYPES.NFC:
      return decodePlaceholder('NFC', record.value);
    default:
      return fail('BEACON_UNKNOWN_LOCATION', `unknown location type ${record.type}`, 'unknown location type');
  }
}

/** Sub-records into a map: later duplicates win, unknown types are ignored (as js). */
function subRecords(value: Uint8Array): Result<Map<bigint, Uint8Array>> {
  const records = parseTlvStream(value);
  if (!records.ok) return invalid(`malformed location record: ${records.error.message}`, records.error.reason);
  return ok(new Map(records.value.map((r) => [r.type, r.value])));
}

function decodeWebSocket(value: Uint8Array): Result<Location> {
  const map = subRecords(value);
  if (!map.ok) return map;
  const hostBytes = map.value.get(HOST);
  if (hostBytes === undefined) return invalid('WebSocket location has no host', 'no host tlv given');
  // js decodes the host leniently; receive like js.
  const host = utf8DecodeLenient(hostBytes);
  let useTls = true;
  const tlsBytes = map.value.get(USE_TLS);
  if (tlsBytes !== undefined) {
    const tls = decodeSmallBigSize(tlsBytes);
    if (!tls.ok) return invalid(`bad use_tls value: ${tls.error.message}`, tls.error.reason);
    if (tls.value.value > 1) return invalid('use_tls must be 0 or 1', 'error decoding use_tls setting');
    useTls = tls.value.value === 1;
  }
  let port = defaultPort(useTls);
  const portBytes = map.value.get(PORT);
  if (portBytes !== undefined) {
    const read = decodeSmallBigSize(portBytes);
    if (!read.ok) return invalid(`bad port value: ${read.error.message}`, read.error.reason);
    port = read.value.value;
  }
  return ok({type: 'WebSocket', host, port, use_tls: useTls});
}

function decodePlaceholder(kind: PlaceholderKind, value: Uint8Array): Result<Location> {
  const map = subRecords(value);
  if (!map.ok) return map;
  const bytes = map.value.get(PLACEHOLDER);
  if (bytes === undefined) return invalid(`${kind} location has no placeholder`, 'no placeholder tlv given');
  const text = utf8DecodeStrict(bytes);
  if (text === undefined) return invalid(`${kind} placeholder is not UTF-8`, 'error decoding placeholder string');
  return ok({type: kind, placeholder_string: text});
}

function invalid(message: string, reason: string | undefined): Result<never> {
  return fail('BEACON_LOCATION_INVALID', message, reason);
}
