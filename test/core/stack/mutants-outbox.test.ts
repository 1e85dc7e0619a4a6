// Survivors of the mutation run over outbox.ts (issue 12): each test fails
// with the mutants it names and passes without them. The outbox runs on a
// clock the test sets and a storage that counts what is written to it.
import {expect} from 'chai';
import {Outbox} from '../../../src/core/stack/outbox.js';
import {MemoryStorage, StoredValue} from '../../../src/core/stack/storage.js';

type Stored = [string, {entries: {message: Record<string, unknown>; at: number; sends: number}[]}][];

/** A MemoryStorage that counts its writes. */
class CountingStorage extends MemoryStorage {
  writes = 0;

  override setItem(key: string, value: string): void {
    this.writes++;
    super.setItem(key, value);
  }
}

const OPTIONS = {maxPerConsumer: 5, maxConsumers: 5, maxAgeMs: 1000, now: () => 2000};

function outboxOn(storage: MemoryStorage, options = OPTIONS): Outbox {
  return new Outbox(new StoredValue<Stored>(storage, 'outbox', () => undefined), options);
}

/** An outbox read from a store holding one valid answer for A and `other` after it. */
function reloadedWith(other: unknown): Outbox {
  const storage = new MemoryStorage();
  const valid = {message: {n: 1}, at: 2000, sends: 0};
  storage.setItem('outbox', JSON.stringify([['A', {entries: [valid, other]}]]));
  return outboxOn(storage);
}

describe('outbox survivors, killed', () => {
  // :58 (`changed = false` → true), :64 (→ false): a flush that sends nothing writes nothing.
  it('a flush that sends nothing does not write to the storage', () => {
    const storage = new CountingStorage();
    const outbox = outboxOn(storage);
    outbox.add('A', {n: 1}, false);
    const before = storage.writes;
    outbox.flush('A', () => false);
    outbox.flush('B', () => true);
    expect(storage.writes).to.equal(before);
  });

  // :62 (`changed = true` → false), :64 (`!changed` → `changed`, → true): a flush that sends saves the new count.
  it('a flush that sends saves it, so a reloaded outbox does not send the answer a third time', () => {
    const storage = new CountingStorage();
    outboxOn(storage).add('A', {n: 1}, true);
    const before = storage.writes;
    outboxOn(storage).flush('A', () => true);
    expect(storage.writes).to.equal(before + 1);
    expect(outboxOn(storage).pending('A')).to.deep.equal([]);
  });

  // :93 (the filter → `entries`, and each of its checks → true or `&&` → `||`): a stored entry
  // that is null, or whose time, count or message has the wrong type, is dropped, and the
  // valid answers next to it are kept.
  const invalid: [string, unknown][] = [
    ['null', null],
    ['a time that is a string', {message: {n: 2}, at: '2000', sends: 0}],
    ['a count that is a string', {message: {n: 2}, at: 2000, sends: '0'}],
    ['a message that is a string', {message: 'n', at: 2000, sends: 0}],
    ['a message that is null', {message: null, at: 2000, sends: 0}],
  ];
  for (const [what, entry] of invalid) {
    it(`a stored entry with ${what} is dropped, the valid one kept`, () => {
      expect(reloadedWith(entry).pending('A')).to.deep.equal([{n: 1}]);
    });
  }

  // Limits lowered between runs: what was stored is held to the new ones when it is read, not only at the next add().
  it('a reloaded outbox keeps only the newest consumers and answers its limits allow', () => {
    const storage = new MemoryStorage();
    const entries = (id: string) => [1, 2, 3, 4].map((n) => ({message: {id, n}, at: 2000, sends: 0}));
    storage.setItem('outbox', JSON.stringify(['A', 'B', 'C'].map((id) => [id, {entries: entries(id)}])));
    const outbox = outboxOn(storage, {...OPTIONS, maxConsumers: 2, maxPerConsumer: 2});
    expect(outbox.pending('A')).to.deep.equal([]);
    expect(outbox.pending('B')).to.deep.equal([{id: 'B', n: 3}, {id: 'B', n: 4}]);
    expect(outbox.pending('C')).to.deep.equal([{id: 'C', n: 3}, {id: 'C', n: 4}]);
  });

  it('a reloaded outbox allowed no answers keeps none', () => {
    const storage = new MemoryStorage();
    storage.setItem('outbox', JSON.stringify([['A', {entries: [{message: {n: 1}, at: 2000, sends: 0}]}]]));
    const outbox = outboxOn(storage, {...OPTIONS, maxPerConsumer: 0});
    expect(outbox.pending('A')).to.deep.equal([]);
  });
});
