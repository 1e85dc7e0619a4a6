/**
 * Bech32 (BIP-173), as beacons and BOLT11 invoices use it: no 90-character
 * cap (each caller passes its own limit) and the original checksum constant
 * (not bech32m). Written out here for the browser bundle's main file, which
 * decodes and encodes beacons: @scure/base's codec framework is 2.6 kB of it
 * gzipped, where bech32 is a page. The tests hold it equal to @scure/base's
 * `bech32` (what it accepts, what it returns, and which failures are checksum
 * failures) and to BIP-173's test vectors.
 */

const ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** BIP-173's generator coefficients. */
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

export interface Bech32Decoded {
  /** The human-readable part, lower case. */
  prefix: string;
  /** The data part's 5-bit words, without the checksum. */
  words: number[];
}

/** Why a string is not bech32; `checksum` when everything but the checksum was right. */
export interface Bech32Failure {
  message: string;
  checksum: boolean;
}

export type Bech32Result = {ok: true; value: Bech32Decoded} | {ok: false; error: Bech32Failure};

/** Each letter's word, by character code; -1 for what is not a bech32 letter. */
const WORDS = Int8Array.from({length: 128}, (_, code) => ALPHABET.indexOf(String.fromCharCode(code)));

function polymodStep(checksum: number, value: number): number {
  const top = checksum >>> 25;
  checksum = ((checksum & 0x1ffffff) << 5) ^ value;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum ^= GENERATORS[i]!;
  return checksum;
}

/** The checksum state after `prefix` (printable ASCII, lower case), expanded as BIP-173 says, and `words`. */
function polymod(prefix: string, words: ArrayLike<number>): number {
  let checksum = 1;
  for (let i = 0; i < prefix.length; i++) checksum = polymodStep(checksum, prefix.charCodeAt(i) >>> 5);
  checksum = polymodStep(checksum, 0);
  for (let i = 0; i < prefix.length; i++) checksum = polymodStep(checksum, prefix.charCodeAt(i) & 31);
  for (let i = 0; i < words.length; i++) checksum = polymodStep(checksum, words[i]!);
  return checksum;
}

/** The six checksum words for `prefix` and `words`. */
function checksumWords(prefix: string, words: readonly number[]): number[] {
  const checksum = polymod(prefix, [...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  return [0, 1, 2, 3, 4, 5].map((i) => (checksum >>> (5 * (5 - i))) & 31);
}

const isPrintable = (text: string): boolean => /^[\x21-\x7e]*$/.test(text);

/** `prefix`, "1", the words and their checksum, in lower case. Throws when that is longer than `limit` or `prefix` is unusable. */
export function bech32Encode(prefix: string, words: readonly number[], limit: number): string {
  const length = prefix.length + 7 + words.length;
  if (length > limit) throw new RangeError(`bech32: ${length} characters, more than the ${limit} allowed`);
  if (prefix === '' || !isPrintable(prefix)) throw new RangeError('bech32: the prefix must be printable ASCII, and not empty');
  if (words.some((word) => !(word >= 0 && word < 32 && Number.isInteger(word)))) throw new RangeError('bech32: a word is not 5 bits');
  const lower = prefix.toLowerCase();
  return `${lower}1${[...words, ...checksumWords(lower, words)].map((word) => ALPHABET[word]).join('')}`;
}

/** Decodes `text` (8 to `limit` characters, in one case). */
export function bech32Decode(text: string, limit: number): Bech32Result {
  const fail = (message: string, checksum = false): Bech32Result => ({ok: false, error: {message, checksum}});
  if (text.length < 8 || text.length > limit) return fail(`${text.length} characters, expected 8 to ${limit}`);
  const lower = text.toLowerCase();
  // Upper case is allowed as a whole; printable ASCII only.
  if (text !== lower && !/^[\x21-\x60\x7b-\x7e]+$/.test(text)) return fail('mixed case, or a character that is not printable ASCII');
  const separator = lower.lastIndexOf('1');
  if (separator < 1) return fail('no "1" after a prefix');
  const prefix = lower.slice(0, separator);
  const data = lower.slice(separator + 1);
  if (data.length < 6) return fail('the data part is shorter than a checksum');
  const all = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    const word = code < 128 ? WORDS[code]! : -1;
    if (word < 0) return fail(`${JSON.stringify(data[i])} is not a bech32 letter`);
    all[i] = word;
  }
  if (!isPrintable(prefix)) return fail('the prefix is not printable ASCII');
  // Data and checksum together leave the state at 1 (BIP-173's verify_checksum).
  if (polymod(prefix, all) !== 1) return fail('invalid checksum', true);
  all.length -= 6;
  return {ok: true, value: {prefix, words: all}};
}

/** Bytes as 5-bit words, the last one padded with zero bits. */
export function bech32ToWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  let carry = 0;
  let bits = 0;
  for (const byte of bytes) {
    carry = ((carry << 8) | byte) & 0xfff;
    for (bits += 8; bits >= 5; bits -= 5) words.push((carry >>> (bits - 5)) & 31);
  }
  if (bits > 0) words.push((carry << (5 - bits)) & 31);
  return words;
}

/** 5-bit words back to bytes; undefined when the padding is not what bech32ToWords writes (4 bits or fewer, all zero). */
export function bech32FromWords(words: readonly number[]): Uint8Array | undefined {
  const bytes = new Uint8Array(Math.floor((words.length * 5) / 8));
  let carry = 0;
  let bits = 0;
  let j = 0;
  for (const word of words) {
    if (!Number.isInteger(word) || word < 0 || word >= 32) return undefined;
    carry = ((carry << 5) | word) & 0xfff;
    for (bits += 5; bits >= 8; bits -= 8) bytes[j++] = (carry >>> (bits - 8)) & 0xff;
  }
  if (bits >= 5 || (carry & ((1 << bits) - 1)) !== 0) return undefined;
  return bytes;
}
