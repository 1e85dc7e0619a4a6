import {expect} from 'chai';
import fc from 'fast-check';
import {cbc} from '@noble/ciphers/aes.js';
import {
  classifyFrame,
  DEFAULT_MAX_FRAME_BYTES,
  decodeFrame,
  decryptPayload,
  encodeFrame,
  encryptPayload,
  isClearMessageName,
  stripZeros,
  zeroPad,
} from '../../src/core/frame.js';
import {validateMessage, type Message} from '../../src/core/message-codec.js';
import {createNotification, createRequest, defaultRegistry} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {MoneysocketError, unwrap} from '../../src/core/errors.js';
import {expectError} from './expect-error.js';
import {aesKeyOf, rendezvousIdOf} from '../../src/core/seed-keys.js';

/** The project's own unwrap: a vector's seed is valid, or the test fails loudly. */
const seedFromHex = (hex: string): SharedSeed => unwrap(SharedSeed.fromHex(hex));
import {utf8Encode} from '../../src/core/bytes.js';
import {hex, loadVectors, unhex, type FrameVector} from '../vectors.js';

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

const UUID = '5b2a9c4e-3f1d-4a8b-9c7e-1d2f3a4b5c6d';

/** JSON texts laid out as people and other libraries write them: indents, CRLF, CR, spaces around. */
const prettyJson = fc
  .tuple(fc.json(), fc.constantFrom<string | number>(1, 2, 4, '\t', ' \t'), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom('', ' ', '\n', '\t', '\r\n'))
  .map(([text, indent, eol, around]) => {
    const laidOut = JSON.stringify(JSON.parse(text), null, indent).replace(/\n/g, eol);
    return `${around}${laidOut}${around}`;
  })
  .filter((text) => /[\n\r\t]/.test(text));
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
    const jsonish = fc.tuple(fc.json(), fc.nat(), fc.integer({min: 0, max: 0x7f})).map(([text, at, byte]) => {
      const bytes = utf8Encode(text);
      const copy = Uint8Array.from(bytes);
      if (copy.length > 0) copy[at % copy.length] = byte; // sometimes a control byte, sometimes not
      return copy;
    });
    // Peers may pretty-print: newlines, tabs, CRs and spaces are JSON whitespace, not control bytes.
    const pretty = prettyJson.map(utf8Encode);
    let prettyClear = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({maxLength: 64}), jsonish, fc.json().map(utf8Encode), pretty), (bytes) => {
        const clear = classifyFrame(bytes).clear;
        expect(clear).to.equal(isJsonText(bytes));
        if (clear && bytes.some((b) => b === 0x0a || b === 0x0d || b === 0x09)) prettyClear++;
      }),
      {numRuns: 10000},
    );
    // The pretty arbitrary is one in four, and each of its inputs has a newline or tab.
    expect(prettyClear).to.be.greaterThan(1500);
  });

  describe('pretty-printed clear frames (JSON whitespace is not a control byte)', () => {
    const rendezvous = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: 'ab'.repeat(32)}, {uuid: UUID, timestamp: 1700000000.25});
    const layouts: [string, (m: Message) => string][] = [
      ['two-space indent', (m) => JSON.stringify(m, null, 2)],
      ['tab indent', (m) => JSON.stringify(m, null, '\t')],
      ['CRLF line ends', (m) => JSON.stringify(m, null, 2).replace(/\n/g, '\r\n')],
      ['CR line ends', (m) => JSON.stringify(m, null, 1).replace(/\n/g, '\r')],
      ['spaces after separators (py style)', (m) => JSON.stringify(m, null, 1).replace(/\n */g, ' ')],
      ['whitespace around the text', (m) => `\r\n\t ${JSON.stringify(m, null, 4)} \n\t\r\n`],
      ['a newline first', (m) => `\n${JSON.stringify(m)}`],
      ['a CR first', (m) => `\r${JSON.stringify(m)}`],
      ['a tab first', (m) => `\t${JSON.stringify(m)}`],
      ['a space first', (m) => ` ${JSON.stringify(m)}`],
    ];
    for (const [name, layout] of layouts) {
      it(`${name}: clear, and decoded as the message by the relay and by a peer`, () => {
        const bytes = utf8Encode(layout(rendezvous));
        const kind = classifyFrame(bytes);
        expect(kind.clear).to.equal(true);
        if (kind.clear) expect(kind.value).to.deep.equal(rendezvous);
        const atRelay = decodeFrame(bytes, null);
        expect(atRelay).to.deep.equal({ok: true, value: rendezvous});
        const atPeer = decodeFrame(bytes, seedFromHex(frames[0]!.shared_seed));
        expect(atPeer).to.deep.equal({ok: true, value: rendezvous});
      });
    }

    it('an encrypted-level message pretty-printed in clear is read as clear, then refused for its level', () => {
      const ping = createRequest('REQUEST_PING', {}, {uuid: UUID, timestamp: 5});
      for (const [, layout] of layouts) {
        const r = decodeFrame(utf8Encode(layout(ping)), null);
        expectError(r, 'FRAME_WRONG_CRYPT_LEVEL', 'got clear msg that should have been encrypted');
      }
    });
  });

  it('takes every byte a JSON text can start with as a possible clear frame, and no other', () => {
    const starts = ['{}', '[]', '"x"', '-1', 'true', 'false', 'null', ...'0123456789'.split(''), ' 1', '\t1', '\n1', '\r1'];
    for (const text of starts) expect(classifyFrame(utf8Encode(text)), JSON.stringify(text)).to.deep.equal({clear: true, value: JSON.parse(text)});
    for (const text of ['}', ']', 'x1', ',1', '+1', '.5', '\u000b1', '\f1', '\u00001']) {
      expect(classifyFrame(utf8Encode(text)).clear, JSON.stringify(text)).to.equal(false);
    }
    expect(classifyFrame(new Uint8Array()).clear).to.equal(false);
    // A control byte anywhere (not just first) rules out JSON, even inside a string.
    expect(classifyFrame(utf8Encode('{"a":"\u0001"}')).clear).to.equal(false);
    expect(classifyFrame(utf8Encode('{"a":"\u001f"}')).clear).to.equal(false);
    expect(classifyFrame(utf8Encode('{"a":"\u0020"}')).clear).to.equal(true);
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

  it('gives 10,000 random, mutated and truncated frames the verdict an independent decoder gives (fuzz)', () => {
    const seed = seedFromHex(frames[0]!.shared_seed);
    const ping = createRequest('REQUEST_PING', {}, {uuid: UUID, timestamp: 7});
    const rendezvous = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousIdOf(seed)}, {uuid: UUID, timestamp: 7});
    const valid = [
      ...frames.filter((v) => v.shared_seed === frames[0]!.shared_seed).map((v) => unhex(v.frame_hex)),
      utf8Encode(JSON.stringify(rendezvous, null, 2)),
      utf8Encode(JSON.stringify(ping, null, '\t')), // clear, but must be encrypted
      encryptPayload(aesKeyOf(seed), utf8Encode(JSON.stringify(rendezvous))), // encrypted, but must be clear
    ];
    const mutated = fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.integer({min: 0, max: 255})).map(([f, pos, byte]) => {
      const copy = Uint8Array.from(f);
      copy[pos % copy.length] = byte;
      return copy;
    });
    const truncated = fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([f, n]) => f.subarray(0, n % (f.length + 1)));
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({maxLength: 400}), mutated, truncated, fc.constantFrom(...valid)), fc.boolean(), (frame, withSeed) => {
        const key = withSeed ? seed : null;
        const r = decodeFrame(frame, key);
        const expected = referenceVerdict(frame, key);
        const verdict = r.ok ? 'ok' : r.error.code;
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
        if (!r.ok) {
          expect(r.error).to.be.instanceOf(MoneysocketError);
          expect(r.error.message).to.be.a('string').and.not.equal('');
        }
        expect(verdict).to.equal(expected.ok ? 'ok' : expected.code);
        if (r.ok && expected.ok) expect(JSON.stringify(r.value)).to.equal(expected.json);
      }),
      {numRuns: 10000},
    );
    // Every verdict is reached often enough for the comparison to mean something.
    for (const code of ['ok', 'FRAME_NO_SEED', 'FRAME_CIPHERTEXT', 'FRAME_WRONG_CRYPT_LEVEL', 'MESSAGE_NOT_JSON', 'MESSAGE_INVALID']) {
      expect(seen.get(code) ?? 0, `${code} in ${JSON.stringify([...seen])}`).to.be.greaterThan(50);
    }
    expect([...seen.keys()].every((code) => FRAME_VERDICTS.has(code)), JSON.stringify([...seen])).to.equal(true);
  });

  it('decodes every unmodified vector frame to its vector\'s message, encrypted ones only with the seed', () => {
    for (const v of frames) {
      const frame = unhex(v.frame_hex);
      expect(JSON.stringify(unwrap(decodeFrame(frame, seedFromHex(v.shared_seed))))).to.equal(v.decoded_json);
      const atRelay = decodeFrame(frame, null);
      if (v.crypt_level === 'CLEAR') expect(JSON.stringify(unwrap(atRelay))).to.equal(v.decoded_json);
      else expectError(atRelay, 'FRAME_NO_SEED', 'no seed to decrypt cyphertext');
    }
  });

  it('encodes a clear message as exactly its compact JSON in UTF-8 (hand-written bytes)', () => {
    const m = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: '0'.repeat(64)}, {uuid: UUID, timestamp: 2});
    const text =
      `{"timestamp":2,"protocol":"Moneysocket","protocol_version":"0.0.0","message_class":"REQUEST",` +
      `"request_uuid":"${UUID}","request_name":"REQUEST_RENDEZVOUS","rendezvous_id":"${'0'.repeat(64)}"}`;
    expect(hex(unwrap(encodeFrame(m, null)))).to.equal(hex(new TextEncoder().encode(text)));
    // The seed changes nothing for a clear message.
    expect(hex(unwrap(encodeFrame(m, SharedSeed.generate())))).to.equal(hex(new TextEncoder().encode(text)));
  });

  it('encrypts IV || AES-256-CBC(zero-padded JSON), checked against a plain CBC', () => {
    const seed = seedFromHex(frames[0]!.shared_seed);
    const iv = Uint8Array.from({length: 16}, (_, i) => i * 3);
    const m = createRequest('REQUEST_PING', {}, {uuid: UUID, timestamp: 3});
    const frame = unwrap(encodeFrame(m, seed, {iv}));
    const json = new TextEncoder().encode(JSON.stringify(m));
    const padded = new Uint8Array(Math.ceil((json.length + 1) / 16) * 16);
    padded.set(json);
    expect(hex(frame)).to.equal(hex(iv) + hex(cbc(aesKeyOf(seed), iv, {disablePadding: true}).encrypt(padded)));
  });

  it('rejects ciphertext of the wrong size with js\'s reasons', () => {
    const seed = SharedSeed.generate();
    expectError(decodeFrame(unhex('ff'.repeat(15)), seed), 'FRAME_CIPHERTEXT', 'invalid initialation vector size (must be 16 bytes)');
    expectError(decryptPayload(aesKeyOf(seed), new Uint8Array(0)), 'FRAME_CIPHERTEXT', 'invalid initialation vector size (must be 16 bytes)');
    expectError(decodeFrame(unhex('ff'.repeat(16)), seed), 'FRAME_CIPHERTEXT', 'invalid ciphertext size (must be multiple of 16 bytes)');
    expectError(decodeFrame(unhex('ff'.repeat(33)), seed), 'FRAME_CIPHERTEXT', 'invalid ciphertext size (must be multiple of 16 bytes)');
    expectError(decodeFrame(unhex('ff'.repeat(47)), seed), 'FRAME_CIPHERTEXT', 'invalid ciphertext size (must be multiple of 16 bytes)');
    expect(decryptPayload(aesKeyOf(seed), new Uint8Array(32)).ok).to.equal(true);
  });

  it('refuses frames above the limit, and not at it', () => {
    const seed = SharedSeed.generate();
    const at = new Uint8Array(DEFAULT_MAX_FRAME_BYTES).fill(0x80);
    expectError(decodeFrame(at, seed), 'MESSAGE_NOT_JSON'); // read and decrypted, not refused
    const over = new Uint8Array(DEFAULT_MAX_FRAME_BYTES + 1).fill(0x80);
    expectError(decodeFrame(over, seed), 'FRAME_TOO_LARGE');
    expect(DEFAULT_MAX_FRAME_BYTES).to.equal(65536);
    expectError(decodeFrame(new Uint8Array(33).fill(0x80), seed, {maxFrameBytes: 32}), 'FRAME_TOO_LARGE');
    expectError(decodeFrame(new Uint8Array(32).fill(0x80), seed, {maxFrameBytes: 32}), 'MESSAGE_NOT_JSON');
  });

  it('reports an encrypted frame without a seed, and an AES message to send without one, with their own wording', () => {
    const seed = SharedSeed.generate();
    const frame = unwrap(encodeFrame(createRequest('REQUEST_PING', {}), seed));
    expectError(decodeFrame(frame, null), 'FRAME_NO_SEED', 'no seed to decrypt cyphertext');
    expectError(encodeFrame(createRequest('REQUEST_PING', {}), null), 'FRAME_NO_SEED');
    const rendezvous = encryptPayload(aesKeyOf(seed), utf8Encode(JSON.stringify(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: 'cd'.repeat(32)}))));
    expectError(decodeFrame(rendezvous, seed), 'FRAME_WRONG_CRYPT_LEVEL', 'got encrypted msg that should have been clear');
    expectError(encodeFrame({...createRequest('REQUEST_PING', {}), protocol: 'x'} as unknown as Message, seed), 'MESSAGE_INVALID', 'unknown protocol');
  });

  it('tells the four rendezvous types apart as the clear ones', () => {
    for (const name of ['REQUEST_RENDEZVOUS', 'NOTIFY_RENDEZVOUS', 'NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFY_RENDEZVOUS_END']) {
      expect(isClearMessageName(name), name).to.equal(true);
    }
    for (const name of ['REQUEST_PING', 'NOTIFY_PROVIDER', 'REQUEST_PAY', 'rendezvous', '']) expect(isClearMessageName(name), name).to.equal(false);
  });

  it('strips every trailing zero and nothing else', () => {
    expect(hex(stripZeros(unhex('00')))).to.equal('');
    expect(hex(stripZeros(unhex('')))).to.equal('');
    expect(hex(stripZeros(unhex('0000')))).to.equal('');
    expect(hex(stripZeros(unhex('00017b00')))).to.equal('00017b');
    expect(hex(zeroPad(unhex('7b')))).to.equal('7b' + '00'.repeat(15));
    expect(hex(zeroPad(unhex('11'.repeat(16))))).to.equal('11'.repeat(16) + '00'.repeat(16));
  });
});

/** Every code decodeFrame may answer with, and 'ok'. */
const FRAME_VERDICTS: ReadonlySet<string> = new Set([
  'ok', 'FRAME_TOO_LARGE', 'FRAME_NO_SEED', 'FRAME_CIPHERTEXT', 'FRAME_WRONG_CRYPT_LEVEL',
  'MESSAGE_NOT_JSON', 'MESSAGE_INVALID', 'MESSAGE_UNKNOWN_TYPE',
]);


/** PROTOCOL.md 3.5's rule, written out with the platform's decoder: decodes as UTF-8 (lenient) and parses as JSON. */
function isJsonText(bytes: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder().decode(bytes));
    return true;
  } catch {
    return false;
  }
}

type Verdict = {ok: true; json: string} | {ok: false; code: string};

/**
 * What a receiver must make of a frame, built from the platform's UTF-8 and
 * JSON, a plain AES-CBC and the message validator; none of frame.ts.
 */
function referenceVerdict(frame: Uint8Array, seed: SharedSeed | null): Verdict {
  if (isJsonText(frame)) return messageVerdict(JSON.parse(new TextDecoder().decode(frame)), 'CLEAR');
  if (seed === null) return {ok: false, code: 'FRAME_NO_SEED'};
  if (frame.length < 32 || frame.length % 16 !== 0) return {ok: false, code: 'FRAME_CIPHERTEXT'};
  const plain = cbc(aesKeyOf(seed), frame.subarray(0, 16), {disablePadding: true}).decrypt(frame.subarray(16));
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  const text = new TextDecoder().decode(plain.subarray(0, end));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {ok: false, code: 'MESSAGE_NOT_JSON'};
  }
  return messageVerdict(value, 'AES');
}

function messageVerdict(value: unknown, arrivedAs: 'CLEAR' | 'AES'): Verdict {
  const checked = validateMessage(value, defaultRegistry);
  if (!checked.ok) return {ok: false, code: checked.error.code};
  if (checked.value.spec.cryptLevel !== arrivedAs) return {ok: false, code: 'FRAME_WRONG_CRYPT_LEVEL'};
  return {ok: true, json: JSON.stringify(checked.value.message)};
}
