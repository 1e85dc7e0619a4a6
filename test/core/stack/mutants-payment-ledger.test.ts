// The payment ledger read back after a restart (issue 12, mutation testing):
// a paid entry keeps its preimage, an in-flight one comes back as 'unknown'.
import {expect} from 'chai';
import {PaymentLedger} from '../../../src/core/stack/payment-ledger.js';
import {MemoryStorage, StoredValue} from '../../../src/core/stack/storage.js';

const PRE = 'ab'.repeat(32);

function reload(entries: unknown): PaymentLedger {
  const storage = new MemoryStorage();
  storage.setItem('ledger', JSON.stringify(entries));
  const store = new StoredValue<[string, never][]>(storage, 'ledger', () => undefined);
  return new PaymentLedger(store as never, {maxEntries: 10, now: () => 1000});
}

describe('payment ledger after a restart', () => {
  it('keeps a paid payment with its preimage, so it is never paid twice', () => {
    const ledger = reload([['h1', {state: 'paid', preimage: PRE, keepUntil: 5000}]]);
    expect(ledger.get('h1')).to.deep.equal({state: 'paid', preimage: PRE, keepUntil: 5000});
    expect(ledger.begin('h1', 6000)).to.equal(false);
  });

  it('turns a payment that was in flight into one of unknown outcome', () => {
    const ledger = reload([['h2', {state: 'paying', preimage: PRE, keepUntil: 5000}]]);
    expect(ledger.get('h2')).to.deep.equal({state: 'unknown', keepUntil: 5000});
    expect(ledger.begin('h2', 6000)).to.equal(false);
  });

  it('drops a paid entry without a preimage and one with a foreign state', () => {
    const ledger = reload([
      ['h3', {state: 'paid', keepUntil: 5000}],
      ['h4', {state: 'refunded', keepUntil: 5000}],
      ['h5', {state: 'unknown', keepUntil: 5000}],
    ]);
    expect(ledger.size).to.equal(1);
    expect(ledger.get('h5')).to.deep.equal({state: 'unknown', keepUntil: 5000});
  });
});
