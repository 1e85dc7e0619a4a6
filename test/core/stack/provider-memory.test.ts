/** The provider's memory on its own: payment ledger, replay guard, outbox, and their storage. */
import {expect} from 'chai';
import {Outbox} from '../../../src/core/stack/outbox.js';
import {PaymentLedger} from '../../../src/core/stack/payment-ledger.js';
import {ReplayGuard} from '../../../src/core/stack/replay-guard.js';
import {MemoryStorage, StoredValue} from '../../../src/core/stack/storage.js';
import type {MoneysocketError} from '../../../src/core/errors.js';

function clock(start = 1_700_000_000_000) {
  const c = {now: start, read: () => c.now};
  return c;
}

function store<T>(storage: MemoryStorage, key: string, errors: MoneysocketError[] = []) {
  return new StoredValue<T>(storage, key, (e) => errors.push(e));
}

describe('payment ledger', () => {
  it('holds a hash as paying, paid or unknown, and forgets it once its invoice can no longer be paid', () => {
    const c = clock();
    const ledger = new PaymentLedger(undefined, {maxEntries: 10, now: c.read});
    expect(ledger.begin('h1', c.now + 1000)).to.equal(true);
    expect(ledger.begin('h1', c.now + 1000)).to.equal(false);
    expect(ledger.get('h1')?.state).to.equal('paying');
    ledger.paid('h1', 'ab'.repeat(32));
    expect(ledger.get('h1')).to.deep.equal({state: 'paid', preimage: 'ab'.repeat(32), keepUntil: c.now + 1000});
    ledger.begin('h2', c.now + 1000);
    ledger.unknown('h2');
    expect(ledger.get('h2')?.state).to.equal('unknown');
    ledger.begin('h3', c.now + 1000);
    ledger.release('h3');
    expect(ledger.get('h3')).to.equal(undefined);
    c.now += 1000;
    expect(ledger.get('h1')).to.equal(undefined);
  });

  it('drops the soonest-expiring entries past its size', () => {
    const c = clock();
    const ledger = new PaymentLedger(undefined, {maxEntries: 3, now: c.read});
    for (const [hash, ttl] of [['a', 500], ['b', 100], ['c', 900], ['d', 700]] as const) ledger.begin(hash, c.now + ttl);
    expect(ledger.size).to.equal(3);
    expect(ledger.get('b')).to.equal(undefined);
    expect(ledger.get('a')?.state).to.equal('paying');
  });

  it('survives a restart through its storage, a payment in flight becoming unknown', () => {
    const c = clock();
    const storage = new MemoryStorage();
    const first = new PaymentLedger(store(storage, 'ledger'), {maxEntries: 10, now: c.read});
    first.begin('paid', c.now + 10_000);
    first.paid('paid', 'cd'.repeat(32));
    first.begin('flying', c.now + 10_000);
    const second = new PaymentLedger(store(storage, 'ledger'), {maxEntries: 10, now: c.read});
    expect(second.get('paid')).to.include({state: 'paid', preimage: 'cd'.repeat(32)});
    expect(second.get('flying')?.state).to.equal('unknown');
  });

  it('ignores a corrupt or foreign stored value', () => {
    const storage = new MemoryStorage();
    for (const junk of ['{', '42', '[["h",{"state":"odd","keepUntil":1}]]', '[["h",null]]', '[["h",{"state":"paid","keepUntil":9e15}]]']) {
      storage.setItem('ledger', junk);
      expect(new PaymentLedger(store(storage, 'ledger'), {maxEntries: 10, now: () => 0}).size, junk).to.equal(0);
    }
  });
});

describe('replay guard', () => {
  const uuid = '5f3b2c1a-0d4e-4f6a-8b7c-9d0e1f2a3b4c';

  it('admits a uuid once, compared in lower case, for as long as its timestamp is in the window', () => {
    const c = clock();
    const guard = new ReplayGuard(undefined, {windowMs: 60_000, maxEntries: 100, now: c.read});
    expect(guard.admit(uuid, c.now / 1000)).to.deep.equal({ok: true});
    expect(guard.admit(uuid.toUpperCase(), c.now / 1000)).to.include({ok: false, duplicate: true});
    c.now += 59_000;
    expect(guard.admit(uuid, (c.now - 59_000) / 1000)).to.include({ok: false, duplicate: true});
    c.now += 2_000; // the request is now stale: refused as such, not as a duplicate
    expect(guard.admit(uuid, (c.now - 61_000) / 1000)).to.include({ok: false, duplicate: false});
  });

  it('refuses timestamps outside the window either way, with the skew in the reason', () => {
    const c = clock();
    const guard = new ReplayGuard(undefined, {windowMs: 60_000, maxEntries: 100, now: c.read});
    const past = guard.admit(uuid, (c.now - 60_001) / 1000);
    const future = guard.admit(uuid, (c.now + 60_001) / 1000);
    expect(past.ok || future.ok).to.equal(false);
    expect(!past.ok && past.reason).to.match(/60 s in the past/);
    expect(!future.ok && future.reason).to.match(/60 s in the future/);
    expect(guard.admit(uuid, (c.now + 60_000) / 1000).ok).to.equal(true);
  });

  it('keeps every uuid of the window: past its bound it refuses new requests rather than forget', () => {
    const c = clock();
    const guard = new ReplayGuard(undefined, {windowMs: 60_000, maxEntries: 3, now: c.read});
    const ids = ['a', 'b', 'c', 'd'].map((x) => `${x.repeat(8)}-0000-4000-8000-000000000000`);
    for (const id of ids.slice(0, 3)) expect(guard.admit(id, c.now / 1000).ok).to.equal(true);
    const full = guard.admit(ids[3]!, c.now / 1000);
    expect(full).to.include({ok: false, duplicate: false});
    expect(guard.admit(ids[0]!, c.now / 1000)).to.include({duplicate: true});
    c.now += 61_000; // all stale now: pruned, room again
    expect(guard.admit(ids[3]!, c.now / 1000).ok).to.equal(true);
  });

  it('remembers through its storage', () => {
    const c = clock();
    const storage = new MemoryStorage();
    new ReplayGuard(store(storage, 'replay'), {windowMs: 60_000, maxEntries: 10, now: c.read}).admit(uuid, c.now / 1000);
    const restarted = new ReplayGuard(store(storage, 'replay'), {windowMs: 60_000, maxEntries: 10, now: c.read});
    expect(restarted.admit(uuid, c.now / 1000)).to.include({duplicate: true});
  });
});

describe('outbox', () => {
  it('sends each answer twice in all: once more after the next handshake if it went out, twice if it did not', () => {
    const c = clock();
    const outbox = new Outbox(undefined, {maxPerConsumer: 5, maxConsumers: 5, maxAgeMs: 1000, now: c.read});
    outbox.add('A', {n: 'sent'}, true);
    outbox.add('A', {n: 'lost'}, false);
    const flushed: unknown[] = [];
    for (let handshake = 0; handshake < 3; handshake++) outbox.flush('A', (m) => flushed.push(m['n']) > 0);
    expect(flushed).to.deep.equal(['sent', 'lost', 'lost']);
    // A send that fails does not count.
    outbox.add('A', {n: 'later'}, false);
    outbox.flush('A', () => false);
    expect(outbox.pending('A')).to.deep.equal([{n: 'later'}]);
  });

  it('keeps answers per consumer, bounded in count and age, oldest first', () => {
    const c = clock();
    const outbox = new Outbox(undefined, {maxPerConsumer: 2, maxConsumers: 2, maxAgeMs: 1000, now: c.read});
    outbox.add('A', {n: 1}, false);
    c.now += 10;
    outbox.add('A', {n: 2}, false);
    outbox.add('A', {n: 3}, true);
    outbox.add('B', {n: 4}, false);
    expect(outbox.pending('A')).to.deep.equal([{n: 2}, {n: 3}]);
    expect(outbox.pending('B')).to.deep.equal([{n: 4}]);
    outbox.add('C', {n: 5}, false); // a third consumer pushes out the least recent
    expect(outbox.pending('A')).to.deep.equal([]);
    c.now += 1000;
    expect(outbox.pending('C')).to.deep.equal([]);
  });

  it('survives a reload through its storage', () => {
    const c = clock();
    const storage = new MemoryStorage();
    new Outbox(store(storage, 'outbox'), {maxPerConsumer: 5, maxConsumers: 5, maxAgeMs: 1000, now: c.read}).add('A', {n: 1}, false);
    expect(new Outbox(store(storage, 'outbox'), {maxPerConsumer: 5, maxConsumers: 5, maxAgeMs: 1000, now: c.read}).pending('A')).to.deep.equal([{n: 1}]);
  });
});

describe('stored values', () => {
  it('reports a store that refuses to write, and carries on', () => {
    const errors: MoneysocketError[] = [];
    const full = {getItem: () => null, setItem: () => {
      throw new Error('QuotaExceededError');
    }, removeItem: () => undefined};
    new StoredValue<number>(full, 'k', (e) => errors.push(e)).write(1);
    expect(errors.map((e) => e.message)).to.deep.equal(['could not save k (QuotaExceededError); it is kept in memory only']);
  });
});
