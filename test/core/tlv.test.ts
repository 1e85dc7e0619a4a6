import {expect} from 'chai';
import fc from 'fast-check';
import {encodeTlv, parseTlvStream, popTlv} from '../../src/core/tlv.js';
import {BIGSIZE_MAX} from '../../src/core/bigsize.js';
import {MoneysocketError, type Result} from '../../src/core/errors.js';
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

  it('encodes type, length and value as hand-written bytes', () => {
    expect(hex(encodeTlv(0, new Uint8Array()))).to.equal('0000');
    expect(hex(encodeTlv(1, unhex('ab')))).to.equal('0101ab');
    expect(hex(encodeTlv(0xfd, unhex('ab')))).to.equal('fd00fd01ab');
    expect(hex(encodeTlv(65979n, unhex('0102')))).to.equal('fe000101bb020102');
    expect(hex(encodeTlv(2, new Uint8Array(253)))).to.equal('02fd00fd' + '00'.repeat(253));
  });

  it('reads records written by hand, and their remainder (property)', () => {
    fc.assert(
      fc.property(fc.nat({max: 0xffff}), fc.uint8Array({maxLength: 300}), fc.uint8Array({maxLength: 4}), (type, value, tail) => {
        const typeHex = type < 0xfd ? type.toString(16).padStart(2, '0') : 'fd' + type.toString(16).padStart(4, '0');
        const lengthHex = value.length < 0xfd ? value.length.toString(16).padStart(2, '0') : 'fd' + value.length.toString(16).padStart(4, '0');
        const read = popTlv(unhex(typeHex + lengthHex + hex(value) + hex(tail)));
        if (!read.ok) throw read.error;
        expect(read.value.type).to.equal(BigInt(type));
        expect(hex(read.value.value)).to.equal(hex(value));
        expect(hex(read.value.rest)).to.equal(hex(tail));
        expect(hex(encodeTlv(type, value))).to.equal(typeHex + lengthHex + hex(value));
      }),
      {numRuns: 1000},
    );
  });

  it('says which part of a record it could not read, with the reference wording', () => {
    expectError(popTlv(new Uint8Array()), 'BIGSIZE_UNDERRUN', 'could not get type: underrun while peeking a uint8', 'could not read TLV type');
    expectError(popTlv(unhex('01')), 'BIGSIZE_UNDERRUN', 'could not get length: underrun while peeking a uint8', 'could not read TLV length');
    expectError(popTlv(unhex('fd00fc00')), 'BIGSIZE_NOT_MINIMAL', 'could not get type: not a minimally encoded unit16', 'could not read TLV type');
    expectError(popTlv(unhex('01fd0001')), 'BIGSIZE_NOT_MINIMAL', 'could not get length: not a minimally encoded unit16', 'could not read TLV length');
    expectError(popTlv(unhex('0102aa')), 'TLV_TRUNCATED', 'value truncated', 'TLV value truncated');
    const truncated = popTlv(unhex('0103aa'));
    expect(!truncated.ok && truncated.error.message).to.equal('TLV value truncated: length 3, 1 byte(s) left');
    const badLength = popTlv(unhex('01fd0001'));
    expect(!badLength.ok && badLength.error.message).to.equal('could not read TLV length: BigSize 1 is not minimally encoded (3 bytes used)');
  });

  it('takes a value that fills the input exactly, with nothing left', () => {
    const read = popTlv(unhex('0103aabbcc'));
    expect(read.ok && hex(read.value.value)).to.equal('aabbcc');
    expect(read.ok && read.value.rest.length).to.equal(0);
    expect(popTlv(unhex('0104aabbcc')).ok).to.equal(false);
  });

  it('parses a stream into every record, types and values as written, or the first error', () => {
    const stream = parseTlvStream(unhex('0001ab0102cdeffd00fd00'));
    expect(stream.ok && stream.value.map((r) => [r.type, hex(r.value)])).to.deep.equal([[0n, 'ab'], [1n, 'cdef'], [0xfdn, '']]);
    const empty = parseTlvStream(new Uint8Array());
    expect(empty.ok && empty.value).to.deep.equal([]);
    expectError(parseTlvStream(unhex('0001ab01')), 'BIGSIZE_UNDERRUN', 'could not get length: underrun while peeking a uint8');
    expectError(parseTlvStream(unhex('0001ab0105cd')), 'TLV_TRUNCATED', 'value truncated');
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

function expectError(r: Result<unknown>, code: string, reason: string, messageStart?: string): void {
  expect(r.ok, 'should fail').to.equal(false);
  if (r.ok) return;
  expect(r.error).to.be.instanceOf(MoneysocketError);
  expect(r.error.code).to.equal(code);
  expect(r.error.reason).to.equal(reason);
  expect(r.error.message).to.be.a('string').and.not.equal('');
  if (messageStart !== undefined) expect(r.error.message.startsWith(messageStart), r.error.message).to.equal(true);
}
