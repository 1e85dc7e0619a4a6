// Survivors of the mutation run over replay-guard.ts (issue 12): each test
// fails with the mutants it names and passes without them. The guard runs on
// a clock the test sets, so window edges are hit to the millisecond.
import {expect} from 'chai';
import {ReplayGuard, type ReplayOptions} from '../../../src/core/stack/replay-guard.js';
import {MemoryStorage, StoredValue} from '../../../src/core/stack/storage.js';

function guard(options: Partial<ReplayOptions> = {}, store?: StoredValue<[string, {until: number}][]>) {
  const clock = {now: 0};
  const g = new ReplayGuard(store, {windowMs: 10 * 60 * 1000, maxEntries: 100, now: () => clock.now, ...options});
  return {g, clock};
}

describe('replay-guard survivors, killed', () => {
  // :39 and :62 (the edge of the window): a request is remembered for as long as its stamp is accepted.
  it('a request replayed exactly at the edge of the window is still a duplicate', () => {
    const {g, clock} = guard({windowMs: 1000});
    expect(g.admit('a', 0)).to.deep.equal({ok: true});
    clock.now = 1000;
    // Another request first, so the once-a-second prune runs at this very millisecond.
    expect(g.admit('b', 1)).to.deep.equal({ok: true});
    expect(g.admit('a', 0)).to.include({ok: false, duplicate: true});
    clock.now = 1001;
    expect(g.admit('a', 0)).to.include({ok: false, duplicate: false});
  });

  // :62 (the prune → delete everything)
  it('a uuid stays remembered through a prune while its stamp is inside the window', () => {
    const {g, clock} = guard();
    g.admit('a', 0);
    clock.now = 1500;
    expect(g.admit('b', 1.5)).to.deep.equal({ok: true});
    expect(g.admit('a', 0)).to.include({ok: false, duplicate: true});
  });

  // :60 (→ false, `<` → `<=`), :61 (`+` → `-`): pruning runs at most once a second, and as soon as it is due.
  it('a full guard refuses until its once-a-second prune is due, then makes room for new requests', () => {
    const {g, clock} = guard({windowMs: 100, maxEntries: 1});
    g.admit('a', 0);
    clock.now = 500;
    const full = g.admit('b', 0.5);
    expect(full).to.deep.equal({ok: false, duplicate: false, reason: 'too many requests in the replay window; try again later'});
    clock.now = 1000;
    expect(g.admit('b', 1)).to.deep.equal({ok: true});
  });

  // :43 (`skew < 0` → `skew <= 0`): a stamp under half a second ahead, outside a tiny window, is in the future.
  it('a stamp a fraction of a second ahead is reported as in the future', () => {
    const {g} = guard({windowMs: 100});
    const verdict = g.admit('a', 0.4);
    expect(verdict).to.deep.equal({ok: false, duplicate: false, reason: "the request is stamped 0 s in the future, outside the replay window; check the device's clock"});
  });

  // :68 (the stored-entry filter → true)
  it('a stored entry whose expiry is not a number is ignored, not taken for a remembered uuid', () => {
    const storage = new MemoryStorage();
    storage.setItem('replay', JSON.stringify([['a', {until: '99999999999999'}], ['b', {until: 99_999_999_999_999}]]));
    const {g} = guard({}, new StoredValue(storage, 'replay', () => undefined));
    expect(g.admit('a', 0)).to.deep.equal({ok: true});
    expect(g.admit('b', 0)).to.include({ok: false, duplicate: true});
  });
});
