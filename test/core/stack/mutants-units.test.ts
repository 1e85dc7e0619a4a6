// The stacks' small pure helpers, each rule pinned exactly (issue 12,
// mutation testing): the reconnection delay, the bounded maps that cap what a
// hostile peer can make us remember, the NOTIFY_ERROR wording that says
// whether money moved, and the pending-request table.
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {MoneysocketError} from '../../../src/core/errors.js';
import {errorText, readErrorText, refusal, verdictOfThrow} from '../../../src/core/stack/answer-text.js';
import {backoffDelay, DEFAULT_BACKOFF} from '../../../src/core/stack/backoff.js';
import {BoundedMap} from '../../../src/core/stack/bounded-map.js';
import {TypedEventTarget} from '../../../src/core/stack/events.js';
import {PendingRequests} from '../../../src/core/stack/pending.js';

describe('stack helpers, exactly', () => {
  describe('backoffDelay', () => {
    const options = {initialMs: 100, maxMs: 1000, factor: 3};

    it('documents its defaults: 250 ms, doubling, up to 10 s', () => {
      expect(DEFAULT_BACKOFF).to.deep.equal({initialMs: 250, maxMs: 10_000, factor: 2});
      expect(backoffDelay(0, undefined, () => 1)).to.equal(250);
      expect(backoffDelay(3, undefined, () => 1)).to.equal(2000);
      expect(backoffDelay(10, undefined, () => 1)).to.equal(10_000);
    });

    it('grows by the factor from the initial delay, up to the cap', () => {
      const full = () => 1;
      expect([0, 1, 2, 3].map((n) => backoffDelay(n, options, full))).to.deep.equal([100, 300, 900, 1000]);
    });

    it('treats a negative attempt as the first', () => {
      expect(backoffDelay(-3, options, () => 1)).to.equal(100);
    });

    it('jitters between a tenth of the ceiling and all of it, rounded', () => {
      expect(backoffDelay(2, options, () => 0)).to.equal(90);
      expect(backoffDelay(2, options, () => 0.5)).to.equal(Math.round(900 * 0.55));
      expect(backoffDelay(0, {initialMs: 7, maxMs: 100, factor: 2}, () => 0.5)).to.equal(4); // 3.85 rounds up
    });
  });

  describe('BoundedMap', () => {
    it('forgets the oldest entry once past its size, and a re-set entry counts as new', () => {
      const map = new BoundedMap<string, number>(2);
      map.set('a', 1);
      map.set('b', 2);
      expect(map.size).to.equal(2);
      map.set('a', 3); // refreshed: 'b' is now the oldest
      map.set('c', 4);
      expect(map.size).to.equal(2);
      expect(map.has('b')).to.equal(false);
      expect(map.get('a')).to.equal(3);
      expect([...map.values()]).to.deep.equal([3, 4]);
      expect(map.delete('a')).to.equal(true);
      expect(map.delete('a')).to.equal(false);
      expect(map.has('c')).to.equal(true);
      expect(map.get('zz')).to.equal(undefined);
    });

    it('holds exactly its size', () => {
      const map = new BoundedMap<number, number>(3);
      for (let i = 0; i < 3; i++) map.set(i, i);
      expect([...map.values()]).to.deep.equal([0, 1, 2]);
    });
  });

  describe('NOTIFY_ERROR wording', () => {
    it('marks refusals and unknown outcomes, and leaves failures as they are', () => {
      expect(errorText('refused', 'no')).to.equal('refused: no');
      expect(errorText('unknown', 'lost')).to.equal('outcome unknown: lost');
      expect(errorText('failed', 'route')).to.equal('route');
    });

    it('reads the markers back, and only at the start', () => {
      expect(readErrorText('refused: no')).to.deep.equal({verdict: 'refused', reason: 'no'});
      expect(readErrorText('outcome unknown: lost')).to.deep.equal({verdict: 'unknown', reason: 'lost'});
      expect(readErrorText('it was refused: no')).to.deep.equal({verdict: 'failed', reason: 'it was refused: no'});
      expect(readErrorText('Refused: no')).to.deep.equal({verdict: 'failed', reason: 'Refused: no'});
      expect(readErrorText('x outcome unknown: y')).to.deep.equal({verdict: 'failed', reason: 'x outcome unknown: y'});
    });

    it('reads what a handler threw: the code decides, the message is the reason, cut at 500 characters', () => {
      expect(verdictOfThrow(refusal('limits'))).to.deep.equal({verdict: 'refused', reason: 'limits'});
      expect(verdictOfThrow(new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', 'timeout'))).to.deep.equal({verdict: 'unknown', reason: 'timeout'});
      expect(verdictOfThrow(new MoneysocketError('PAYMENT_FAILED', 'route'))).to.deep.equal({verdict: 'failed', reason: 'route'});
      expect(verdictOfThrow({code: 'REQUEST_REFUSED'})).to.deep.equal({verdict: 'refused', reason: 'the wallet gave no reason'});
      expect(verdictOfThrow('plain words')).to.deep.equal({verdict: 'failed', reason: 'plain words'});
      expect(verdictOfThrow(null)).to.deep.equal({verdict: 'failed', reason: 'the wallet gave no reason'});
      expect(verdictOfThrow(42)).to.deep.equal({verdict: 'failed', reason: 'the wallet gave no reason'});
      expect(verdictOfThrow(new Error(''))).to.deep.equal({verdict: 'failed', reason: 'the wallet gave no reason'});
      expect(verdictOfThrow(new Error('x'.repeat(501))).reason).to.equal('x'.repeat(500));
      expect(refusal('why').code).to.equal('REQUEST_REFUSED');
      expect(refusal('why').message).to.equal('why');
    });
  });

  describe('PendingRequests', () => {
    let clock: ReturnType<typeof FakeTimers.install>;
    beforeEach(() => (clock = FakeTimers.install({toFake: ['setTimeout', 'clearTimeout']})));
    afterEach(() => clock.uninstall());

    const timeout = () => new MoneysocketError('REQUEST_TIMEOUT', 't');

    it('times a request out at its timeout, not before', async () => {
      const pending = new PendingRequests();
      let error: MoneysocketError | undefined;
      pending.add('u', 'ping', 100, timeout).catch((e: MoneysocketError) => (error = e));
      await clock.tickAsync(99);
      expect(error).to.equal(undefined);
      expect(pending.has('u')).to.equal(true);
      await clock.tickAsync(1);
      expect(error?.code).to.equal('REQUEST_TIMEOUT');
      expect(pending.has('u')).to.equal(false);
      expect(pending.size).to.equal(0);
    });

    for (const never of [0, -1, Infinity]) {
      it(`never times out a request with timeout ${never}`, async () => {
        const pending = new PendingRequests();
        let settled = false;
        pending.add('u', 'ping', never, timeout).then(
          () => (settled = true),
          () => (settled = true),
        );
        await clock.tickAsync(10 * 24 * 3600_000);
        expect(settled).to.equal(false);
        expect(clock.countTimers()).to.equal(0);
      });
    }

    it('settles each request once, and clears its timer', async () => {
      const pending = new PendingRequests();
      const answer = pending.add<string>('u', 'invoice', 100, timeout, {msats: 5});
      expect(pending.get('u')).to.deep.include({kind: 'invoice', context: {msats: 5}});
      expect(pending.resolve('u', 'lnbc')).to.equal(true);
      expect(pending.resolve('u', 'again')).to.equal(false);
      expect(pending.reject('u', timeout())).to.equal(false);
      expect(await answer).to.equal('lnbc');
      expect(clock.countTimers()).to.equal(0);
      expect(pending.get('u')).to.equal(undefined);
    });

    it('fails every request with the error chosen for its kind', async () => {
      const pending = new PendingRequests();
      const pay = pending.add('a', 'pay', 100, timeout).catch((e: MoneysocketError) => e.code);
      const ping = pending.add('b', 'ping', 100, timeout).catch((e: MoneysocketError) => e.code);
      pending.rejectAll((kind) => new MoneysocketError(kind === 'pay' ? 'PAYMENT_OUTCOME_UNKNOWN' : 'DISCONNECTED', 'gone'));
      expect(await pay).to.equal('PAYMENT_OUTCOME_UNKNOWN');
      expect(await ping).to.equal('DISCONNECTED');
      expect(pending.size).to.equal(0);
      expect(clock.countTimers()).to.equal(0);
    });
  });

  describe('TypedEventTarget', () => {
    it('on() returns an unsubscribe, once() resolves with the next detail only', async () => {
      const target = new TypedEventTarget<{tick: number}>();
      const seen: number[] = [];
      const off = target.on('tick', (n) => seen.push(n));
      const next = target.once('tick');
      target.emit('tick', 1);
      off();
      target.emit('tick', 2);
      expect(seen).to.deep.equal([1]);
      expect(await next).to.equal(1);
    });
  });
});
