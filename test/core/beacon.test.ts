import {expect} from 'chai';
import {bech32} from '@scure/base';
import fc from 'fast-check';
import {
  beaconToJson,
  beaconWebSocket,
  createBeacon,
  decodeBeacon,
  encodeBeacon,
  encodeBeaconBytes,
} from '../../src/core/beacon.js';
import {parseWebSocketUrl, webSocketUrl, type Location} from '../../src/core/location.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {unwrap} from '../../src/core/errors.js';

/** The project's own unwrap: a vector's seed is valid, or the test fails loudly. */
const seedFromHex = (hex: string): SharedSeed => unwrap(SharedSeed.fromHex(hex));
import {hex, loadVectors} from '../vectors.js';

interface EncodeVector {
  name: string;
  shared_seed: string;
  locations: Array<Record<string, unknown>>;
  rendezvous_id: string;
  tlv_hex: string;
  beacon: string;
  decoded: {shared_seed: string; locations: Location[]};
}
interface DecodeVector {
  name: string;
  beacon: string;
  decoded: {shared_seed: string; locations: Location[]};
}
interface DecodeErrorVector {
  name: string;
  group: string;
  beacon: string;
  js_error: string | null;
  js_exception: string | null;
}

const encodeVectors = (await loadVectors<EncodeVector>('beacon-encode.json')).vectors;
const decodeVectors = (await loadVectors<DecodeVector>('beacon-decode.json')).vectors;
const errorVectors = (await loadVectors<DecodeErrorVector>('beacon-decode-error.json')).vectors;

/** Vector inputs leave use_tls and port out when they are the defaults. */
function locationFromInput(input: Record<string, unknown>): Location {
  if (input['type'] !== 'WebSocket') return input as unknown as Location;
  const useTls = input['use_tls'] === undefined ? true : Boolean(input['use_tls']);
  const port = typeof input['port'] === 'number' ? input['port'] : useTls ? 443 : 80;
  return {type: 'WebSocket', host: String(input['host']), port, use_tls: useTls};
}

describe('beacon', () => {
  describe('encode vectors', () => {
    for (const v of encodeVectors) {
      it(v.name, () => {
        const beacon = createBeacon(v.locations.map(locationFromInput), seedFromHex(v.shared_seed));
        expect(hex(encodeBeaconBytes(beacon))).to.equal(v.tlv_hex);
        expect(encodeBeacon(beacon)).to.equal(v.beacon);
        expect(rendezvousIdOf(beacon.sharedSeed)).to.equal(v.rendezvous_id);
        const decoded = decodeBeacon(v.beacon);
        if (!decoded.ok) throw decoded.error;
        expect(beaconToJson(decoded.value)).to.deep.equal(v.decoded);
      });
    }
  });

  describe('lenient decode vectors', () => {
    for (const v of decodeVectors) {
      it(v.name, () => {
        const decoded = decodeBeacon(v.beacon);
        if (!decoded.ok) throw decoded.error;
        expect(beaconToJson(decoded.value)).to.deep.equal(v.decoded);
      });
    }
  });

  describe('rejected vectors', () => {
    for (const v of errorVectors) {
      it(`${v.group}: ${v.name}`, () => {
        const decoded = decodeBeacon(v.beacon);
        expect(decoded.ok).to.equal(false);
        if (decoded.ok) return;
        expect(decoded.error.code).to.match(/^(BEACON_|BIGSIZE_)/);
        if (v.js_error !== null) expect(decoded.error.reason).to.equal(v.js_error);
        expect(decoded.error.message).to.be.a('string').and.not.equal('');
      });
    }
  });

  it('decodes the worked example of PROTOCOL.md 2.5', () => {
    const text =
      'moneysocket1lcqqzqdm8hlqqqgph5gq7rsdps9s5zggqurq2pqrqgqsplsqqyquzg07qqqsr0cpq8lqqqgpcv2qqynjv4kxz7fwwdhkx6m9wshx6mmwv4usaws2a7';
    const decoded = decodeBeacon(text);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value.sharedSeed.toHex()).to.equal('0f0e0d0c0b0a09080706050403020100');
    const ws = beaconWebSocket(decoded.value);
    expect(ws.ok && webSocketUrl(ws.value)).to.equal('wss://relay.socket.money:443');
  });

  it('names what is wrong: checksum, prefix, truncation, unknown location', () => {
    const good = encodeBeacon(createBeacon([{type: 'WebSocket', host: 'h', port: 443, use_tls: true}]));
    const flipped = good.slice(0, -1) + (good.endsWith('q') ? 'p' : 'q');
    expect(decodeBeacon(flipped).ok || (decodeBeacon(flipped) as {error: {code: string}}).error.code).to.equal('BEACON_CHECKSUM');
    const byCode = (v: DecodeErrorVector) => {
      const r = decodeBeacon(v.beacon);
      return r.ok ? 'ok' : r.error.code;
    };
    const named = Object.fromEntries(errorVectors.map((v) => [v.name, byCode(v)]));
    expect(named['wrong hrp "moneysocket-wallet" (v1-style hint)']).to.equal('BEACON_PREFIX');
    expect(named['location count larger than locations present']).to.equal('BEACON_TRUNCATED');
    expect(named['unknown location TLV type']).to.equal('BEACON_UNKNOWN_LOCATION');
    expect(named['wrong shared-seed TLV type']).to.equal('BEACON_TLV_TYPE');
    expect(named['mixed case']).to.equal('BEACON_BECH32');
  });

  it('accepts the moneysocket: URI prefix and surrounding whitespace', () => {
    const text = encodeBeacon(createBeacon([{type: 'WebSocket', host: 'localhost', port: 11060, use_tls: false}]));
    expect(decodeBeacon(`  moneysocket:${text}\n`).ok).to.equal(true);
    expect(decodeBeacon(`MONEYSOCKET:${text.toUpperCase()}`).ok).to.equal(true);
  });

  it('rejects a seed that is not 16 bytes (unlike js)', () => {
    // outer(seed 15 bytes, list(count 0))
    const bytes = new Uint8Array([
      0xfe, 0, 1, 1, 0xbb, 27,
      0xfe, 0, 1, 1, 0xbd, 15, ...new Array<number>(15).fill(7),
      0xfe, 0, 1, 1, 0xc1, 6, 0xfe, 0, 1, 1, 0xbf, 0,
    ]);
    const decoded = decodeBeacon(encodeRaw(bytes));
    expect(!decoded.ok && decoded.error.code).to.equal('BEACON_SEED_LENGTH');
  });

  it('rejects strings longer than 20000 characters without trying to decode them', () => {
    const decoded = decodeBeacon('moneysocket1' + 'q'.repeat(20000));
    expect(!decoded.ok && decoded.error.code).to.equal('BEACON_BECH32');
  });

  it('parses ws:// and wss:// addresses with default ports', () => {
    expect(parseWebSocketUrl('wss://relay.example.com')).to.deep.equal({
      ok: true,
      value: {type: 'WebSocket', host: 'relay.example.com', port: 443, use_tls: true},
    });
    expect(parseWebSocketUrl('ws://127.0.0.1:11060/').ok).to.equal(true);
    for (const bad of ['http://x', 'ws://', 'wss://h:0', 'wss://h:70000', 'ws://h/path', 'ws://u@h']) {
      expect(parseWebSocketUrl(bad).ok, bad).to.equal(false);
    }
  });

  const locationArb: fc.Arbitrary<Location> = fc.oneof(
    fc.record({
      type: fc.constant('WebSocket' as const),
      host: fc.string({minLength: 1, maxLength: 40}),
      port: fc.integer({min: 0, max: 70000}),
      use_tls: fc.boolean(),
    }),
    fc.record({
      type: fc.constantFrom('WebRTC' as const, 'Bluetooth' as const, 'NFC' as const),
      placeholder_string: fc.string({maxLength: 30}),
    }),
  );

  it('round-trips random beacons (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({minLength: 16, maxLength: 16}), fc.array(locationArb, {maxLength: 4}), (seedBytes, locations) => {
        const s = SharedSeed.fromBytes(seedBytes);
        if (!s.ok) return false;
        const text = encodeBeacon(createBeacon(locations, s.value));
        const decoded = decodeBeacon(text);
        if (!decoded.ok) return false;
        expect(beaconToJson(decoded.value)).to.deep.equal({shared_seed: s.value.toHex(), locations});
        return true;
      }),
      {numRuns: 500},
    );
  });

  it('returns only typed errors for 10,000 random and mutated beacons (fuzz)', () => {
    const base = encodeVectors.map((v) => v.beacon);
    const mutated = fc
      .tuple(fc.constantFrom(...base), fc.nat(), fc.string({minLength: 0, maxLength: 3}), fc.nat({max: 3}))
      .map(([b, pos, insert, del]) => {
        const at = pos % (b.length + 1);
        return b.slice(0, at) + insert + b.slice(at + del);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string({maxLength: 200}), mutated), (text) => {
        const decoded = decodeBeacon(text);
        return decoded.ok || /^(BEACON_|BIGSIZE_)/.test(decoded.error.code);
      }),
      {numRuns: 10000},
    );
  });

  it('returns only typed errors for 10,000 random TLV payloads inside valid bech32 (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 120}), (bytes) => {
        const decoded = decodeBeacon(encodeRaw(bytes));
        return decoded.ok || /^(BEACON_|BIGSIZE_)/.test(decoded.error.code);
      }),
      {numRuns: 10000},
    );
  });
});

function encodeRaw(bytes: Uint8Array): string {
  return bech32.encode('moneysocket', bech32.toWords(bytes), 20000);
}
