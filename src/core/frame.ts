/**
 * WebSocket frames (PROTOCOL.md section 3): clear JSON for the four
 * rendezvous messages, `IV || AES-256-CBC(key, IV, zero_pad(JSON))` for the
 * rest. Receivers tell the two apart by content, exactly as js does.
 */
import {cbc} from '@noble/ciphers/aes.js';
import {randomBytes, utf8DecodeLenient, utf8Encode} from './bytes.js';
import {fail, ok, type Result} from './errors.js';
import {decodeMessage, encodeMessage, messageName, validateMessage, type Message, type MessageRegistry} from './message-codec.js';
import {CLEAR_MESSAGE_NAMES, defaultRegistry} from './message-types.js';
import type {SharedSeed} from './seed.js';
import {aesKeyOf} from './seed-keys.js';

const BLOCK = 16;

/** Frames above this are refused unread; no v0 message comes close. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

/** Appends 1..16 zero bytes: a whole block when already aligned (never PKCS#7). */
export function zeroPad(plaintext: Uint8Array): Uint8Array {
  const padded = new Uint8Array(plaintext.length + BLOCK - (plaintext.length % BLOCK));
  padded.set(plaintext);
  return padded;
}

/** Drops every trailing 0x00: JSON never ends in NUL, so this is lossless. */
export function stripZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

/**
 * AES-256-CBC over whole blocks, without padding (v0 zero-pads its plaintext
 * itself). Chosen at run time (`FrameOptions.cipher`, the stacks' `cipher`
 * option), so a platform's faster one can be used while the core stays
 * platform-free.
 */
export interface FrameCipher {
  /** Encrypts `plaintext` (whole blocks) into `out`, which has the same length and may be `plaintext` itself. */
  encrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, out: Uint8Array): void;
  /** Decrypts `ciphertext` (whole blocks); returns the plaintext. */
  decrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;
}

/** The default: noble's `cbc` with padding off. */
export const nobleCbc: FrameCipher = {
  encrypt: (key, iv, plaintext, out) => void cbc(key, iv, {disablePadding: true}).encrypt(plaintext, out),
  decrypt: (key, iv, ciphertext) => cbc(key, iv, {disablePadding: true}).decrypt(ciphertext),
};

export function encryptPayload(key: Uint8Array, plaintext: Uint8Array, iv: Uint8Array = randomBytes(BLOCK), cipher: FrameCipher = nobleCbc): Uint8Array {
  // One allocation: the IV, then the zero-padded plaintext, encrypted where it lies.
  const frame = new Uint8Array(2 * BLOCK + plaintext.length - (plaintext.length % BLOCK));
  frame.set(iv);
  frame.set(plaintext, BLOCK);
  const body = frame.subarray(BLOCK);
  cipher.encrypt(key, iv, body, body);
  return frame;
}

export function decryptPayload(key: Uint8Array, frame: Uint8Array, cipher: FrameCipher = nobleCbc): Result<Uint8Array> {
  if (frame.length < BLOCK) {
    return fail('FRAME_CIPHERTEXT', `encrypted frame is ${frame.length} bytes, shorter than its IV`, 'invalid initialation vector size (must be 16 bytes)');
  }
  const body = frame.subarray(BLOCK);
  if (body.length === 0 || body.length % BLOCK !== 0) {
    return fail('FRAME_CIPHERTEXT', `ciphertext of ${body.length} bytes is not a whole number of AES blocks`, 'invalid ciphertext size (must be multiple of 16 bytes)');
  }
  const plain = cipher.decrypt(key, frame.subarray(0, BLOCK), body);
  return ok(stripZeros(plain));
}

// Bytes a JSON text can start with (RFC 8259 whitespace and value starts).
const JSON_START = new Set([0x20, 0x09, 0x0a, 0x0d, 0x7b, 0x5b, 0x22, 0x2d, 0x74, 0x66, 0x6e, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);

/** Clear iff the payload decodes as UTF-8 and parses as any JSON value (3.5). */
export function classifyFrame(frame: Uint8Array): {clear: true; value: unknown} | {clear: false} {
  // Cheap pre-checks, with the same verdict as parsing: a first byte no JSON
  // text starts with, or a raw control byte JSON never contains (and UTF-8
  // never produces), means ciphertext. Without the second, about one random
  // IV in twelve would send the whole ciphertext through JSON.parse.
  // Weakening or dropping them changes only the speed, never the verdict.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: unobservable, see above (test/mutation/equivalents.md)
  if (frame.length === 0 || !JSON_START.has(frame[0]!) || hasControlByte(frame)) return {clear: false};
  try {
    return {clear: true, value: JSON.parse(utf8DecodeLenient(frame))};
  } catch {
    return {clear: false};
  }
}

function hasControlByte(bytes: Uint8Array): boolean {
  // Never finding a control byte only leaves the verdict to JSON.parse, which rejects them too.
  // Stryker disable next-line BooleanLiteral: unobservable (test/mutation/equivalents.md)
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  return false;
}

export interface FrameOptions {
  registry?: MessageRegistry;
  maxFrameBytes?: number;
  /** Fixed IV, for test vectors only. */
  iv?: Uint8Array;
  /** The AES-256-CBC implementation; noble's by default. */
  cipher?: FrameCipher;
}

/**
 * Encodes a message for the wire: clear for the rendezvous types, encrypted
 * for everything else. An AES-level message without a seed is refused rather
 * than sent in clear (receivers would reject it anyway).
 */
export function encodeFrame(message: Message, seed: SharedSeed | null, options: FrameOptions = {}): Result<Uint8Array> {
  const encoded = encodeMessage(message, options.registry ?? defaultRegistry);
  if (!encoded.ok) return encoded;
  const bytes = utf8Encode(encoded.value.text);
  if (encoded.value.spec.cryptLevel === 'CLEAR') return ok(bytes);
  if (seed === null) return fail('FRAME_NO_SEED', `${encoded.value.spec.name} must be encrypted, and no shared seed is bound`);
  return ok(encryptPayload(aesKeyOf(seed), bytes, options.iv, options.cipher));
}

/** Decodes one received frame exactly as a receiving peer (or, without a seed, the relay) would. */
export function decodeFrame(frame: Uint8Array, seed: SharedSeed | null, options: FrameOptions = {}): Result<Message> {
  const registry = options.registry ?? defaultRegistry;
  const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (frame.length > max) return fail('FRAME_TOO_LARGE', `frame of ${frame.length} bytes exceeds the ${max}-byte limit`);
  const kind = classifyFrame(frame);
  if (kind.clear) return decodeClear(kind.value, registry);
  if (seed === null) return fail('FRAME_NO_SEED', 'received an encrypted frame but no shared seed is bound', 'no seed to decrypt cyphertext');
  const plain = decryptPayload(aesKeyOf(seed), frame, options.cipher);
  if (!plain.ok) return plain;
  const decoded = decodeMessage(utf8DecodeLenient(plain.value), registry);
  if (!decoded.ok) return decoded;
  if (decoded.value.spec.cryptLevel === 'CLEAR') {
    return fail('FRAME_WRONG_CRYPT_LEVEL', `${decoded.value.spec.name} arrived encrypted but is always sent in clear`, 'got encrypted msg that should have been clear');
  }
  return ok(decoded.value.message);
}

function decodeClear(value: unknown, registry: MessageRegistry): Result<Message> {
  const checked = validateMessage(value, registry);
  if (!checked.ok) return checked;
  if (checked.value.spec.cryptLevel !== 'CLEAR') {
    const name = messageName(checked.value.message);
    return fail('FRAME_WRONG_CRYPT_LEVEL', `${name} arrived in clear but must be encrypted`, 'got clear msg that should have been encrypted');
  }
  return ok(checked.value.message);
}

export function isClearMessageName(name: string): boolean {
  return CLEAR_MESSAGE_NAMES.has(name);
}
