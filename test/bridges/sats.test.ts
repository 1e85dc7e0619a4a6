/** Sats on the WebLN side, msats on the wire: exact conversions, or refusals; never rounding. */
import {expect} from '@open-wc/testing';
import fc from 'fast-check';
import {exactMsats, msatsToSats, satsToMsats} from '../../src/bridges/sats.js';
import {MoneysocketError} from '../../src/core/errors.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(MoneysocketError);
    return (error as MoneysocketError).code;
  }
}

describe('sat and msat conversions', () => {
  it('turns whole sats of msats into sats, and refuses the rest (nothing attempted)', () => {
    expect(msatsToSats(0)).to.equal(0);
    expect(msatsToSats(1000)).to.equal(1);
    expect(msatsToSats(21_000_000_000n)).to.equal(21_000_000);
    expect(codeOf(() => msatsToSats(1500))).to.equal('REQUEST_REFUSED');
    expect(codeOf(() => msatsToSats(1n))).to.equal('REQUEST_REFUSED');
    fc.assert(fc.property(fc.integer({min: 0, max: 9_000_000_000_000}), (sats) => msatsToSats(sats * 1000) === sats));
    const notWholeSats = fc.integer({min: 1, max: 2 ** 50}).filter((msats) => msats % 1000 !== 0);
    fc.assert(fc.property(notWholeSats, (msats) => codeOf(() => msatsToSats(msats)) === 'REQUEST_REFUSED'));
  });

  it('reads sats as numbers or decimal strings with up to three decimals, exactly', () => {
    expect(satsToMsats(1)).to.equal(1000);
    expect(satsToMsats('2000')).to.equal(2_000_000);
    expect(satsToMsats(' 2000 ')).to.equal(2_000_000);
    expect(satsToMsats(1.5)).to.equal(1500);
    expect(satsToMsats(0.001)).to.equal(1);
    expect(satsToMsats('0.1')).to.equal(100);
    // Whatever the binary double, a number means its shortest decimal: x/1000 sats is x msats.
    fc.assert(fc.property(fc.integer({min: 0, max: 999_999_999_999_999}), (msats) => satsToMsats(msats / 1000) === msats));
  });

  it('refuses what is not an exact amount: too many decimals, signs, exponents, not a number, too large', () => {
    for (const bad of [1.0005, '0.0001', -1, '-1', '+1', '1e3', 1e21, NaN, Infinity, '', 'abc', '1.', '.5', 2 ** 53]) {
      expect(codeOf(() => satsToMsats(bad)), String(bad)).to.equal('AMOUNT_INVALID');
    }
  });

  it('reads other units by their decimals: msats take none, BTC eleven', () => {
    expect(exactMsats(777, 0, 'msats')).to.equal(777);
    expect(codeOf(() => exactMsats(1.5, 0, 'msats'))).to.equal('AMOUNT_INVALID');
    expect(exactMsats('0.00000000001', 11, 'BTC')).to.equal(1);
    expect(exactMsats(21, 11, 'BTC')).to.equal(2_100_000_000_000);
  });
});
