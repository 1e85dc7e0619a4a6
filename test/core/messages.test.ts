import {expect} from 'chai';
import fc from 'fast-check';
import {decodeMessage, encodeMessage, MessageRegistry, type Message} from '../../src/core/message-codec.js';
import {
  createNotification,
  createRegistry,
  createRequest,
  defaultRegistry,
  isNotification,
  V0_MESSAGE_SPECS,
} from '../../src/core/message-types.js';
import {bitcoinWad} from '../../src/core/wad.js';
import {isUuid, newUuid} from '../../src/core/uuid.js';
import {loadVectors} from '../vectors.js';

interface MessageVector {
  name: string;
  type_name: string;
  crypt_level: 'CLEAR' | 'AES';
  json: string;
  json_py: string;
  js_valid: boolean;
  py_valid: boolean;
}
interface ValidateVector {
  name: string;
  group: string;
  text: string;
  js_error: string | null;
  js_exception: string | null;
}

const messages = (await loadVectors<MessageVector>('messages.json')).vectors;
const validations = (await loadVectors<ValidateVector>('message-validate.json')).vectors;

describe('messages', () => {
  describe('catalogue vectors', () => {
    for (const v of messages) {
      it(`${v.name}: decodes, and re-encodes byte for byte`, () => {
        const decoded = decodeMessage(v.json, defaultRegistry);
        if (!decoded.ok) throw decoded.error;
        expect(decoded.value.spec.cryptLevel).to.equal(v.crypt_level);
        expect(JSON.stringify(decoded.value.message)).to.equal(v.json);
        const fromPy = decodeMessage(v.json_py, defaultRegistry);
        if (!fromPy.ok) throw fromPy.error;
        expect(fromPy.value.message).to.deep.equal(JSON.parse(v.json));
        const encoded = encodeMessage(decoded.value.message, defaultRegistry);
        // We send conservatively: what py would reject, we refuse to send.
        expect(encoded.ok, v.name).to.equal(v.py_valid);
        if (encoded.ok) expect(encoded.value.text).to.equal(v.json);
      });
    }
  });

  describe('validation vectors', () => {
    for (const v of validations) {
      const rejects = v.js_error !== null || v.js_exception !== null;
      it(`${v.group}: ${v.name} is ${rejects ? 'rejected' : 'accepted'}`, () => {
        const decoded = decodeMessage(v.text, defaultRegistry);
        expect(decoded.ok).to.equal(!rejects);
        if (!decoded.ok && v.js_error !== null) expect(decoded.error.reason).to.equal(v.js_error);
      });
    }
  });

  it('builds every v0 type with keys in the reference order', () => {
    const req = createRequest('REQUEST_INVOICE', {msats: 1500}, {uuid: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', timestamp: 1.5});
    expect(Object.keys(req)).to.deep.equal([
      'timestamp', 'protocol', 'protocol_version', 'message_class', 'request_uuid', 'request_name', 'msats',
    ]);
    const note = createNotification('NOTIFY_PREIMAGE', null, {preimage: 'ab'.repeat(32), ext: null});
    expect(Object.keys(note)).to.deep.equal([
      'timestamp', 'protocol', 'protocol_version', 'message_class', 'notification_uuid', 'request_reference_uuid',
      'notification_name', 'preimage', 'ext',
    ]);
    expect(encodeMessage(req, defaultRegistry).ok).to.equal(true);
    expect(encodeMessage(note, defaultRegistry).ok).to.equal(true);
  });

  it('refuses to send fractional, zero or unsafe msats, though it accepts fractional ones like js', () => {
    for (const bad of [0.5, 1000.5, 0, -1, 2 ** 60]) {
      const r = encodeMessage(createRequest('REQUEST_INVOICE', {msats: bad}), defaultRegistry);
      expect(r.ok, String(bad)).to.equal(false);
      if (!r.ok) expect(r.error.code).to.equal('MESSAGE_INVALID');
    }
  });

  it('refuses to send a NOTIFY_PROVIDER without a wad', () => {
    const msg = createNotification('NOTIFY_PROVIDER', null, {account_uuid: newUuid(), payer: true, payee: true, wad: null});
    expect(encodeMessage(msg, defaultRegistry).ok).to.equal(false);
    const withWad = createNotification('NOTIFY_PROVIDER', null, {
      account_uuid: newUuid(), payer: true, payee: false, wad: bitcoinWad(1000),
    });
    expect(encodeMessage(withWad, defaultRegistry).ok).to.equal(true);
  });

  it('reads a missing wad or ext as null', () => {
    const text = JSON.stringify(createNotification('NOTIFY_PREIMAGE', null, {preimage: 'ab'.repeat(32), ext: null})).replace(',"ext":null', '');
    const decoded = decodeMessage(text, defaultRegistry);
    expect(decoded.ok && decoded.value.message['ext']).to.equal(null);
  });

  it('generates canonical lowercase v4 uuids', () => {
    for (let i = 0; i < 100; i++) {
      const u = newUuid();
      expect(u).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUuid(u)).to.equal(true);
    }
  });

  describe('registry', () => {
    const tip = {
      name: 'REQUEST_TIP_JAR',
      messageClass: 'REQUEST' as const,
      cryptLevel: 'AES' as const,
      validate: (m: Record<string, unknown>) => (typeof m['note'] === 'string' ? undefined : 'no note included'),
    };

    it('lets an application add its own message type without touching the core', () => {
      const registry = createRegistry([tip]);
      const msg = {...createRequest('REQUEST_PING', {}), request_name: 'REQUEST_TIP_JAR', note: 'thanks'} as unknown as Message;
      const encoded = encodeMessage(msg, registry);
      if (!encoded.ok) throw encoded.error;
      const decoded = decodeMessage(encoded.value.text, registry);
      expect(decoded.ok && decoded.value.message['note']).to.equal('thanks');
      // The shared default registry is untouched.
      const unknown = decodeMessage(encoded.value.text, defaultRegistry);
      expect(!unknown.ok && unknown.error.code).to.equal('MESSAGE_UNKNOWN_TYPE');
      expect(!unknown.ok && unknown.error.reason).to.equal('unknown request_name: REQUEST_TIP_JAR');
      const bad = decodeMessage(encoded.value.text.replace('"thanks"', '5'), registry);
      expect(!bad.ok && bad.error.reason).to.equal('no note included');
    });

    it('refuses duplicate and badly named types', () => {
      const registry = createRegistry();
      const dup = registry.register({name: 'REQUEST_PING', messageClass: 'REQUEST', cryptLevel: 'AES'});
      expect(!dup.ok && dup.error.code).to.equal('MESSAGE_TYPE_REGISTERED');
      expect(registry.register({name: 'ping', messageClass: 'REQUEST', cryptLevel: 'AES'}).ok).to.equal(false);
      expect(new MessageRegistry(V0_MESSAGE_SPECS).names()).to.have.length(14);
    });
  });

  it('narrows decoded messages by name', () => {
    const decoded = decodeMessage(JSON.stringify(createNotification('NOTIFY_ERROR', null, {error_msg: 'nope'})), defaultRegistry);
    if (!decoded.ok) throw decoded.error;
    const m = decoded.value.message;
    expect(isNotification(m, 'NOTIFY_ERROR') && m.error_msg).to.equal('nope');
  });

  const samples = (): Message[] => [
    createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: 'ab'.repeat(32)}),
    createRequest('REQUEST_PROVIDER', {}),
    createRequest('REQUEST_PING', {}),
    createRequest('REQUEST_INVOICE', {msats: 1234}),
    createRequest('REQUEST_PAY', {bolt11: 'lnbc1xyz'}),
    createNotification('NOTIFY_RENDEZVOUS', newUuid(), {rendezvous_id: 'cd'.repeat(32)}),
    createNotification('NOTIFY_RENDEZVOUS_NOT_READY', newUuid(), {rendezvous_id: 'cd'.repeat(32)}),
    createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: 'cd'.repeat(32)}),
    createNotification('NOTIFY_PROVIDER', newUuid(), {account_uuid: newUuid(), payer: true, payee: true, wad: bitcoinWad(5)}),
    createNotification('NOTIFY_PROVIDER_NOT_READY', newUuid(), {}),
    createNotification('NOTIFY_PONG', newUuid(), {}),
    createNotification('NOTIFY_INVOICE', newUuid(), {bolt11: 'lnbcrt1abc'}),
    createNotification('NOTIFY_PREIMAGE', newUuid(), {preimage: 'ef'.repeat(32), ext: 'x'}),
    createNotification('NOTIFY_ERROR', newUuid(), {error_msg: 'account balance exceeded'}),
  ];

  it('round-trips every message type with random field values (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples().map((_, i) => i)),
        fc.integer({min: 1, max: Number.MAX_SAFE_INTEGER}),
        fc.string({maxLength: 50}),
        fc.double({min: 0.001, max: 4e9, noNaN: true}),
        (index, amount, text, timestamp) => {
          const m = samples()[index]! as Record<string, unknown>;
          m['timestamp'] = timestamp;
          if ('msats' in m) m['msats'] = amount;
          if ('error_msg' in m) m['error_msg'] = text;
          if ('ext' in m) m['ext'] = text;
          if ('bolt11' in m) m['bolt11'] = 'lnbc' + text;
          const encoded = encodeMessage(m as Message, defaultRegistry);
          if (!encoded.ok) throw encoded.error;
          const decoded = decodeMessage(encoded.value.text, defaultRegistry);
          if (!decoded.ok) throw decoded.error;
          expect(decoded.value.message).to.deep.equal(m);
        },
      ),
      {numRuns: 2000},
    );
  });

  it('answers 10,000 random and mutated texts with typed errors only (fuzz)', () => {
    const texts = [...messages.map((v) => v.json), ...validations.map((v) => v.text)];
    const mutated = fc
      .tuple(fc.constantFrom(...texts), fc.nat(), fc.string({maxLength: 4}), fc.nat({max: 4}))
      .map(([t, pos, insert, del]) => {
        const at = pos % (t.length + 1);
        return t.slice(0, at) + insert + t.slice(at + del);
      });
    const jsonish = fc.json().map(String);
    const codes = ['MESSAGE_NOT_JSON', 'MESSAGE_INVALID', 'MESSAGE_UNKNOWN_TYPE'];
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutated, jsonish), (text) => {
        const decoded = decodeMessage(text, defaultRegistry);
        return decoded.ok || codes.includes(decoded.error.code);
      }),
      {numRuns: 10000},
    );
  });
});
