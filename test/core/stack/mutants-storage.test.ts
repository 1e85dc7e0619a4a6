// The stacks' storage helpers and the provider's memory built on them (issue 12,
// mutation testing): what is kept under which key, and what stored junk is skipped.
import {expect} from 'chai';
import {ProviderMemory} from '../../../src/core/stack/provider-memory.js';
import {MemoryStorage, recordPairs} from '../../../src/core/stack/storage.js';

describe('MemoryStorage', () => {
  // storage.ts:26 (removeItem emptied).
  it('forgets a removed key and keeps the others', () => {
    const storage = new MemoryStorage();
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    storage.removeItem('a');
    expect(storage.getItem('a')).to.equal(null);
    expect(storage.getItem('b')).to.equal('2');
  });
});

describe('recordPairs', () => {
  // storage.ts:72 (each check of an item, and the || joining them, weakened).
  it('keeps only [string, object] pairs, skipping every other kind of item', () => {
    const good = {until: 1};
    const items: unknown[] = [
      {0: 'not-an-array', 1: {until: 2}, length: 2},
      [42, {until: 3}],
      ['text-record', 'not an object'],
      ['null-record', null],
      ['good', good],
    ];
    expect(recordPairs(items)).to.deep.equal([['good', good]]);
  });

  // storage.ts:72 (one check at a time: each bad item alone is skipped).
  for (const [what, item] of [
    ['an array-like object', {0: 'k', 1: {until: 2}, length: 2}],
    ['a pair keyed by a number', [42, {until: 3}]],
    ['a pair whose record is a string', ['k', 'record']],
    ['a pair whose record is null', ['k', null]],
  ] as const) {
    it(`skips ${what}`, () => {
      expect(recordPairs([item])).to.deep.equal([]);
    });
  }
});

describe('ProviderMemory', () => {
  const nowSeconds = (): number => Date.now() / 1000;

  // provider-memory.ts:28 (10 * 60 * 1000 made 10 * 60 / 1000 or 10 / 60): the default window is 10 minutes.
  it('accepts a request stamped 9 minutes off by default, and refuses one 11 minutes off', () => {
    const memory = new ProviderMemory({}, () => undefined);
    expect(memory.replay.admit('8c6f0b3e-0000-4000-8000-000000000001', nowSeconds() - 9 * 60)).to.deep.equal({ok: true});
    expect(memory.replay.admit('8c6f0b3e-0000-4000-8000-000000000002', nowSeconds() + 9 * 60)).to.deep.equal({ok: true});
    expect(memory.replay.admit('8c6f0b3e-0000-4000-8000-000000000003', nowSeconds() - 11 * 60).ok).to.equal(false);
  });

  // provider-memory.ts:37 (the default prefix emptied, or ?? made &&).
  it('keeps its replay memory under moneysocket-provider: by default', () => {
    const storage = new MemoryStorage();
    const memory = new ProviderMemory({storage}, () => undefined);
    expect(memory.replay.admit('8c6f0b3e-0000-4000-8000-000000000004', nowSeconds()).ok).to.equal(true);
    expect(storage.getItem('moneysocket-provider:replay')).to.be.a('string').and.include('8c6f0b3e-0000-4000-8000-000000000004');
  });

  // provider-memory.ts:37 (?? made &&: the given prefix ignored).
  it('keeps its replay memory under the storageKey given', () => {
    const storage = new MemoryStorage();
    const memory = new ProviderMemory({storage, storageKey: 'shop-a'}, () => undefined);
    expect(memory.replay.admit('8c6f0b3e-0000-4000-8000-000000000005', nowSeconds()).ok).to.equal(true);
    expect(storage.getItem('shop-a:replay')).to.be.a('string').and.include('8c6f0b3e-0000-4000-8000-000000000005');
    expect(storage.getItem('moneysocket-provider:replay')).to.equal(null);
    const restarted = new ProviderMemory({storage, storageKey: 'shop-a'}, () => undefined);
    expect(restarted.replay.admit('8c6f0b3e-0000-4000-8000-000000000005', nowSeconds()).ok).to.equal(false);
  });
});
