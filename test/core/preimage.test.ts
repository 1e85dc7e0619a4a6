import {expect} from 'chai';
import {sha256} from '@noble/hashes/sha2.js';
import {base64, base64url} from '@scure/base';
import {toHex} from '../../src/core/bytes.js';
import {hashOfPreimage, normalizePreimage, preimagePays} from '../../src/core/preimage.js';

const bytes = Uint8Array.from({length: 32}, (_, i) => (i * 37 + 11) & 0xff);
const hex = toHex(bytes);
const hash = toHex(sha256(bytes));

describe('preimages', () => {
  it('reads the encodings wallets return', () => {
    for (const form of [hex, hex.toUpperCase(), `0x${hex}`, ` ${hex}\n`, base64.encode(bytes), base64.encode(bytes).replace(/=+$/, ''), base64url.encode(bytes), bytes, bytes.buffer]) {
      expect(normalizePreimage(form)).to.equal(hex);
    }
  });

  it('refuses what is not 32 bytes in one of those encodings', () => {
    for (const bad of [hex.slice(2), `${hex}00`, 'zz'.repeat(32), base64.encode(bytes.subarray(1)), '!'.repeat(44), '', 42, null, undefined, {}, new Uint8Array(31)]) {
      expect(normalizePreimage(bad), String(bad)).to.equal(undefined);
    }
  });

  it('pays an invoice only when SHA-256 of the preimage is its payment hash', () => {
    expect(hashOfPreimage(hex)).to.equal(hash);
    expect(preimagePays(hex, hash)).to.equal(true);
    expect(preimagePays(hex.toUpperCase(), hash)).to.equal(false); // only the normalised form
    const other = `${hex.slice(0, 63)}${hex.endsWith('0') ? '1' : '0'}`;
    expect(preimagePays(other, hash)).to.equal(false);
    expect(preimagePays(hex, hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))).to.equal(false);
    expect(hashOfPreimage('not hex')).to.equal('');
  });
});
