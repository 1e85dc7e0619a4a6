import {expect} from 'chai';
import fc from 'fast-check';
import {decodeBigSize, encodeBigSize, BIGSIZE_MAX} from '../../src/core/bigsize.js';
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
    expect(() => encodeBigSize(BIGSIZE_MAX + 1n)).to.throw(RangeError);
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
