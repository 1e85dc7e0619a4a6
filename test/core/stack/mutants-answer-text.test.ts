// What a provider's handler threw, read as a verdict (issue 12, mutation
// testing): a handler may throw anything, `undefined` included, and reading
// it must never throw in turn, or the pay request would go unanswered.
import {expect} from 'chai';
import {verdictOfThrow} from '../../../src/core/stack/answer-text.js';

describe('verdictOfThrow on values that are not objects', () => {
  it('reads a thrown undefined as a failure with no reason, without throwing', () => {
    expect(verdictOfThrow(undefined)).to.deep.equal({verdict: 'failed', reason: 'the wallet gave no reason'});
  });

  it('reads a thrown number or string as a failure', () => {
    expect(verdictOfThrow(42)).to.deep.equal({verdict: 'failed', reason: 'the wallet gave no reason'});
    expect(verdictOfThrow('no route')).to.deep.equal({verdict: 'failed', reason: 'no route'});
  });
});
