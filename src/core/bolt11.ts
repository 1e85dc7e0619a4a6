/**
 * BOLT #11 invoice decoder for the protocol core.
 *
 * It reads what a wallet needs to show and check an invoice (amount, payment
 * hash, description, expiry) and returns the signature as it stands. It does
 * not recover the payee's key: that needs secp256k1, which would multiply the
 * core's size, and Moneysocket leaves paying (and so trusting) the invoice to
 * the provider's Lightning node. `src/testing/invoice-signer.ts` verifies.
 */
import {bech32} from '@scure/base';
import {fail, ok, type Result} from './errors.js';
import {toHex, utf8DecodeStrict} from './bytes.js';

export type Bolt11Network = 'bc' | 'tb' | 'bcrt' | 'tbs' | (string & {});

export interface DecodedInvoice {
  /** The currency prefix after "ln": bc, tb, bcrt, tbs, or another one as written. */
  network: Bolt11Network;
  /** The amount in millisatoshis, or null for an invoice without an amount. */
  msats: bigint | null;
  /** Creation time, seconds since the Unix epoch. */
  timestamp: number;
  paymentHash: string;
  paymentSecret?: string;
  description?: string;
  descriptionHash?: string;
  /** Seconds after `timestamp` that the invoice stays payable (3600 when absent). */
  expiry: number;
  expiresAt: number;
  minFinalCltvExpiry?: number;
  /** 33-byte compressed key from the n field, when the payee wrote one. */
  payeeNodeKey?: string;
  /** r || s, 64 bytes, as hex. */
  signature: string;
  recoveryFlag: number;
}

/**
 * Longest string accepted: the most a QR code holds in alphanumeric mode, which
 * is where invoices travel. Checked before any decoding so a hostile page
 * cannot make us checksum megabytes.
 */
export const BOLT11_MAX_LENGTH = 7089;

const DEFAULT_EXPIRY = 3600;
const TIMESTAMP_WORDS = 7;
const SIGNATURE_WORDS = 104; // 65 bytes: r, s and the recovery id

// Millisatoshis per unit of the hrp amount, by multiplier; 'p' is handled apart
// because one pico-bitcoin is a tenth of a millisatoshi.
const MSATS_PER_UNIT: Record<string, bigint> = {
  '': 100_000_000_000n,
  m: 100_000_000n,
  u: 100_000n,
  n: 100n,
};

// Tag numbers are the bech32 values of the letters BOLT #11 names them by.
const TAG_P = 1; // payment hash
const TAG_D = 13; // description
const TAG_N = 19; // payee node key
const TAG_H = 23; // description hash
const TAG_X = 6; // expiry
const TAG_C = 24; // min_final_cltv_expiry
const TAG_S = 16; // payment secret

// Fixed-size fields whose length is wrong MUST be skipped, not rejected (BOLT #11).
const FIXED_WORDS: Record<number, number> = {[TAG_P]: 52, [TAG_H]: 52, [TAG_S]: 52, [TAG_N]: 53};

function invalid(message: string): Result<never> {
  return fail('BOLT11_INVALID', message);
}

export function decodeBolt11(invoice: string): Result<DecodedInvoice> {
  if (typeof invoice !== 'string') return invalid('invoice must be a string');
  if (invoice.length > BOLT11_MAX_LENGTH) {
    return invalid(`invoice is ${invoice.length} characters; at most ${BOLT11_MAX_LENGTH} are accepted`);
  }
  // decodeUnsafe returns undefined instead of throwing on bad characters, mixed case or checksum.
  const decoded = bech32.decodeUnsafe(invoice, BOLT11_MAX_LENGTH);
  if (decoded === undefined) return invalid('not a valid bech32 string (characters, case or checksum)');

  const hrp = parseHrp(decoded.prefix);
  if (!hrp.ok) return hrp;

  const words = decoded.words;
  if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) return invalid('invoice data is too short');
  const tagsEnd = words.length - SIGNATURE_WORDS;
  const timestamp = wordsToInt(words.slice(0, TIMESTAMP_WORDS))!; // 35 bits always fit

  const sigBytes = bech32.fromWordsUnsafe(words.slice(tagsEnd));
  if (sigBytes === undefined || sigBytes.length !== 65) return invalid('malformed signature');
  const recoveryFlag = sigBytes[64]!;
  if (recoveryFlag > 3) return invalid(`signature recovery flag ${recoveryFlag} is not 0-3`);

  const fields = parseTags(words.slice(TIMESTAMP_WORDS, tagsEnd));
  if (!fields.ok) return fields;
  const f = fields.value;
  if (f.paymentHash === undefined) return invalid('invoice has no payment hash (p field)');

  const expiry = f.expiry ?? DEFAULT_EXPIRY;
  const out: DecodedInvoice = {
    network: hrp.value.network,
    msats: hrp.value.msats,
    timestamp,
    paymentHash: f.paymentHash,
    expiry,
    expiresAt: timestamp + expiry,
    signature: toHex(sigBytes.subarray(0, 64)),
    recoveryFlag,
  };
  // Only set what is present, so callers can rely on `'description' in decoded`.
  if (f.paymentSecret !== undefined) out.paymentSecret = f.paymentSecret;
  if (f.description !== undefined) out.description = f.description;
  if (f.descriptionHash !== undefined) out.descriptionHash = f.descriptionHash;
  if (f.minFinalCltvExpiry !== undefined) out.minFinalCltvExpiry = f.minFinalCltvExpiry;
  if (f.payeeNodeKey !== undefined) out.payeeNodeKey = f.payeeNodeKey;
  return ok(out);
}

/** The payment hash (hex) of an invoice, for matching a preimage to it. */
export function paymentHashOf(invoice: string): Result<string> {
  const decoded = decodeBolt11(invoice);
  return decoded.ok ? ok(decoded.value.paymentHash) : decoded;
}

/** True from `expiresAt` on: a payer should not start a payment the payee may already refuse. */
export function isExpired(decoded: Pick<DecodedInvoice, 'expiresAt'>, nowSeconds: number): boolean {
  return nowSeconds >= decoded.expiresAt;
}

// "ln" + currency prefix + optional amount. The prefix is letters only and the
// amount starts with a digit, so the first digit splits them (lnbcrt210n).
const HRP_RE = /^ln([a-z]+)(?:(\d+)([munp]?))?$/;

function parseHrp(prefix: string): Result<{network: string; msats: bigint | null}> {
  const m = HRP_RE.exec(prefix);
  if (m === null) return invalid(`"${prefix.slice(0, 40)}" is not a BOLT11 prefix with a valid amount`);
  const network = m[1]!;
  const digits = m[2];
  if (digits === undefined) return ok({network, msats: null});
  // Writers must use a positive amount without leading zeros; anything else is ambiguous.
  if (digits[0] === '0') return invalid('invoice amount must be positive, without leading zeros');
  const amount = BigInt(digits);
  const multiplier = m[3]!;
  if (multiplier === 'p') {
    // One pico-bitcoin is 0.1 msat: amounts that are not whole millisatoshis are invalid.
    if (amount % 10n !== 0n) return invalid('pico-bitcoin amount is not a whole number of millisatoshis');
    return ok({network, msats: amount / 10n});
  }
  return ok({network, msats: amount * MSATS_PER_UNIT[multiplier]!});
}

interface TagFields {
  paymentHash?: string;
  paymentSecret?: string;
  description?: string;
  descriptionHash?: string;
  expiry?: number;
  minFinalCltvExpiry?: number;
  payeeNodeKey?: string;
}

function parseTags(words: number[]): Result<TagFields> {
  const f: TagFields = {};
  let pos = 0;
  while (pos < words.length) {
    if (pos + 3 > words.length) return invalid('truncated tagged field header');
    const tag = words[pos]!;
    const length = words[pos + 1]! * 32 + words[pos + 2]!;
    const start = pos + 3;
    pos = start + length;
    if (pos > words.length) return invalid('tagged field runs past the signature');
    const data = words.slice(start, pos);

    const fixed = FIXED_WORDS[tag];
    if (fixed !== undefined && length !== fixed) continue;

    switch (tag) {
      case TAG_P:
      case TAG_S:
      case TAG_H:
      case TAG_N: {
        const bytes = bech32.fromWordsUnsafe(data);
        if (bytes === undefined) return invalid('non-zero padding in a fixed-size field');
        const hex = toHex(bytes);
        // The first valid field of a kind wins, as in LND; later ones are ignored.
        if (tag === TAG_P) f.paymentHash ??= hex;
        else if (tag === TAG_S) f.paymentSecret ??= hex;
        else if (tag === TAG_H) f.descriptionHash ??= hex;
        else f.payeeNodeKey ??= hex;
        break;
      }
      case TAG_D: {
        const bytes = bech32.fromWordsUnsafe(data);
        const text = bytes === undefined ? undefined : utf8DecodeStrict(bytes);
        if (text === undefined) return invalid('description is not padded UTF-8');
        f.description ??= text;
        break;
      }
      case TAG_X:
      case TAG_C: {
        const value = wordsToInt(data);
        if (value === undefined) return invalid('expiry or cltv field is too large');
        if (tag === TAG_X) f.expiry ??= value;
        else f.minFinalCltvExpiry ??= value;
        break;
      }
      default:
      // Unknown or unused fields (features, routes, fallbacks, …) are skipped.
    }
  }
  return ok(f);
}

/** Big-endian integer in 5-bit words; undefined past Number.MAX_SAFE_INTEGER. */
function wordsToInt(words: number[]): number | undefined {
  let value = 0;
  for (const w of words) {
    value = value * 32 + w;
    if (value > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return value;
}
