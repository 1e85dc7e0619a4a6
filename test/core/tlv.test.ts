import {expect} from 'chai';
import fc from 'fast-check';
import {encodeTlv, parseTlvStream, popTlv} from '../../src/core/tlv.js';
import {BIGSIZE_MAX} from '../../src/core/bigsize.js';
import {hex, loadVectors, unhex} from '../vectors.js';

interface TlvVector {
  name: string;
  group: 'pop' | 'pop-error';
  bytes: string;
  type?: string;
  length?: number;
  value?: string;
  remainder?: string;
  error: string | null;
}

const {vectors} = await loadVectors<TlvVector>('tlv.json');

describe('TLV', () => {
  for (const v of vectors) {
    it(`${v.group}: ${v.name}`, () => {
      const read = popTlv(unhex(v.bytes));
      if (v.group === 'pop-error') {
        expect(!read.ok && read.error.reason).to.equal(v.error);
        return;
      }
      if (!read.ok) throw read.error;
      expect(read.value.type).to.equal(BigInt(v.type!));
      expect(read.value.value.length).to.equal(v.length);
      expect(hex(read.value.value)).to.equal(v.value);
      expect(hex(read.value.rest)).to.equal(v.remainder);
      expect(hex(encodeTlv(read.value.type, read.value.value))).to.equal(v.bytes.slice(0, v.bytes.length - v.remainder!.length));
    });
  }

  it('reports a value shorter than its length as truncated', () => {
    const read = popTlv(unhex('0105aabb'));
    expect(!read.ok && read.error.code).to.equal('TLV_TRUNCATED');
    expect(!read.ok && read.error.reason).to.equal('value truncated');
  });

  it('reports an overlong length (beyond 2^53) as truncated, not as a crash', () => {
    const read = popTlv(unhex('01ffffffffffffffffff00'));
    expect(!read.ok && read.error.code).to.equal('TLV_TRUNCATED');
  });

  it('reads a whole stream or fails on the first bad record', () => {
    const stream = parseTlvStream(unhex('0001ab0102cdef'));
    expect(stream.ok && stream.value.length).to.equal(2);
    expect(parseTlvStream(unhex('0001ab0105cd')).ok).to.equal(false);
  });

  it('round-trips random records (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({min: 0n, max: BIGSIZE_MAX}), fc.uint8Array({maxLength: 300}), (type, value) => {
        const read = popTlv(encodeTlv(type, value));
        return read.ok && read.value.type === type && hex(read.value.value) === hex(value) && read.value.rest.length === 0;
      }),
      {numRuns: 1000},
    );
  });

  it('never throws on 10,000 random byte strings (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 64}), (bytes) => {
        const read = popTlv(bytes);
        return read.ok || ['BIGSIZE_UNDERRUN', 'BIGSIZE_NOT_MINIMAL', 'TLV_TRUNCATED'].includes(read.error.code);
      }),
      {numRuns: 10000},
    );
  });
});
