import {expect} from 'chai';
import fc from 'fast-check';
import {decodeMessage, encodeMessage, MessageRegistry, validateMessage, type Message} from '../../src/core/message-codec.js';
import {
  createNotification,
  createRegistry,
  createRequest,
  defaultRegistry,
  isNotification,
  isRequest,
  MAX_EXT_LENGTH,
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
      expect(!dup.ok && dup.error.message).to.equal('message type REQUEST_PING is already registered');
      for (const name of ['ping', 'XREQUEST_A', 'REQUEST_A!', 'REQUEST_A ', 'REQUEST_', 'REQUEST_a', 'NOTIFY', 'PING_A']) {
        const r = registry.register({name, messageClass: 'REQUEST', cryptLevel: 'AES'});
        expect(!r.ok && r.error.code, name).to.equal('INVALID_ARGUMENT');
        expect(!r.ok && r.error.message, name).to.equal(`message names look like REQUEST_X or NOTIFY_X, got "${name}"`);
      }
      for (const name of ['REQUEST_A', 'NOTIFY_B_2', 'REQUEST_9']) expect(registry.register({name, messageClass: 'REQUEST', cryptLevel: 'AES'}).ok, name).to.equal(true);
      expect(new MessageRegistry(V0_MESSAGE_SPECS).names()).to.have.length(14);
    });

    it('extends a copy: the original registry does not change', () => {
      const base = createRegistry();
      const extended = base.extend([{name: 'REQUEST_TIP', messageClass: 'REQUEST', cryptLevel: 'AES'}]);
      expect(extended.get('REQUEST_TIP')?.name).to.equal('REQUEST_TIP');
      expect(extended.names()).to.have.length(15);
      expect(base.get('REQUEST_TIP')).to.equal(undefined);
      expect(base.names()).to.have.length(14);
    });
  });

  it('narrows decoded messages by name', () => {
    const decoded = decodeMessage(JSON.stringify(createNotification('NOTIFY_ERROR', null, {error_msg: 'nope'})), defaultRegistry);
    if (!decoded.ok) throw decoded.error;
    const m = decoded.value.message;
    expect(isNotification(m, 'NOTIFY_ERROR') && m.error_msg).to.equal('nope');
  });

  describe('each check, field by field, with js\'s wording', () => {
    const U1 = '11111111-1111-4111-8111-111111111111';
    const U2 = '22222222-2222-4222-8222-222222222222';
    const HASH = 'ab'.repeat(32);
    // Written out by hand, not with the constructors under test.
    const request = (name: string, fields: Record<string, unknown> = {}): Record<string, unknown> => ({
      timestamp: 1.5, protocol: 'Moneysocket', protocol_version: '0.0.0', message_class: 'REQUEST',
      request_uuid: U1, request_name: name, ...fields,
    });
    const notification = (name: string, fields: Record<string, unknown> = {}): Record<string, unknown> => ({
      timestamp: 1.5, protocol: 'Moneysocket', protocol_version: '0.0.0', message_class: 'NOTIFICATION',
      notification_uuid: U2, request_reference_uuid: U1, notification_name: name, ...fields,
    });
    const provider = (fields: Record<string, unknown> = {}) =>
      notification('NOTIFY_PROVIDER', {account_uuid: U1, payer: true, payee: false, wad: bitcoinWad(5), ...fields});
    const without = (m: Record<string, unknown>, key: string): Record<string, unknown> => {
      const copy = {...m};
      delete copy[key];
      return copy;
    };

    const rejected: [string, unknown, string, string?][] = [
      ['a number', 5, 'no message_class included'],
      ['a string', 'x', 'no message_class included'],
      ['null', null, 'no message_class included'],
      ['no protocol (js says timestamp)', without(request('REQUEST_PING'), 'protocol'), 'no timestamp included'],
      ['protocol not a string', request('REQUEST_PING', {protocol: 5}), 'unknown protocol type'],
      ['another protocol', request('REQUEST_PING', {protocol: 'moneysocket'}), 'unknown protocol'],
      ['no protocol_version', without(request('REQUEST_PING'), 'protocol_version'), 'no protocol_version declared'],
      ['protocol_version not a string', request('REQUEST_PING', {protocol_version: 0}), 'unknown protocol type'],
      ['timestamp 0', request('REQUEST_PING', {timestamp: 0}), 'could not understand timestamp'],
      ['timestamp a string', request('REQUEST_PING', {timestamp: '1'}), 'could not understand timestamp'],
      ['timestamp Infinity', request('REQUEST_PING', {timestamp: Infinity}), 'could not understand timestamp'],
      ['request_uuid null', request('REQUEST_PING', {request_uuid: null}), 'unknown request_uuid type'],
      ['request_uuid a number', request('REQUEST_PING', {request_uuid: 5}), 'unknown request_uuid type'],
      ['no request_name', without(request('REQUEST_PING'), 'request_name'), 'invalid request_name'],
      ['request_name a number', request('REQUEST_PING', {request_name: 5}), 'unknown request_name type'],
      ['a notification\'s name on a request', request('NOTIFY_PONG'), 'unknown request_name: NOTIFY_PONG', 'MESSAGE_UNKNOWN_TYPE'],
      ['a request\'s name on a notification', notification('REQUEST_PING'), 'unknown notification_name: REQUEST_PING', 'MESSAGE_UNKNOWN_TYPE'],
      ['notification_uuid null', notification('NOTIFY_PONG', {notification_uuid: null}), 'unknown notification_uuid type'],
      ['request_reference_uuid a number', notification('NOTIFY_PONG', {request_reference_uuid: 5}), 'unknown request_reference_uuid type'],
      ['no notification_name', without(notification('NOTIFY_PONG'), 'notification_name'), 'invalid notification_name'],
      ['notification_name a number', notification('NOTIFY_PONG', {notification_name: 5}), 'unknown notification_name type'],
      ['REQUEST_RENDEZVOUS without rendezvous_id', request('REQUEST_RENDEZVOUS'), 'no rendezvous_id included'],
      ['rendezvous_id a number', request('REQUEST_RENDEZVOUS', {rendezvous_id: 5}), 'unknown rendezvous_id type'],
      ['rendezvous_id not hex', request('REQUEST_RENDEZVOUS', {rendezvous_id: 'zz'.repeat(32)}), 'rendezvous_id not hex string'],
      ['rendezvous_id too short', request('REQUEST_RENDEZVOUS', {rendezvous_id: 'ab'.repeat(31)}), 'rendezvous_id not 256-bit value hex string'],
      ['NOTIFY_RENDEZVOUS without rendezvous_id', notification('NOTIFY_RENDEZVOUS'), 'no rendezvous_id included'],
      ['NOTIFY_RENDEZVOUS_NOT_READY without rendezvous_id', notification('NOTIFY_RENDEZVOUS_NOT_READY'), 'no rendezvous_id included'],
      ['NOTIFY_RENDEZVOUS_END without rendezvous_id', notification('NOTIFY_RENDEZVOUS_END'), 'no rendezvous_id included'],
      ['REQUEST_PAY without bolt11', request('REQUEST_PAY'), 'no bolt11 included'],
      ['REQUEST_PAY bolt11 a number', request('REQUEST_PAY', {bolt11: 5}), 'unknown bolt11 type'],
      ['NOTIFY_INVOICE without bolt11', notification('NOTIFY_INVOICE'), 'no bolt11 included'],
      ['NOTIFY_INVOICE not lnbc', notification('NOTIFY_INVOICE', {bolt11: 'lntb1'}), "doesn't look like a bolt11"],
      ['REQUEST_INVOICE without msats', request('REQUEST_INVOICE'), 'no msats included'],
      ['REQUEST_INVOICE msats NaN', request('REQUEST_INVOICE', {msats: NaN}), 'unknown msats type'],
      ['NOTIFY_PROVIDER without account_uuid', without(provider(), 'account_uuid'), 'no account_uuid included'],
      ['account_uuid a number', provider({account_uuid: 5}), 'unknown account_uuid type'],
      ['account_uuid not a uuid', provider({account_uuid: 'nope'}), 'invalid account_uuid'],
      ['wad a number', provider({wad: 5}), 'wad must be a dictionary'],
      ['wad a string', provider({wad: 'x'}), 'wad must be a dictionary'],
      ['wad an array', provider({wad: []}), 'wad must be a dictionary'],
      ['NOTIFY_PREIMAGE without preimage', notification('NOTIFY_PREIMAGE', {ext: null}), 'no preimage included'],
      ['ext one character too long', notification('NOTIFY_PREIMAGE', {preimage: HASH, ext: 'x'.repeat(MAX_EXT_LENGTH + 1)}), 'ext is longer than 4096 characters'],
      ['NOTIFY_ERROR without error_msg', notification('NOTIFY_ERROR'), 'no error_msg included'],
    ];
    for (const [name, value, reason, code = 'MESSAGE_INVALID'] of rejected) {
      it(`rejects ${name}: "${reason}"`, () => {
        const r = validateMessage(value, defaultRegistry);
        expect(r.ok).to.equal(false);
        if (r.ok) return;
        expect([r.error.code, r.error.reason]).to.deep.equal([code, reason]);
        const name = String((value as Record<string, unknown> | null)?.['request_name'] ?? (value as Record<string, unknown> | null)?.['notification_name']);
        expect(r.error.message).to.equal(code === 'MESSAGE_INVALID' ? `invalid message: ${reason}` : `unknown message type ${name}`);
      });
    }

    it('accepts the edge values: a null reference, ext of exactly 4096 characters, a missing wad read as null', () => {
      expect(validateMessage(notification('NOTIFY_PONG', {request_reference_uuid: null}), defaultRegistry).ok).to.equal(true);
      const ext = validateMessage(notification('NOTIFY_PREIMAGE', {preimage: HASH, ext: 'x'.repeat(MAX_EXT_LENGTH)}), defaultRegistry);
      expect(ext.ok).to.equal(true);
      const noWad = validateMessage(without(provider(), 'wad'), defaultRegistry);
      expect(noWad.ok && noWad.value.message).to.deep.equal({...without(provider(), 'wad'), wad: null});
      const nullWad = validateMessage(provider({wad: null}), defaultRegistry);
      expect(nullWad.ok && nullWad.value.message).to.deep.equal(provider({wad: null}));
      expect(MAX_EXT_LENGTH).to.equal(4096);
    });

    it('sends only what py accepts too, saying why not', () => {
      const refused: [Record<string, unknown>, string][] = [
        [request('REQUEST_RENDEZVOUS', {rendezvous_id: 'AB'.repeat(32)}), 'rendezvous_id must be lowercase hex'],
        [request('REQUEST_INVOICE', {msats: 1.5}), 'msats must be a whole number of millisatoshis'],
        [provider({wad: null}), 'send a wad (py reads null as an empty BTC wad)'],
        [provider({wad: bitcoinWad(1.5)}), 'wad would be rejected by py peers: wad msats 1.5 is not a whole number below 1e21; py-moneysocket rejects it'],
      ];
      for (const [message, reason] of refused) {
        expect(validateMessage(message, defaultRegistry).ok, reason).to.equal(true); // received fine
        const r = encodeMessage(message as Message, defaultRegistry);
        expect(!r.ok && [r.error.code, r.error.reason, r.error.message], reason).to.deep.equal(['MESSAGE_INVALID', reason, `invalid message: ${reason}`]);
      }
      expect(encodeMessage(request('REQUEST_RENDEZVOUS', {rendezvous_id: 'ab'.repeat(32)}) as Message, defaultRegistry).ok).to.equal(true);
    });

    it('reports text that is not JSON with js\'s reason', () => {
      const r = decodeMessage('{"timestamp":', defaultRegistry);
      expect(!r.ok && [r.error.code, r.error.reason]).to.deep.equal(['MESSAGE_NOT_JSON', 'could not parse json']);
      expect(!r.ok && r.error.message).to.equal('the message is not JSON (wrong key, or not a Moneysocket peer)');
    });

    it('stamps new messages with the time now, in seconds, and a fresh v4 uuid', () => {
      const before = Date.now() / 1000;
      const m = createRequest('REQUEST_PING', {});
      const after = Date.now() / 1000;
      expect(m.timestamp).to.be.within(before, after);
      expect(isUuid(m.request_uuid)).to.equal(true);
      const n = createNotification('NOTIFY_PONG', null, {});
      expect(n.timestamp).to.be.within(before, Date.now() / 1000);
      expect(isUuid(n.notification_uuid)).to.equal(true);
      expect(n.notification_uuid).to.not.equal(m.request_uuid);
    });

    it('narrows by class as well as by name, even when a message carries the other class\'s key', () => {
      const note = {...notification('NOTIFY_PONG'), request_name: 'REQUEST_PING'} as unknown as Message;
      expect(isRequest(note, 'REQUEST_PING')).to.equal(false);
      const req = {...request('REQUEST_PING'), notification_name: 'NOTIFY_PONG'} as unknown as Message;
      expect(isNotification(req, 'NOTIFY_PONG')).to.equal(false);
      expect(isRequest(req, 'REQUEST_PING')).to.equal(true);
      expect(isRequest(req, 'REQUEST_PAY')).to.equal(false);
    });

    it('gives each v0 type exactly the checks it has, and no empty keys', () => {
      const keys = Object.fromEntries(V0_MESSAGE_SPECS.map((spec) => [spec.name, Object.keys(spec).sort().join(',')]));
      expect(keys).to.deep.equal({
        REQUEST_RENDEZVOUS: 'cryptLevel,messageClass,name,validate,validateOutgoing',
        REQUEST_PROVIDER: 'cryptLevel,messageClass,name',
        REQUEST_PING: 'cryptLevel,messageClass,name',
        REQUEST_INVOICE: 'cryptLevel,messageClass,name,validate,validateOutgoing',
        REQUEST_PAY: 'cryptLevel,messageClass,name,validate',
        NOTIFY_RENDEZVOUS: 'cryptLevel,messageClass,name,validate',
        NOTIFY_RENDEZVOUS_NOT_READY: 'cryptLevel,messageClass,name,validate',
        NOTIFY_RENDEZVOUS_END: 'cryptLevel,messageClass,name,validate',
        NOTIFY_PROVIDER: 'cryptLevel,messageClass,name,validate,validateOutgoing',
        NOTIFY_PROVIDER_NOT_READY: 'cryptLevel,messageClass,name',
        NOTIFY_PONG: 'cryptLevel,messageClass,name',
        NOTIFY_INVOICE: 'cryptLevel,messageClass,name,validate',
        NOTIFY_PREIMAGE: 'cryptLevel,messageClass,name,validate',
        NOTIFY_ERROR: 'cryptLevel,messageClass,name,validate',
      });
      const levels = Object.fromEntries(V0_MESSAGE_SPECS.map((spec) => [spec.name, `${spec.messageClass} ${spec.cryptLevel}`]));
      expect(levels['REQUEST_RENDEZVOUS']).to.equal('REQUEST CLEAR');
      expect(levels['NOTIFY_RENDEZVOUS_END']).to.equal('NOTIFICATION CLEAR');
      expect(levels['REQUEST_PAY']).to.equal('REQUEST AES');
      expect(levels['NOTIFY_PREIMAGE']).to.equal('NOTIFICATION AES');
    });
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
