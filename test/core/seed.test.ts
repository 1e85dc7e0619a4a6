import {expect} from 'chai';
import {sha256} from '@noble/hashes/sha2.js';
import {SharedSeed} from '../../src/core/seed.js';
import {aesKeyOf, rendezvousIdOf} from '../../src/core/seed-keys.js';
import {hex, loadVectors, unhex} from '../vectors.js';

interface SeedVector {
  name: string;
  shared_seed: string;
  sha256_seed: string;
  aes256_key: string;
  sha256_aes256_key: string;
  rendezvous_id: string;
}

const {vectors} = await loadVectors<SeedVector>('shared-seed.json');

describe('SharedSeed', () => {
  for (const v of vectors) {
    it(`derives key and rendezvous id: ${v.name}`, () => {
      const seed = SharedSeed.fromHex(v.shared_seed);
      expect(seed.ok).to.equal(true);
      if (!seed.ok) return;
      expect(hex(sha256(seed.value.bytes))).to.equal(v.sha256_seed);
      expect(hex(aesKeyOf(seed.value))).to.equal(v.aes256_key);
      expect(hex(sha256(aesKeyOf(seed.value)))).to.equal(v.sha256_aes256_key);
      expect(rendezvousIdOf(seed.value)).to.equal(v.rendezvous_id);
      expect(seed.value.toHex()).to.equal(v.shared_seed);
    });
  }

  it('matches the worked example of PROTOCOL.md 1.2', () => {
    const seed = SharedSeed.fromHex('0f0e0d0c0b0a09080706050403020100');
    if (!seed.ok) throw seed.error;
    expect(hex(aesKeyOf(seed.value))).to.equal('ff142220afb6e52c6e9745a0df2f5b227704c80cad9642a2322ebd17ff14cd79');
    expect(rendezvousIdOf(seed.value)).to.equal('011a9fb5504cae07d2f847f5ccbefe00145d665af513dca0cf3a3b52583e63ca');
  });

  it('generates 16 fresh random bytes each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const seed = SharedSeed.generate();
      expect(seed.bytes.length).to.equal(16);
      seen.add(seed.toHex());
    }
    expect(seen.size).to.equal(50);
  });

  it('round-trips through hex, accepting upper case and emitting lower case', () => {
    const seed = SharedSeed.fromHex('0F0E0D0C0B0A09080706050403020100');
    expect(seed.ok && seed.value.toHex()).to.equal('0f0e0d0c0b0a09080706050403020100');
  });

  for (const bad of ['', '00', '0f0e0d0c0b0a0908070605040302010', '0f0e0d0c0b0a090807060504030201000', 'zz0e0d0c0b0a09080706050403020100']) {
    it(`rejects hex "${bad}" with SEED_INVALID`, () => {
      const seed = SharedSeed.fromHex(bad);
      expect(!seed.ok && seed.error.code).to.equal('SEED_INVALID');
    });
  }

  it('rejects byte strings that are not 16 bytes', () => {
    expect(SharedSeed.fromBytes(new Uint8Array(15)).ok).to.equal(false);
    expect(SharedSeed.fromBytes(unhex('00'.repeat(17))).ok).to.equal(false);
  });
});
