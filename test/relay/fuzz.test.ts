/**
 * A short relay fuzz campaign in every test run (bounded to a few seconds):
 * hostile frames over real WebSockets against a live relay, while a
 * legitimate pair pings through it. `npm run fuzz -- --target relay` runs
 * longer ones.
 */
import {expect} from 'chai';
import {fuzzRelay} from '../../scripts/fuzz-relay.js';

describe('relay fuzz campaign', function () {
  this.timeout(30000);

  it('takes thousands of hostile frames without an error event, a throw or the pair going quiet', async () => {
    const seed = Math.floor(Math.random() * 0x1_0000_0000);
    const report = await fuzzRelay({runs: 3000, seed, maxMs: 5000});
    const context = JSON.stringify({...report, slowest_hex: undefined});
    expect(report.failures, context).to.deep.equal([]);
    expect(report.throws, context).to.equal(0);
    expect(report.runs, context).to.be.greaterThan(500);
    expect(report.pings, context).to.be.greaterThan(0);
    // The hostile frames reached the relay's limits: unusable-frame budgets (1008) and oversized frames (1009).
    expect(report.closes, context).to.include.keys('1008', '1009');
  });
});
