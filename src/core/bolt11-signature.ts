/**
 * BOLT #11 signature checks: recovers the key that signed an invoice and
 * compares it with the invoice's n field. Kept apart from the decoder because
 * secp256k1 is most of its weight; the consumer stack loads it on demand
 * (`verifyInvoiceSignatures`), so the main bundle does not carry it.
 */
import {sha256} from '@noble/hashes/sha2.js';
import {secp256k1} from '@noble/curves/secp256k1.js';
import {bech32} from '@scure/base';
import {concatBytes, equalBytes, fromHex, utf8Encode} from './bytes.js';
import {BOLT11_MAX_LENGTH, decodeBolt11} from './bolt11.js';

const SIGNATURE_WORDS = 104;

/** BOLT #11 signs SHA256(hrp as UTF-8 || data words packed into bytes, zero-padded). */
export function bolt11SigningHash(hrp: string, words: readonly number[]): Uint8Array {
  return sha256(concatBytes(utf8Encode(hrp), packWords(words)));
}

/**
 * The compressed key (33 bytes) that signed the invoice, or null when the
 * invoice does not decode or no key can be recovered.
 */
export function recoverPayeeNodeKey(invoice: string): Uint8Array | null {
  if (!decodeBolt11(invoice).ok) return null;
  const decoded = bech32.decodeUnsafe(invoice, BOLT11_MAX_LENGTH);
  if (decoded === undefined) return null;
  const sig = bech32.fromWordsUnsafe(decoded.words.slice(-SIGNATURE_WORDS));
  if (sig === undefined) return null;
  const recovered = concatBytes(sig.subarray(64), sig.subarray(0, 64));
  try {
    return secp256k1.recoverPublicKey(recovered, bolt11SigningHash(decoded.prefix, decoded.words.slice(0, -SIGNATURE_WORDS)), {prehash: false});
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

// bech32.fromWords refuses padding of 5 bits or more, which the signed data
// may need (its length is arbitrary), so pack the words here.
function packWords(words: readonly number[]): Uint8Array {
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
