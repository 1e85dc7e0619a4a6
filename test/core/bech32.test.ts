import {expect} from 'chai';
import {bech32 as scure} from '@scure/base';
import fc from 'fast-check';
import {bech32Decode, bech32Encode, bech32FromWords, bech32ToWords, type Bech32Result} from '../../src/core/bech32.js';

const LIMIT = 20_000;

/** @scure/base's verdict in our terms: the decoded value, or whether the failure was the checksum's. */
function scureDecode(text: string, limit: number): {ok: true; prefix: string; words: number[]} | {ok: false; checksum: boolean} {
  try {
    const {prefix, words} = scure.decode(text as `${string}1${string}`, limit);
    return {ok: true, prefix, words};
  } catch (error) {
    return {ok: false, checksum: /checksum/i.test((error as Error).message)};
  }
}

function ours(result: Bech32Result): {ok: true; prefix: string; words: number[]} | {ok: false; checksum: boolean} {
  return result.ok ? {ok: true, ...result.value} : {ok: false, checksum: result.error.checksum};
}

const prefixes = fc.oneof(fc.constantFrom('moneysocket', 'lnbc', 'lntb10u', 'bc', 'a'), fc.string({unit: fc.integer({min: 0x21, max: 0x7e}).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 12}));
const words = fc.array(fc.integer({min: 0, max: 31}), {maxLength: 120});

/** One small change to a string: a letter replaced, the case of one flipped, one cut or added, or the case of all. */
const mutation = fc.tuple(fc.nat(), fc.constantFrom('replace', 'flip', 'cut', 'add', 'upper'), fc.constantFrom(...'qpzry9x8gf2tvdw0s3jn54khce6mua7l1bioQPZ_ é'));
function mutate(text: string, [at, kind, letter]: [number, string, string]): string {
  const i = at % text.length;
  const c = text[i]!;
  if (kind === 'replace') return text.slice(0, i) + letter + text.slice(i + 1);
  if (kind === 'flip') return text.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + text.slice(i + 1);
  if (kind === 'cut') return text.slice(0, i) + text.slice(i + 1);
  if (kind === 'add') return text.slice(0, i) + letter + text.slice(i);
  return text.toUpperCase();
}

describe('bech32', () => {
  it('decodes BIP-173\'s valid strings, and refuses its invalid ones', () => {
    const valid = ['A12UEL5L', 'a12uel5l', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', `11${'q'.repeat(82)}c8247j`, 'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w', '?1ezyfcl'];
    for (const text of valid) expect(bech32Decode(text, 90).ok, text).to.equal(true);
    expect(bech32Decode('A12UEL5L', 90)).to.deep.equal({ok: true, value: {prefix: 'a', words: []}});
    const invalid = ['\x201nwldj5', '\x7f1axkwrx', '\x801eym55h', 'pzry9x0s0muk', '1pzry9x0s0muk', 'x1b4n0q5v', 'li1dgmt3', 'de1lg7wt\xff', 'A1G7SGD8', '10a06t8', '1qzzfhee', 'an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx'];
    for (const text of invalid) expect(bech32Decode(text, 90).ok, JSON.stringify(text)).to.equal(false);
    expect(bech32Decode('A1G7SGD8', 90)).to.deep.equal({ok: false, error: {message: 'invalid checksum', checksum: true}});
  });

  it('encodes as @scure/base does, and decodes what it encodes', () => {
    fc.assert(fc.property(prefixes, words, (prefix, data) => {
      const text = bech32Encode(prefix, data, LIMIT);
      expect(text).to.equal(scure.encode(prefix, data, LIMIT));
      expect(bech32Decode(text, LIMIT)).to.deep.equal({ok: true, value: {prefix: prefix.toLowerCase(), words: data}});
    }), {numRuns: 300});
  });

  it('accepts and refuses what @scure/base does, and fails on the checksum where it does', () => {
    fc.assert(fc.property(prefixes, words, fc.array(mutation, {minLength: 1, maxLength: 3}), (prefix, data, changes) => {
      let text: string = scure.encode(prefix, data, LIMIT);
      for (const change of changes) text = mutate(text, change);
      expect(ours(bech32Decode(text, LIMIT)), text).to.deep.equal(scureDecode(text, LIMIT));
    }), {numRuns: 2000});
  });

  it('keeps the length limit as @scure/base does, both ways', () => {
    const text = scure.encode('lnbc', Array.from({length: 100}, (_, i) => i % 32), 200);
    for (const limit of [text.length - 1, text.length, text.length + 1]) {
      expect(ours(bech32Decode(text, limit))).to.deep.equal(scureDecode(text, limit));
      const encode = () => bech32Encode('lnbc', Array.from({length: 100}, (_, i) => i % 32), limit);
      if (limit < text.length) expect(encode).to.throw(RangeError);
      else expect(encode()).to.equal(text);
    }
  });

  it('converts bytes to words and back as @scure/base does, refusing the padding it refuses', () => {
    fc.assert(fc.property(fc.uint8Array({maxLength: 200}), (bytes) => {
      const w = bech32ToWords(bytes);
      expect(w).to.deep.equal(scure.toWords(bytes));
      expect(bech32FromWords(w)).to.deep.equal(bytes);
    }), {numRuns: 300});
    fc.assert(fc.property(words, (data) => {
      expect(bech32FromWords(data)).to.deep.equal(scure.fromWordsUnsafe(data));
    }), {numRuns: 1000});
  });
});
