/**
 * `nodeCryptoCbc`, the stacks' AES-256-CBC through node:crypto, against
 * noble's `cbc(key, iv, {disablePadding: true})` and the frame vectors, in
 * the orders a session uses it: many frames under one key, encrypting and
 * decrypting interleaved, several keys at once.
 */
import {cbc} from '@noble/ciphers/aes.js';
import {expect} from 'chai';
import fc from 'fast-check';
import {unwrap} from '../../src/core/errors.js';
import {decodeFrame, encodeFrame} from '../../src/core/frame.js';
import type {Message} from '../../src/core/message-codec.js';
import {SharedSeed} from '../../src/core/seed.js';
import {nodeCryptoCbc} from '../../src/node/cipher.js';
import {hex, loadVectors, unhex, type FrameVector} from '../vectors.js';


const frames = (await loadVectors<FrameVector>('frames.json')).vectors;

const blocks = fc.integer({min: 1, max: 40}).chain((n) => fc.uint8Array({minLength: 16 * n, maxLength: 16 * n}));
const key = fc.uint8Array({minLength: 32, maxLength: 32});
const iv = fc.uint8Array({minLength: 16, maxLength: 16});

/** What a session does with one key: frames of any length, each with its own IV, sent and received in any order. */
const traffic = fc.array(fc.record({iv, data: blocks, inPlace: fc.boolean(), keyIndex: fc.integer({min: 0, max: 2})}), {minLength: 1, maxLength: 12});

function nobleEncrypt(k: Uint8Array, v: Uint8Array, data: Uint8Array): Uint8Array {
  return cbc(k, v, {disablePadding: true}).encrypt(data);
}

describe('nodeCryptoCbc', () => {
  it('encrypts and decrypts every frame of a session as noble cbc does, keys interleaved (property)', () => {
    fc.assert(
      fc.property(fc.array(key, {minLength: 3, maxLength: 3}), traffic, (keys, frames) => {
        for (const {iv: v, data, inPlace, keyIndex} of frames) {
          const k = keys[keyIndex]!;
          const expected = nobleEncrypt(k, v, data);
          const input = data.slice();
          const out = inPlace ? input : new Uint8Array(data.length);
          nodeCryptoCbc.encrypt(k, v, input, out);
          expect(hex(out)).to.equal(hex(expected));
          if (!inPlace) expect(hex(input), 'the plaintext is left as it was').to.equal(hex(data));
          expect(hex(nodeCryptoCbc.decrypt(k, v, expected))).to.equal(hex(data));
        }
      }),
      {numRuns: 300},
    );
  });

  it('reads unaligned views and leaves the ciphertext it decrypts unchanged', () => {
    const k = new Uint8Array(32).fill(9);
    const v = new Uint8Array(16).fill(8);
    const data = new Uint8Array(64).map((_, i) => i);
    const ciphertext = nobleEncrypt(k, v, data);
    const buffer = new Uint8Array(ciphertext.length + 3);
    buffer.set(ciphertext, 3);
    const view = buffer.subarray(3);
    expect(hex(nodeCryptoCbc.decrypt(k, v, view))).to.equal(hex(data));
    expect(hex(view)).to.equal(hex(ciphertext));
  });

  it('returns a plain Uint8Array, whose slice() copies', () => {
    const k = new Uint8Array(32).fill(1);
    const v = new Uint8Array(16);
    const plain = nodeCryptoCbc.decrypt(k, v, nobleEncrypt(k, v, new Uint8Array(32).fill(5)));
    expect(Object.getPrototypeOf(plain)).to.equal(Uint8Array.prototype);
  });

  it('follows a key buffer that is overwritten with another key', () => {
    const buffer = new Uint8Array(32).fill(1);
    const v = new Uint8Array(16).fill(2);
    const data = new Uint8Array(48).fill(3);
    const out = new Uint8Array(48);
    nodeCryptoCbc.encrypt(buffer, v, data, out);
    expect(hex(out)).to.equal(hex(nobleEncrypt(buffer, v, data)));
    buffer.fill(4);
    nodeCryptoCbc.encrypt(buffer, v, data, out);
    expect(hex(out)).to.equal(hex(nobleEncrypt(buffer, v, data)));
    expect(hex(nodeCryptoCbc.decrypt(buffer, v, out))).to.equal(hex(data));
  });

  it('refuses what is not whole blocks, a wrong IV or a short output, and carries on right after', () => {
    const k = new Uint8Array(32).fill(7);
    const v = new Uint8Array(16).fill(6);
    expect(() => nodeCryptoCbc.encrypt(k, v, new Uint8Array(20), new Uint8Array(20))).to.throw(RangeError, /whole 16-byte blocks/);
    expect(() => nodeCryptoCbc.encrypt(k, v, new Uint8Array(0), new Uint8Array(0))).to.throw(RangeError, /whole 16-byte blocks/);
    expect(() => nodeCryptoCbc.encrypt(k, new Uint8Array(8), new Uint8Array(16), new Uint8Array(16))).to.throw(RangeError, /16-byte IV/);
    expect(() => nodeCryptoCbc.encrypt(k, v, new Uint8Array(32), new Uint8Array(16))).to.throw(RangeError, /output is 16 bytes/);
    expect(() => nodeCryptoCbc.decrypt(k, v, new Uint8Array(17))).to.throw(RangeError, /whole 16-byte blocks/);
    expect(() => nodeCryptoCbc.encrypt(new Uint8Array(31), v, new Uint8Array(16), new Uint8Array(16))).to.throw();
    const data = new Uint8Array(32).fill(1);
    const out = new Uint8Array(32);
    nodeCryptoCbc.encrypt(k, v, data, out);
    expect(hex(out)).to.equal(hex(nobleEncrypt(k, v, data)));
  });

  it('makes and reads the frame vectors', () => {
    for (const v of frames) {
      const seed = unwrap(SharedSeed.fromHex(v.shared_seed));
      if (v.iv !== null) {
        const encoded = encodeFrame(JSON.parse(v.json) as Message, seed, {iv: unhex(v.iv), cipher: nodeCryptoCbc});
        if (encoded.ok) expect(hex(encoded.value), v.name).to.equal(v.frame_hex);
      }
      const decoded = decodeFrame(unhex(v.frame_hex), seed, {cipher: nodeCryptoCbc});
      if (!decoded.ok) throw decoded.error;
      expect(JSON.stringify(decoded.value), v.name).to.equal(v.decoded_json);
    }
  });
});
