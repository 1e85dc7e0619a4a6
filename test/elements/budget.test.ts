// The spending limits <ms-provider> enforces, tested directly: the module is
// pure, so it runs under Node (and so under Stryker) as well as in Chromium.
import {expect} from 'chai';
import {DAY_MS, OVER_BUDGET, OVER_LIMIT, SpendingBudget, type Limits} from '../../src/elements/internal/budget.js';

const T0 = Date.UTC(2024, 0, 1);
const noLimits: Limits = {maxPaymentMsats: undefined, dailyBudgetMsats: undefined};
const perPayment = (max: number | null | undefined): Limits => ({maxPaymentMsats: max, dailyBudgetMsats: undefined});
const daily = (budget: number | null | undefined): Limits => ({maxPaymentMsats: undefined, dailyBudgetMsats: budget});
const LIMIT = {code: 'OVER_LIMIT', reason: OVER_LIMIT};
const BUDGET = {code: 'OVER_BUDGET', reason: OVER_BUDGET};
/** What a provider stack rejects with when it refused a request: nothing was attempted. */
const refused = (): Error & {code: string} => Object.assign(new Error('the wallet refused'), {code: 'REQUEST_REFUSED'});

/** A payment the test settles by hand. */
function deferred<T>(): {promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {promise, resolve, reject};
}

/** A budget with a fake clock the test moves by hand. */
function setup(): {budget: SpendingBudget; clock: {now: number}; read: () => number; changes: () => number} {
  const clock = {now: T0};
  let changes = 0;
  return {budget: new SpendingBudget(() => changes++), clock, read: () => clock.now, changes: () => changes};
}

/** Spends `msats` successfully at the clock's current time. */
async function spend(budget: SpendingBudget, msats: bigint, read: () => number): Promise<void> {
  await budget.track(msats, Promise.resolve('preimage'), read);
}

describe('SpendingBudget', () => {
  it('refuses with the reasons the consumer is sent (NOTIFY_ERROR texts are a contract)', () => {
    expect(OVER_LIMIT).to.equal('the payment is over the wallet\'s limit per payment');
    expect(OVER_BUDGET).to.equal('the payment would go over the wallet\'s daily budget');
  });

  describe('per-payment limit', () => {
    it('allows a payment equal to the limit and refuses one msat more', () => {
      const {budget} = setup();
      expect(budget.refusal(1000n, perPayment(1000), T0)).to.equal(undefined);
      expect(budget.refusal(1001n, perPayment(1000), T0)).to.deep.equal(LIMIT);
      expect(budget.refusal(0n, perPayment(1000), T0)).to.equal(undefined);
    });

    it('rounds a fractional limit down: 1000.9 allows 1000, not 1001', () => {
      const {budget} = setup();
      expect(budget.refusal(1000n, perPayment(1000.9), T0)).to.equal(undefined);
      expect(budget.refusal(1001n, perPayment(1000.9), T0)).to.deep.equal(LIMIT);
    });

    it('a limit of 0 allows only 0', () => {
      const {budget} = setup();
      expect(budget.refusal(0n, perPayment(0), T0)).to.equal(undefined);
      expect(budget.refusal(1n, perPayment(0), T0)).to.deep.equal(LIMIT);
    });

    it('handles amounts past 2^53 exactly', () => {
      const {budget} = setup();
      const max = 2 ** 53;
      expect(budget.refusal(BigInt(max), perPayment(max), T0)).to.equal(undefined);
      expect(budget.refusal(BigInt(max) + 1n, perPayment(max), T0)).to.deep.equal(LIMIT);
    });

    it('is checked before the daily budget', () => {
      const {budget} = setup();
      expect(budget.refusal(2000n, {maxPaymentMsats: 1000, dailyBudgetMsats: 1500}, T0)).to.deep.equal(LIMIT);
      expect(budget.refusal(1200n, {maxPaymentMsats: 1000, dailyBudgetMsats: 1500}, T0)).to.deep.equal(LIMIT);
      expect(budget.refusal(1000n, {maxPaymentMsats: 2000, dailyBudgetMsats: 999}, T0)).to.deep.equal(BUDGET);
    });
  });

  describe('unset and unusable limits', () => {
    it('unset limits (null or undefined) allow anything', () => {
      const {budget} = setup();
      const huge = 10n ** 30n;
      expect(budget.refusal(huge, noLimits, T0)).to.equal(undefined);
      expect(budget.refusal(huge, {maxPaymentMsats: null, dailyBudgetMsats: null}, T0)).to.equal(undefined);
    });

    for (const [name, bad] of [['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['-1', -1], ['-0.5', -0.5]] as const) {
      it(`fails closed on a limit of ${name}: even 0 msats is refused`, () => {
        const {budget} = setup();
        expect(budget.refusal(0n, perPayment(bad), T0)).to.deep.equal(LIMIT);
        expect(budget.refusal(0n, daily(bad), T0)).to.deep.equal(BUDGET);
        expect(budget.refusal(1n, perPayment(bad), T0)).to.deep.equal(LIMIT);
        // Whatever the amount: the refusal must not hinge on comparing it with a broken limit.
        expect(budget.refusal(-5n, perPayment(bad), T0)).to.deep.equal(LIMIT);
        expect(budget.refusal(-5n, daily(bad), T0)).to.deep.equal(BUDGET);
      });
    }
  });

  describe('rolling 24-hour budget', () => {
    it('allows spending up to the budget and refuses one msat more', async () => {
      const {budget, read} = setup();
      expect(budget.refusal(5000n, daily(5000), T0)).to.equal(undefined);
      expect(budget.refusal(5001n, daily(5000), T0)).to.deep.equal(BUDGET);
      await spend(budget, 3000n, read);
      expect(budget.spent(T0)).to.equal(3000n);
      expect(budget.refusal(2000n, daily(5000), T0)).to.equal(undefined);
      expect(budget.refusal(2001n, daily(5000), T0)).to.deep.equal(BUDGET);
    });

    it('adds up several payments', async () => {
      const {budget, clock, read} = setup();
      await spend(budget, 1000n, read);
      clock.now += 60_000;
      await spend(budget, 2000n, read);
      clock.now += 60_000;
      await spend(budget, 500n, read);
      expect(budget.spent(clock.now)).to.equal(3500n);
      expect(budget.refusal(1500n, daily(5000), clock.now)).to.equal(undefined);
      expect(budget.refusal(1501n, daily(5000), clock.now)).to.deep.equal(BUDGET);
    });

    it('forgets a payment exactly 24 hours after it succeeded, not a millisecond earlier', async () => {
      const {budget, read} = setup();
      await spend(budget, 4000n, read);
      expect(DAY_MS).to.equal(86_400_000);
      expect(budget.spent(T0 + DAY_MS - 1)).to.equal(4000n);
      expect(budget.refusal(1001n, daily(5000), T0 + DAY_MS - 1)).to.deep.equal(BUDGET);
      expect(budget.spent(T0 + DAY_MS)).to.equal(0n);
      expect(budget.refusal(5000n, daily(5000), T0 + DAY_MS)).to.equal(undefined);
    });

    it('rolls: older payments leave the window one by one', async () => {
      const {budget, clock, read} = setup();
      await spend(budget, 1000n, read);
      clock.now = T0 + 6 * 3600_000;
      await spend(budget, 2000n, read);
      expect(budget.spent(T0 + DAY_MS - 1)).to.equal(3000n);
      expect(budget.spent(T0 + DAY_MS)).to.equal(2000n);
      expect(budget.spent(T0 + DAY_MS + 6 * 3600_000 - 1)).to.equal(2000n);
      expect(budget.spent(T0 + DAY_MS + 6 * 3600_000)).to.equal(0n);
    });

    it('starts a payment\'s 24 hours when it succeeds, read from the clock then', async () => {
      const {budget, clock, read} = setup();
      const payment = deferred<string>();
      const tracked = budget.track(1000n, payment.promise, read);
      clock.now = T0 + 3600_000; // the payment takes an hour
      payment.resolve('preimage');
      await tracked;
      expect(budget.spent(T0 + DAY_MS)).to.equal(1000n);
      expect(budget.spent(T0 + 3600_000 + DAY_MS - 1)).to.equal(1000n);
      expect(budget.spent(T0 + 3600_000 + DAY_MS)).to.equal(0n);
    });
  });

  describe('payments in flight', () => {
    it('count against the budget while in flight, however long they take', async () => {
      const {budget, read} = setup();
      const payment = deferred<string>();
      const tracked = budget.track(3000n, payment.promise, read);
      expect(budget.spent(T0)).to.equal(3000n);
      expect(budget.refusal(2001n, daily(5000), T0)).to.deep.equal(BUDGET);
      expect(budget.refusal(2000n, daily(5000), T0)).to.equal(undefined);
      // Still in flight two days later: still counted.
      expect(budget.spent(T0 + 2 * DAY_MS)).to.equal(3000n);
      payment.resolve('preimage');
      expect(await tracked).to.equal('preimage');
    });

    it('resolve with the payment\'s own value', async () => {
      const {budget, read} = setup();
      const value = {preimage: 'ab'.repeat(32)};
      expect(await budget.track(1n, Promise.resolve(value), read)).to.equal(value);
    });

    it('free their budget only when refused (REQUEST_REFUSED): the refusal reaches the caller unchanged', async () => {
      const {budget, read} = setup();
      const payment = deferred<string>();
      const tracked = budget.track(3000n, payment.promise, read);
      const other = budget.track(1000n, Promise.resolve('ok'), read);
      await other;
      expect(budget.spent(T0)).to.equal(4000n);
      const error = refused();
      payment.reject(error);
      let caught: unknown;
      await tracked.catch((e: unknown) => (caught = e));
      expect(caught).to.equal(error);
      expect(budget.spent(T0)).to.equal(1000n);
      expect(budget.refusal(4000n, daily(5000), T0)).to.equal(undefined);
      expect(budget.refusal(4001n, daily(5000), T0)).to.deep.equal(BUDGET);
    });

    it('keep counting a failure that is not a refusal, for 24 hours from when it failed: money may have moved', async () => {
      for (const error of [new Error('route not found'), Object.assign(new Error('?'), {code: 'PAYMENT_OUTCOME_UNKNOWN'}), 'REQUEST_REFUSED', null, {code: 'REQUEST_REFUSE'}]) {
        const {budget, clock, read} = setup();
        const payment = deferred<string>();
        const tracked = budget.track(3000n, payment.promise, read);
        clock.now = T0 + 1000;
        payment.reject(error);
        let caught: unknown = 'nothing';
        await tracked.catch((e: unknown) => (caught = e));
        expect(caught).to.equal(error);
        expect(budget.spent(T0 + 1000 + DAY_MS - 1)).to.equal(3000n);
        expect(budget.spent(T0 + 1000 + DAY_MS)).to.equal(0n);
      }
    });

    it('count each payment on its own, even two of the same amount', async () => {
      const {budget, read} = setup();
      const a = deferred<string>();
      const b = deferred<string>();
      const ta = budget.track(1000n, a.promise, read);
      const tb = budget.track(1000n, b.promise, read);
      expect(budget.spent(T0)).to.equal(2000n);
      b.reject(refused());
      await tb.catch(() => undefined);
      expect(budget.spent(T0)).to.equal(1000n);
      a.resolve('x');
      await ta;
      expect(budget.spent(T0)).to.equal(1000n);
    });
  });

  describe('storage', () => {
    it('calls back after every change: a payment starting, ending, failing, and clear()', async () => {
      const {budget, read, changes} = setup();
      const ok = deferred<string>();
      const tracked = budget.track(1000n, ok.promise, read);
      expect(changes()).to.equal(1);
      ok.resolve('x');
      await tracked;
      expect(changes()).to.equal(2);
      const failing = deferred<string>();
      const failed = budget.track(1000n, failing.promise, read);
      failing.reject(refused());
      await failed.catch(() => undefined);
      expect(changes()).to.equal(4);
      budget.clear();
      expect(changes()).to.equal(5);
      expect(budget.spent(T0)).to.equal(0n);
      expect(budget.toJSON()).to.deep.equal([]);
    });

    it('a budget made without a callback works the same', async () => {
      const budget = new SpendingBudget();
      await budget.track(5n, Promise.resolve('x'), () => T0);
      budget.clear();
      expect(budget.spent(T0)).to.equal(0n);
    });

    it('toJSON keeps msats in decimal and null for a payment in flight', async () => {
      const {budget, read} = setup();
      await spend(budget, 10n ** 25n, read);
      void budget.track(7n, new Promise<string>(() => undefined), read);
      expect(budget.toJSON()).to.deep.equal([{msats: '10000000000000000000000000', at: T0}, {msats: '7', at: null}]);
    });

    it('load() reads back what toJSON() wrote; a spend that was in flight counts from now', () => {
      const {budget} = setup();
      budget.load([{msats: '1000', at: T0 - 1000}, {msats: '7', at: null}], T0 + 5);
      expect(budget.toJSON()).to.deep.equal([{msats: '1000', at: T0 - 1000}, {msats: '7', at: T0 + 5}]);
      expect(budget.spent(T0 - 1000 + DAY_MS - 1)).to.equal(1007n);
      expect(budget.spent(T0 - 1000 + DAY_MS)).to.equal(7n);
      expect(budget.spent(T0 + 5 + DAY_MS)).to.equal(0n);
    });

    it('load() skips anything unreadable, and keeps what it already had', () => {
      const {budget} = setup();
      budget.load([{msats: '5', at: T0}], T0);
      for (const junk of [null, 5, 'x', {}, {msats: '5'}]) budget.load(junk, T0);
      budget.load([
        null, 3, 'str', [], {},
        {msats: 5, at: T0}, {msats: '', at: T0}, {msats: '-5', at: T0}, {msats: '1.5', at: T0}, {msats: ' 5', at: T0}, {msats: '5 ', at: T0},
        {msats: 'x5', at: T0}, {msats: '1'.repeat(31), at: T0},
        {msats: '5', at: 'now'}, {msats: '5', at: NaN}, {msats: '5', at: Infinity},
        {msats: '1'.repeat(30), at: T0}, {msats: '9', at: T0 + 1}, {msats: '8'}, // no `at`: skipped, only null means in flight
      ], T0);
      expect(budget.toJSON()).to.deep.equal([
        {msats: '5', at: T0}, {msats: '1'.repeat(30), at: T0}, {msats: '9', at: T0 + 1},
      ]);
    });
  });
});
