/** The codec tests' check of a failed Result: a MoneysocketError with this code, a message, and the reason if given. */
import {expect} from 'chai';
import {MoneysocketError, type ErrorCode, type Result} from '../../src/core/errors.js';

export function expectError(r: Result<unknown>, code: ErrorCode, reason?: string): void {
  expect(r.ok, 'should fail').to.equal(false);
  if (r.ok) return;
  expect(r.error).to.be.instanceOf(MoneysocketError);
  expect(r.error.code).to.equal(code);
  expect(r.error.message).to.be.a('string').and.not.equal('');
  if (reason !== undefined) expect(r.error.reason).to.equal(reason);
}
