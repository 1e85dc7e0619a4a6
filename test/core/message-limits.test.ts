import {expect} from 'chai';
import {DEFAULT_MAX_MESSAGE_CHARS, decodeMessage} from '../../src/core/message-codec.js';
import {defaultRegistry} from '../../src/core/message-types.js';

describe('decodeMessage bounds its work', () => {
  it('refuses text over the limit before parsing it', () => {
    const nested = '['.repeat(DEFAULT_MAX_MESSAGE_CHARS + 1);
    const result = decodeMessage(nested, defaultRegistry);
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.error.code).to.equal('MESSAGE_TOO_LARGE');
  });

  it('parses text at the limit (and says what is wrong with it)', () => {
    const text = `[${' '.repeat(DEFAULT_MAX_MESSAGE_CHARS - 2)}]`;
    const result = decodeMessage(text, defaultRegistry);
    expect(!result.ok && result.error.code).to.equal('MESSAGE_INVALID');
  });

  it('takes a smaller limit when given one', () => {
    const result = decodeMessage('{"a":1}', defaultRegistry, 6);
    expect(!result.ok && result.error.code).to.equal('MESSAGE_TOO_LARGE');
  });
});
