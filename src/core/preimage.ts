/**
 * Payment preimages: the one place that decides whether a preimage pays an
 * invoice (SHA-256 of its 32 bytes equals the invoice's payment hash), and
 * that reads the encodings wallets really return.
 */
import {sha256} from '@noble/hashes/sha2.js';
import {base64, base64nopad, base64url, base64urlnopad} from '@scure/base';
import {fromHex, toHex} from './bytes.js';

const PREIMAGE_BYTES = 32;
const HEX_RE = /^(?:0x)?[0-9a-fA-F]{64}$/;

/** SHA-256 of a hex preimage, as lower-case hex; '' when it is not hex. */
export function hashOfPreimage(preimageHex: string): string {
  const bytes = fromHex(preimageHex);
  return bytes.ok ? toHex(sha256(bytes.value)) : '';
}

/** True when `preimageHex` (64 lower-case hex characters) hashes to `paymentHash`. */
export function preimagePays(preimageHex: string, paymentHash: string): boolean {
  return /^[0-9a-f]{64}$/.test(preimageHex) && hashOfPreimage(preimageHex) === paymentHash;
}

/**
 * Reads a preimage as wallets return it: hex in either case (with or without
 * `0x`), base64 or base64url (LND's REST API), or raw bytes. Returns 64
 * lower-case hex characters, or undefined when it is none of these.
 */
export function normalizePreimage(value: unknown): string | undefined {
  const bytes = preimageBytes(value);
  return bytes?.length === PREIMAGE_BYTES ? toHex(bytes) : undefined;
}

function preimageBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (HEX_RE.test(text)) {
    const bytes = fromHex(text.replace(/^0x/, '').toLowerCase());
    return bytes.ok ? bytes.value : undefined;
  }
  // 32 bytes are 44 base64 characters with padding, 43 without.
  if (text.length !== 43 && text.length !== 44) return undefined;
  for (const coder of [base64, base64nopad, base64url, base64urlnopad]) {
    try {
      return coder.decode(text);
    } catch {
      // not this alphabet or padding; try the next
    }
  }
  return undefined;
}
