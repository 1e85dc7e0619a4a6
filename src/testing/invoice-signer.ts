/**
 * Creates and checks real, signed BOLT #11 invoices for tests, the demo wallet
 * and benchmarks. Not part of the protocol core: it pulls in secp256k1, which
 * the core's size budget cannot carry.
 */
import {bech32} from '@scure/base';
import {sha256} from '@noble/hashes/sha2.js';
import {secp256k1} from '@noble/curves/secp256k1.js';
import {concatBytes, randomBytes, utf8Encode} from '../core/bytes.js';
import {bolt11SigningHash, recoverPayeeNodeKey, verifyInvoiceSignature} from '../core/bolt11-signature.js';

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
  const sig = secp256k1.sign(bolt11SigningHash(hrp, words), privateKey, {prehash: false, format: 'recovered'});
  const sigBolt11 = concatBytes(sig.subarray(1), sig.subarray(0, 1));
  return bech32.encode(hrp, [...words, ...bech32.toWords(sigBolt11)], LIMIT);
}

export {recoverPayeeNodeKey, verifyInvoiceSignature};

/** A fresh random preimage and its payment hash, SHA256(preimage). */
export function newPreimage(): {preimage: Uint8Array; paymentHash: Uint8Array} {
  const preimage = randomBytes(32);
  return {preimage, paymentHash: sha256(preimage)};
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
