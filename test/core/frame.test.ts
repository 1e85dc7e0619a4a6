import {expect} from 'chai';
import fc from 'fast-check';
import {cbc} from '@noble/ciphers/aes.js';
import {
  classifyFrame,
  decodeFrame,
  decryptPayload,
  encodeFrame,
  encryptPayload,
  stripZeros,
  zeroPad,
} from '../../src/core/frame.js';
import type {Message} from '../../src/core/message-codec.js';
import {createNotification, createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {aesKeyOf, rendezvousIdOf} from '../../src/core/seed-keys.js';
import {unwrap} from '../../src/core/errors.js';

/** The project's own unwrap: a vector's seed is valid, or the test fails loudly. */
const seedFromHex = (hex: string): SharedSeed => unwrap(SharedSeed.fromHex(hex));
import {utf8Encode} from '../../src/core/bytes.js';
import {hex, loadVectors, unhex} from '../vectors.js';

interface FrameVector {
  name: string;
  group: string;
  shared_seed: string;
  aes256_key: string;
  crypt_level: 'CLEAR' | 'AES';
  json: string;
  plaintext_hex: string;
  iv: string | null;
  padded_hex: string | null;
  frame_hex: string;
  decoded_json: string;
  py_error: string | null;
}
interface WireVector {
  name: string;
  group: 'accepted' | 'rejected';
  shared_seed: string | null;
  frame_hex: string;
  js_is_clear: boolean;
  js_ok: boolean;
  js_decoded_json: string | null;
  js_error: string | null;
}

const frames = (await loadVectors<FrameVector>('frames.json')).vectors;
const wires = (await loadVectors<WireVector>('wire-decode.json')).vectors;

describe('frames', () => {
  describe('frame vectors', () => {
    for (const v of frames) {
      it(`${v.group}: ${v.name}`, () => {
        const seed = seedFromHex(v.shared_seed);
        expect(hex(aesKeyOf(seed))).to.equal(v.aes256_key);
        const plaintext = utf8Encode(v.json);
        expect(hex(plaintext)).to.equal(v.plaintext_hex);
        if (v.iv !== null) {
          expect(hex(zeroPad(plaintext))).to.equal(v.padded_hex);
          expect(hex(encryptPayload(aesKeyOf(seed), plaintext, unhex(v.iv)))).to.equal(v.frame_hex);
        }
        // Through the message layer: we only send what py accepts too.
        const message = JSON.parse(v.json) as Message;
        const encoded = encodeFrame(message, seed, {iv: v.iv === null ? undefined : unhex(v.iv)});
        expect(encoded.ok, encoded.ok ? '' : encoded.error.message).to.equal(v.py_error === null);
        if (encoded.ok) expect(hex(encoded.value)).to.equal(v.frame_hex);
        const decoded = decodeFrame(unhex(v.frame_hex), seed);
        if (!decoded.ok) throw decoded.error;
        expect(JSON.stringify(decoded.value)).to.equal(v.decoded_json);
        expect(classifyFrame(unhex(v.frame_hex)).clear).to.equal(v.crypt_level === 'CLEAR');
      });
    }
  });

  describe('wire-decode vectors', () => {
    for (const v of wires) {
      it(`${v.group}: ${v.name}`, () => {
        const frame = unhex(v.frame_hex);
        expect(classifyFrame(frame).clear).to.equal(v.js_is_clear);
        const decoded = decodeFrame(frame, v.shared_seed === null ? null : seedFromHex(v.shared_seed));
        expect(decoded.ok).to.equal(v.js_ok);
        if (decoded.ok) expect(JSON.stringify(decoded.value)).to.equal(v.js_decoded_json);
        else expect(decoded.error.reason).to.equal(v.js_error);
      });
    }
  });

  it('classifies exactly as "decodes as UTF-8 and parses as JSON", its shortcuts included (property)', () => {
    const reference = (bytes: Uint8Array): boolean => {
      try {
        JSON.parse(new TextDecoder().decode(bytes));
        return true;
      } catch {
        return false;
      }
    };
    const jsonish = fc.tuple(fc.json(), fc.nat(), fc.integer({min: 0, max: 0x7f})).map(([text, at, byte]) => {
      const bytes = utf8Encode(text);
      const copy = Uint8Array.from(bytes);
      if (copy.length > 0) copy[at % copy.length] = byte; // sometimes a control byte, sometimes not
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({maxLength: 64}), jsonish, fc.json().map(utf8Encode)), (bytes) => {
        expect(classifyFrame(bytes).clear).to.equal(reference(bytes));
      }),
      {numRuns: 10000},
    );
  });

  it('pads with zeros, a whole block when aligned, and strips them again', () => {
    expect(zeroPad(new Uint8Array(15)).length).to.equal(16);
    expect(zeroPad(new Uint8Array(16)).length).to.equal(32);
    expect(zeroPad(new Uint8Array(0)).length).to.equal(16);
    expect(hex(stripZeros(unhex('7b7d0000')))).to.equal('7b7d');
  });

  it('uses a fresh random IV for every frame', () => {
    const seed = SharedSeed.generate();
    const msg = createRequest('REQUEST_PING', {});
    const a = encodeFrame(msg, seed);
    const b = encodeFrame(msg, seed);
    if (!a.ok || !b.ok) throw new Error('encode failed');
    expect(hex(a.value.subarray(0, 16))).not.to.equal(hex(b.value.subarray(0, 16)));
  });

  it('refuses to send an AES-level message without a seed', () => {
    const r = encodeFrame(createRequest('REQUEST_PING', {}), null);
    expect(!r.ok && r.error.code).to.equal('FRAME_NO_SEED');
  });

  it('reports a frame under the wrong key as not JSON, not as a crash', () => {
    const frame = encodeFrame(createRequest('REQUEST_PING', {}), SharedSeed.generate());
    if (!frame.ok) throw frame.error;
    const r = decodeFrame(frame.value, SharedSeed.generate());
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(['MESSAGE_NOT_JSON', 'MESSAGE_INVALID']).to.include(r.error.code);
  });

  it('rejects ciphertext that is not whole blocks, and oversized frames', () => {
    const seed = SharedSeed.generate();
    expect((decodeFrame(unhex('ff'.repeat(8)), seed) as {error: {code: string}}).error.code).to.equal('FRAME_CIPHERTEXT');
    expect((decodeFrame(unhex('ff'.repeat(40)), seed) as {error: {code: string}}).error.code).to.equal('FRAME_CIPHERTEXT');
    expect((decodeFrame(unhex('ff'.repeat(16)), seed) as {error: {code: string}}).error.code).to.equal('FRAME_CIPHERTEXT');
    const big = new Uint8Array(70000).fill(0x80);
    expect((decodeFrame(big, seed) as {error: {code: string}}).error.code).to.equal('FRAME_TOO_LARGE');
    expect(decodeFrame(big, seed, {maxFrameBytes: 100000}).ok).to.equal(false);
  });

  it('decrypts what a plain AES-256-CBC implementation encrypts', () => {
    const seed = SharedSeed.generate();
    const iv = new Uint8Array(16).fill(9);
    const body = cbc(aesKeyOf(seed), iv, {disablePadding: true}).encrypt(zeroPad(utf8Encode('{"a":1}')));
    const plain = decryptPayload(aesKeyOf(seed), new Uint8Array([...iv, ...body]));
    expect(plain.ok && new TextDecoder().decode(plain.value)).to.equal('{"a":1}');
  });

  it('round-trips every message through encryption (property)', () => {
    const seed = SharedSeed.generate();
    fc.assert(
      fc.property(fc.string({maxLength: 300}), fc.integer({min: 1, max: 2 ** 40}), (text, msats) => {
        const messages: Message[] = [
          createRequest('REQUEST_INVOICE', {msats}),
          createNotification('NOTIFY_ERROR', null, {error_msg: text}),
          createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousIdOf(seed)}),
        ];
        for (const m of messages) {
          const frame = encodeFrame(m, seed);
          if (!frame.ok) throw frame.error;
          const back = decodeFrame(frame.value, seed);
          if (!back.ok) throw back.error;
          expect(back.value).to.deep.equal(m);
        }
      }),
      {numRuns: 500},
    );
  });

  it('answers 10,000 random and mutated frames with typed errors only (fuzz)', () => {
    const seed = seedFromHex(frames[0]!.shared_seed);
    const valid = frames.map((v) => unhex(v.frame_hex));
    const mutated = fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.integer({min: 0, max: 255})).map(([f, pos, byte]) => {
      const copy = Uint8Array.from(f);
      copy[pos % copy.length] = byte;
      return copy;
    });
    const truncated = fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([f, n]) => f.subarray(0, n % (f.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({maxLength: 400}), mutated, truncated), fc.boolean(), (frame, withSeed) => {
        const r = decodeFrame(frame, withSeed ? seed : null);
        return r.ok || typeof r.error.code === 'string';
      }),
      {numRuns: 10000},
    );
  });
});
