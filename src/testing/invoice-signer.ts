/**
 * Creates and checks real, signed BOLT #11 invoices for tests, the demo wallet
 * and benchmarks. Not part of the protocol core: it pulls in secp256k1, which
 * the core's size budget cannot carry.
 */
import {bech32} from '@scure/base';
import {sha256} from '@noble/hashes/sha2.js';
import {secp256k1} from '@noble/curves/secp256k1.js';
import {concatBytes, equalBytes, fromHex, randomBytes, utf8Encode} from '../core/bytes.js';
import {decodeBolt11} from '../core/bolt11.js';

export interface InvoiceOptions {
  privateKey: Uint8Array;
  /** Millisatoshis; null makes an invoice without an amount. */
  msats: bigint | number | null;
  paymentHash: Uint8Array;
  description?: string;
  /** The x field; 3600 when absent. */
  expirySeconds?: number;
  /** Seconds since the epoch; now when absent. */
  timestamp?: number;
  network?: 'bc' | 'bcrt' | 'tb';
  /** The c field; 18, BOLT #11's default, when absent. */
  minFinalCltvExpiry?: number;
  /**
   * Write the payee's key in an n field (default true), so that
   * verifyInvoiceSignature can tell a tampered invoice from a genuine one.
   */
  includePayeeNodeKey?: boolean;
}

// Same limit as the decoder: invoices are longer than bech32's usual 90.
const LIMIT = 7089;
const MAX_MSATS = 21_000_000n * 100_000_000_000n; // every bitcoin there will be
const MAX_TIMESTAMP = 2 ** 35 - 1;

const TAG = {p: 1, s: 16, d: 13, x: 6, c: 24, n: 19, features: 5} as const;

/**
 * Features 8 (var_onion_optin) and 14 (payment_secret), both compulsory: what
 * current nodes expect next to an s field. Bit 14 is the top bit of the first
 * of three words, bit 8 the 2^3 bit of the second.
 */
const FEATURE_WORDS = [16, 8, 0];

export function createSignedInvoice(options: InvoiceOptions): string {
  const {privateKey, paymentHash} = options;
  if (paymentHash.length !== 32) throw new RangeError('paymentHash must be 32 bytes');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new RangeError(`timestamp ${timestamp} does not fit BOLT #11's 35 bits`);
  }

  const hrp = `ln${options.network ?? 'bc'}${options.msats === null ? '' : encodeAmount(options.msats)}`;
  const pubkey = secp256k1.getPublicKey(privateKey, true);
  const words: number[] = [
    ...intToWords(timestamp, 7),
    ...tagged(TAG.p, bech32.toWords(paymentHash)),
    ...tagged(TAG.s, bech32.toWords(randomBytes(32))),
    ...tagged(TAG.d, bech32.toWords(utf8Encode(options.description ?? ''))),
    ...tagged(TAG.x, intToWords(options.expirySeconds ?? 3600)),
    ...tagged(TAG.c, intToWords(options.minFinalCltvExpiry ?? 18)),
    ...tagged(TAG.features, FEATURE_WORDS),
  ];
  if (options.includePayeeNodeKey ?? true) words.push(...tagged(TAG.n, bech32.toWords(pubkey)));

  // 'recovered' puts the recovery id first; BOLT #11 wants r || s || id.
  const sig = secp256k1.sign(signingHash(hrp, words), privateKey, {prehash: false, format: 'recovered'});
  const sigBolt11 = concatBytes(sig.subarray(1), sig.subarray(0, 1));
  return bech32.encode(hrp, [...words, ...bech32.toWords(sigBolt11)], LIMIT);
}

/**
 * The compressed key (33 bytes) that signed the invoice, or null when the
 * invoice does not decode or no key can be recovered.
 */
export function recoverPayeeNodeKey(invoice: string): Uint8Array | null {
  if (!decodeBolt11(invoice).ok) return null;
  const decoded = bech32.decodeUnsafe(invoice, LIMIT);
  if (decoded === undefined) return null;
  const data = decoded.words.slice(0, -104);
  const sig = bech32.fromWordsUnsafe(decoded.words.slice(-104));
  if (sig === undefined) return null;
  const recovered = concatBytes(sig.subarray(64), sig.subarray(0, 64));
  try {
    return secp256k1.recoverPublicKey(recovered, signingHash(decoded.prefix, data), {prehash: false});
  } catch {
    return null; // r or s out of range, or no point for this recovery id
  }
}

/**
 * True when the invoice's signature recovers a key that matches its n field;
 * without an n field, true when any key can be recovered (all BOLT #11 asks).
 * `expectedPayee` (33 bytes or hex) pins the key for invoices without n.
 */
export function verifyInvoiceSignature(invoice: string, expectedPayee?: Uint8Array | string): boolean {
  const decoded = decodeBolt11(invoice);
  if (!decoded.ok) return false;
  const key = recoverPayeeNodeKey(invoice);
  if (key === null) return false;
  for (const want of [decoded.value.payeeNodeKey, expectedPayee]) {
    if (want === undefined) continue;
    const bytes = typeof want === 'string' ? fromHex(want) : {ok: true as const, value: want};
    if (!bytes.ok || !equalBytes(bytes.value, key)) return false;
  }
  return true;
}

/** A fresh random preimage and its payment hash, SHA256(preimage). */
export function newPreimage(): {preimage: Uint8Array; paymentHash: Uint8Array} {
  const preimage = randomBytes(32);
  return {preimage, paymentHash: sha256(preimage)};
}

/** BOLT #11 signs SHA256(hrp as UTF-8 || data words packed into bytes, zero-padded). */
function signingHash(hrp: string, words: number[]): Uint8Array {
  return sha256(concatBytes(utf8Encode(hrp), packWords(words)));
}

// bech32.fromWords refuses padding of 5 bits or more, which the signed data
// may need (its length is arbitrary), so pack the words here.
function packWords(words: number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil((words.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (const w of words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0) out[j] = (acc << (8 - bits)) & 0xff;
  return out;
}

/**
 * The hrp amount with the shortest exact multiplier: whole bitcoin first, then
 * milli, micro, nano, and pico (tenths of a millisatoshi) only when needed.
 */
export function encodeAmount(msats: bigint | number): string {
  const v = typeof msats === 'bigint' ? msats : Number.isInteger(msats) ? BigInt(msats) : -1n;
  if (v < 1n || v > MAX_MSATS) throw new RangeError(`invoice amount ${msats} msat is not in 1..${MAX_MSATS}`);
  const units: [bigint, string][] = [
    [100_000_000_000n, ''],
    [100_000_000n, 'm'],
    [100_000n, 'u'],
    [100n, 'n'],
  ];
  for (const [perUnit, letter] of units) {
    if (v % perUnit === 0n) return `${v / perUnit}${letter}`;
  }
  return `${v * 10n}p`;
}

function tagged(tag: number, data: number[]): number[] {
  if (data.length > 1023) throw new RangeError('tagged field longer than 1023 words');
  return [tag, data.length >> 5, data.length & 31, ...data];
}

/** Big-endian 5-bit words; as few as possible unless `width` is given. */
function intToWords(value: number, width?: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value}`);
  const out: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 32)) out.unshift(v % 32);
  if (width !== undefined) {
    if (out.length > width) throw new RangeError(`${value} does not fit ${width} words`);
    while (out.length < width) out.unshift(0);
  }
  return out;
}
