/**
 * `scheduledCbc`, the stacks' AES-256-CBC, against noble's
 * `cbc(key, iv, {disablePadding: true})` and the frame vectors.
 */
import {cbc} from '@noble/ciphers/aes.js';
import {expect} from 'chai';
import fc from 'fast-check';
import {utf8Encode} from '../../src/core/bytes.js';
import {scheduledCbc} from '../../src/core/cbc.js';
import {unwrap} from '../../src/core/errors.js';
import {decodeFrame, decryptPayload, encodeFrame, encryptPayload} from '../../src/core/frame.js';
import type {Message} from '../../src/core/message-codec.js';
import {SharedSeed} from '../../src/core/seed.js';
import {aesKeyOf} from '../../src/core/seed-keys.js';
import {hex, loadVectors, unhex, type FrameVector} from '../vectors.js';


const frames = (await loadVectors<FrameVector>('frames.json')).vectors;

/** `bytes` copied to `offset` bytes into a larger buffer: views that are not 4-byte aligned. */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const buffer = new Uint8Array(bytes.length + offset);
  buffer.set(bytes, offset);
  return buffer.subarray(offset);
}

const blocks = fc.integer({min: 1, max: 40}).chain((n) => fc.uint8Array({minLength: 16 * n, maxLength: 16 * n}));
const key = fc.uint8Array({minLength: 32, maxLength: 32});
const iv = fc.uint8Array({minLength: 16, maxLength: 16});
const offset = fc.integer({min: 0, max: 7});

describe('scheduledCbc', () => {
  it('encrypts and decrypts exactly as noble cbc without padding, aligned or not (property)', () => {
    fc.assert(
      fc.property(key, iv, blocks, offset, offset, (k, v, data, inOffset, outOffset) => {
        const expected = cbc(k, v, {disablePadding: true}).encrypt(data);
        const out = at(new Uint8Array(data.length), outOffset);
        scheduledCbc.encrypt(at(k, inOffset), at(v, inOffset), at(data, inOffset), out);
        expect(hex(out)).to.equal(hex(expected));
        expect(hex(scheduledCbc.decrypt(at(k, outOffset), at(v, outOffset), at(expected, inOffset)))).to.equal(hex(data));
      }),
      {numRuns: 300},
    );
  });

  it('encrypts in place, as encryptPayload asks of every cipher (property)', () => {
    fc.assert(
      fc.property(key, iv, blocks, offset, (k, v, data, start) => {
        const expected = cbc(k, v, {disablePadding: true}).encrypt(data);
        const buffer = at(data, start);
        scheduledCbc.encrypt(k, v, buffer, buffer);
        expect(hex(buffer)).to.equal(hex(expected));
      }),
      {numRuns: 200},
    );
  });

  it('follows a key buffer that is overwritten with another key', () => {
    const buffer = new Uint8Array(32).fill(1);
    const v = new Uint8Array(16).fill(2);
    const data = new Uint8Array(48).fill(3);
    const out = new Uint8Array(48);
    scheduledCbc.encrypt(buffer, v, data, out);
    expect(hex(out)).to.equal(hex(cbc(buffer, v, {disablePadding: true}).encrypt(data)));
    buffer.fill(4);
    scheduledCbc.encrypt(buffer, v, data, out);
    expect(hex(out)).to.equal(hex(cbc(buffer, v, {disablePadding: true}).encrypt(data)));
    expect(hex(scheduledCbc.decrypt(buffer, v, out))).to.equal(hex(data));
  });

  it('makes and reads the frame vectors', () => {
    for (const v of frames) {
      const seed = unwrap(SharedSeed.fromHex(v.shared_seed));
      if (v.iv !== null) {
        expect(hex(encryptPayload(aesKeyOf(seed), utf8Encode(v.json), unhex(v.iv), scheduledCbc)), v.name).to.equal(v.frame_hex);
        const encoded = encodeFrame(JSON.parse(v.json) as Message, seed, {iv: unhex(v.iv), cipher: scheduledCbc});
        if (encoded.ok) expect(hex(encoded.value), v.name).to.equal(v.frame_hex);
        const plain = decryptPayload(aesKeyOf(seed), unhex(v.frame_hex), scheduledCbc);
        expect(plain.ok, v.name).to.equal(true);
      }
      const decoded = decodeFrame(unhex(v.frame_hex), seed, {cipher: scheduledCbc});
      if (!decoded.ok) throw decoded.error;
      expect(JSON.stringify(decoded.value), v.name).to.equal(v.decoded_json);
    }
  });
});
