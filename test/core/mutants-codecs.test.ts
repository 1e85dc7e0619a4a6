// Survivors of the mutation run after the speed merge (issue 12): each test
// fails with the mutant it names and passes without it.
import {expect} from 'chai';
import {beaconWebSockets, createBeacon} from '../../src/core/beacon.js';
import {decodeMessage, DEFAULT_MAX_MESSAGE_CHARS} from '../../src/core/message-codec.js';
import {defaultRegistry} from '../../src/core/message-types.js';
import {SpendingBudget} from '../../src/elements/internal/budget.js';

describe('codec survivors, killed', () => {
  it('beaconWebSockets keeps only WebSocket locations, in order, and says so when there is none', () => {
    const ws = (host: string) => ({type: 'WebSocket' as const, host, port: 443, use_tls: true});
    const mixed = beaconWebSockets(createBeacon([{type: 'WebRTC', placeholder_string: 'x'}, ws('a.example'), {type: 'NFC', placeholder_string: 'y'}, ws('b.example')]));
    expect(mixed.ok && mixed.value.map((l) => l.host)).to.deep.equal(['a.example', 'b.example']);
    const none = beaconWebSockets(createBeacon([{type: 'Bluetooth', placeholder_string: 'z'}]));
    expect(none.ok).to.equal(false);
    if (!none.ok) {
      expect(none.error.code).to.equal('BEACON_NO_LOCATION');
      expect(none.error.message).to.equal('the beacon has no WebSocket address, so there is nowhere to connect');
    }
  });

  it('decodeMessage says how long a message too large is, and the limit', () => {
    const result = decodeMessage(' '.repeat(DEFAULT_MAX_MESSAGE_CHARS + 1), defaultRegistry);
    expect(!result.ok && result.error.message).to.equal(`message of ${DEFAULT_MAX_MESSAGE_CHARS + 1} characters exceeds the ${DEFAULT_MAX_MESSAGE_CHARS}-character limit`);
  });

  it('SpendingBudget frees a payment only for a refusal that is an object: a function with the code still counts', async () => {
    const budget = new SpendingBudget();
    const thrown = Object.assign(() => undefined, {code: 'REQUEST_REFUSED'});
    await budget.track(10n, Promise.reject(thrown), () => 0).catch(() => undefined);
    expect(budget.spent(0)).to.equal(10n);
  });
});
