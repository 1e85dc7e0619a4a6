import {expect} from 'chai';
import {sha256 as nobleSha256} from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import {toHex, utf8Encode} from '../../src/core/bytes.js';
import {sha256} from '../../src/core/sha256.js';

describe('sha256', () => {
  it('gives the FIPS 180-2 examples (one block, two blocks, a million a)', () => {
    expect(toHex(sha256(utf8Encode('abc')))).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(utf8Encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).to.equal(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(toHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).to.equal('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    expect(toHex(sha256(new Uint8Array(0)))).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('equals noble\'s sha256 at every length up to three blocks (the padding boundaries)', () => {
    for (let length = 0; length <= 200; length++) {
      const data = Uint8Array.from({length}, (_, i) => (i * 131 + length) & 0xff);
      expect(toHex(sha256(data)), `length ${length}`).to.equal(toHex(nobleSha256(data)));
    }
  });

  it('equals noble\'s sha256 on random inputs', () => {
    fc.assert(fc.property(fc.uint8Array({maxLength: 600}), (data) => toHex(sha256(data)) === toHex(nobleSha256(data))), {numRuns: 500});
  });

  it('reads only the bytes of a view, not the rest of its buffer', () => {
    const buffer = Uint8Array.from({length: 100}, (_, i) => i);
    const view = buffer.subarray(10, 42);
    expect(toHex(sha256(view))).to.equal(toHex(nobleSha256(view.slice())));
  });
});
