/** Byte helpers shared by the codecs. Web-platform only: no Buffer, no DOM. */
import {fail, ok, type Result} from './errors.js';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const utf8Encoder = new TextEncoder();
const strictUtf8Decoder = new TextDecoder('utf-8', {fatal: true});
const lenientUtf8Decoder = new TextDecoder('utf-8');

// A table of the 256 byte spellings: toHex runs for every uuid, payment hash and preimage.
const HEX_BYTES = Array.from({length: 256}, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTES[bytes[i]!];
  return out;
}

export function fromHex(hex: string): Result<Uint8Array> {
  if (!HEX_RE.test(hex)) return fail('HEX_INVALID', 'expected an even number of hex digits');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return ok(out);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Strict UTF-8: undefined when the bytes are not valid UTF-8. */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Lenient UTF-8 with replacement characters, as js-moneysocket decodes. */
export function utf8DecodeLenient(bytes: Uint8Array): string {
  return lenientUtf8Decoder.decode(bytes);
}

// getRandomValues costs microseconds per call whatever the size, and every
// frame needs an IV and most a uuid: draw them from a pool filled in bulk.
// Each pooled byte is handed out once, so this is as random as direct calls.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

export function randomBytes(length: number): Uint8Array {
  if (length > POOL_SIZE / 4) {
    const out = new Uint8Array(length);
    crypto.getRandomValues(out);
    return out;
  }
  if (poolOffset + length > POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const out = pool.slice(poolOffset, poolOffset + length);
  pool.fill(0, poolOffset, poolOffset + length); // nothing handed out stays behind
  poolOffset += length;
  return out;
}
