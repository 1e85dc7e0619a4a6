import {expect} from 'chai';
import fc from 'fast-check';
import {decodeBigSize, decodeSmallBigSize, encodeBigSize, BIGSIZE_MAX} from '../../src/core/bigsize.js';
import {expectError} from './expect-error.js';
import {hex, loadVectors, unhex} from '../vectors.js';

interface BigSizeVector {
  name: string;
  group: 'roundtrip' | 'decode-error' | 'roundtrip-remainder';
  value: string | null;
  bytes: string;
  error: string | null;
  remainder?: string;
}

const {vectors} = await loadVectors<BigSizeVector>('bigsize.json');

describe('BigSize', () => {
  describe('vectors', () => {
    for (const v of vectors) {
      it(`${v.group}: ${v.name}`, () => {
        const read = decodeBigSize(unhex(v.bytes));
        if (v.group === 'decode-error') {
          expect(read.ok).to.equal(false);
          if (read.ok) return;
          expect(read.error.reason).to.equal(v.error);
          expect(['BIGSIZE_UNDERRUN', 'BIGSIZE_NOT_MINIMAL']).to.include(read.error.code);
          return;
        }
        expect(read.ok, read.ok ? "" : read.error.message).to.equal(true);
        if (!read.ok) return;
        expect(read.value.value).to.equal(BigInt(v.value!));
        expect(hex(read.value.rest)).to.equal(v.remainder ?? '');
        if (v.group === 'roundtrip') expect(hex(encodeBigSize(BigInt(v.value!)))).to.equal(v.bytes);
      });
    }
  });

  it('encodes and decodes the boundaries of each width', () => {
    const cases: [bigint, string][] = [
      [0n, '00'],
      [0xfcn, 'fc'],
      [0xfdn, 'fd00fd'],
      [0xffffn, 'fdffff'],
      [0x10000n, 'fe00010000'],
      [0xffffffffn, 'feffffffff'],
      [0x100000000n, 'ff0000000100000000'],
      [BIGSIZE_MAX, 'ffffffffffffffffff'],
    ];
    for (const [value, bytes] of cases) {
      expect(hex(encodeBigSize(value))).to.equal(bytes);
      const read = decodeBigSize(unhex(bytes));
      expect(read.ok && read.value.value).to.equal(value);
    }
  });

  it('rejects a non-minimal 2-byte encoding with the reference wording', () => {
    const read = decodeBigSize(unhex('fd00fc'));
    expect(read.ok).to.equal(false);
    if (!read.ok) expect(read.error.reason).to.equal('not a minimally encoded unit16');
  });

  it('reports an underrun on empty input', () => {
    const read = decodeBigSize(new Uint8Array());
    expect(!read.ok && read.error.reason).to.equal('underrun while peeking a uint8');
  });

  it('refuses to encode out-of-range values', () => {
    expect(() => encodeBigSize(-1)).to.throw(RangeError);
    expect(() => encodeBigSize(BIGSIZE_MAX + 1n)).to.throw(RangeError, `BigSize out of range: ${BIGSIZE_MAX + 1n}`);
    expect(() => encodeBigSize(-1)).to.throw(RangeError, 'BigSize out of range: -1');
  });

  it('round-trips any 64-bit value and keeps the remainder (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({min: 0n, max: BIGSIZE_MAX}), fc.uint8Array({maxLength: 8}), (value, tail) => {
        const bytes = new Uint8Array([...encodeBigSize(value), ...tail]);
        const read = decodeBigSize(bytes);
        return read.ok && read.value.value === value && hex(read.value.rest) === hex(tail);
      }),
      {numRuns: 2000},
    );
  });

  it('matches a hand-written BOLT #1 encoder on any 64-bit value (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({min: 0n, max: 0x1_0000n}), fc.bigInt({min: 0n, max: BIGSIZE_MAX})), (value) => {
        expect(hex(encodeBigSize(value))).to.equal(reference(value));
        const read = decodeBigSize(unhex(reference(value) + 'a5'));
        expect(read.ok && read.value.value).to.equal(value);
        expect(read.ok && hex(read.value.rest)).to.equal('a5');
      }),
      {numRuns: 2000},
    );
  });

  it('encodes plain numbers as it does bigints', () => {
    expect(hex(encodeBigSize(0))).to.equal('00');
    expect(hex(encodeBigSize(252))).to.equal('fc');
    expect(hex(encodeBigSize(253))).to.equal('fd00fd');
    expect(hex(encodeBigSize(300))).to.equal('fd012c');
    expect(hex(encodeBigSize(65535))).to.equal('fdffff');
    expect(hex(encodeBigSize(65536))).to.equal('fe00010000');
    expect(hex(encodeBigSize(2 ** 32))).to.equal('ff0000000100000000');
    expect(hex(encodeBigSize(Number.MAX_SAFE_INTEGER))).to.equal('ff001fffffffffffff');
  });

  it('names the width it could not read, with the reference wording', () => {
    const cases: [string, string][] = [
      ['', 'underrun while peeking a uint8'],
      ['fd', 'underrun while peeking a uint16'],
      ['fd01', 'underrun while peeking a uint16'],
      ['fe000100', 'underrun while peeking a uint32'],
      ['ff00000001000000', 'underrun while peeking a uint64'],
    ];
    for (const [bytes, reason] of cases) expectError(decodeBigSize(unhex(bytes)), 'BIGSIZE_UNDERRUN', reason);
    const short = decodeBigSize(unhex('fe0001'));
    expect(!short.ok && short.error.message).to.equal('truncated BigSize: needs 5 byte(s), 3 left');
  });

  it('rejects each non-minimal width just below its minimum, and keeps the rest after each width', () => {
    expectError(decodeBigSize(unhex('fd00fc')), 'BIGSIZE_NOT_MINIMAL', 'not a minimally encoded unit16');
    expectError(decodeBigSize(unhex('fe0000ffff')), 'BIGSIZE_NOT_MINIMAL', 'not a minimally encoded uint32');
    expectError(decodeBigSize(unhex('ff00000000ffffffff')), 'BIGSIZE_NOT_MINIMAL', 'not a minimally encoded uint64');
    expectError(decodeBigSize(unhex('fd0000')), 'BIGSIZE_NOT_MINIMAL', 'not a minimally encoded unit16');
    const wide = decodeBigSize(unhex('fe0000fffe'));
    expect(!wide.ok && wide.error.message).to.equal('BigSize 65534 is not minimally encoded (5 bytes used)');
    for (const [bytes, value] of [['fcee', 0xfcn], ['fd00fdee', 0xfdn], ['fe00010000ee', 0x10000n], ['ff0000000100000000ee', 0x100000000n]] as const) {
      const read = decodeBigSize(unhex(bytes));
      expect(read.ok && read.value.value, bytes).to.equal(value);
      expect(read.ok && hex(read.value.rest), bytes).to.equal('ee');
    }
  });

  it('decodeSmallBigSize takes values up to 2^53 - 1 and refuses larger ones', () => {
    const max = decodeSmallBigSize(unhex('ff001fffffffffffff77'));
    expect(max.ok && max.value.value).to.equal(Number.MAX_SAFE_INTEGER);
    expect(max.ok && hex(max.value.rest)).to.equal('77');
    expectError(decodeSmallBigSize(unhex('ff0020000000000000')), 'BIGSIZE_TOO_LARGE');
    const large = decodeSmallBigSize(unhex('ff0020000000000000'));
    expect(!large.ok && large.error.message).to.equal('BigSize 9007199254740992 is too large for this field');
    expectError(decodeSmallBigSize(unhex('fd00fc')), 'BIGSIZE_NOT_MINIMAL', 'not a minimally encoded unit16');
    const small = decodeSmallBigSize(unhex('fd01000102'));
    expect(small.ok && small.value.value).to.equal(256);
    expect(small.ok && hex(small.value.rest)).to.equal('0102');
  });

  it('answers 10,000 random byte strings with a value or a typed error only (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 12}), (bytes) => {
        const read = decodeBigSize(bytes);
        return read.ok || ['BIGSIZE_UNDERRUN', 'BIGSIZE_NOT_MINIMAL'].includes(read.error.code);
      }),
      {numRuns: 10000},
    );
  });
});

/** BOLT #1's BigSize, written out: one byte below 0xfd, else a prefix and 2, 4 or 8 big-endian bytes. */
function reference(value: bigint): string {
  const be = (width: number): string => value.toString(16).padStart(2 * width, '0');
  if (value < 0xfdn) return be(1);
  if (value < 0x10000n) return 'fd' + be(2);
  if (value < 0x100000000n) return 'fe' + be(4);
  return 'ff' + be(8);
}

