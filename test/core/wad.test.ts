import {expect} from 'chai';
import fc from 'fast-check';
import {cryptoCurrencies, cryptoCurrency, fiatCurrencies, fiatCurrency} from '../../src/core/currencies.js';
import {isMoneysocketError, MoneysocketError, type Result} from '../../src/core/errors.js';
import {
  bitcoinWad,
  checkWadForWire,
  formatWad,
  serializeWad,
  validateWad,
  WAD_KEYS,
  wadForWire,
  wadToJson,
  type Wad,
  type WadArgs,
} from '../../src/core/wad.js';
import {decodeWad, makeWad} from '../../src/core/wad-assets.js';
import {loadVectors} from '../vectors.js';

interface WadVector {
  name: string;
  group: string;
  args: ({ctor: 'bitcoin'; msats: number} | ({ctor: 'wad'} & WadArgs));
  json: string;
  js_valid: boolean;
  js_error: string | null;
  py_valid: boolean;
  py_error: string | null;
  py_constructed_same?: boolean;
}
interface MessageVector {
  name: string;
  json: string;
  js_valid: boolean;
  py_valid: boolean;
  py_error: string | null;
}
interface ValidateVector {
  name: string;
  group: string;
  text: string;
  js_error: string | null;
  js_exception: string | null;
  py_error: string | null;
  py_exception: string | null;
}

const wadFile = await loadVectors<WadVector>('wad.json');
const messageFile = await loadVectors<MessageVector>('messages.json');
const validateFile = await loadVectors<ValidateVector>('message-validate.json');

/**
 * py-moneysocket's `validate_wad_dict`, for checking that what we send gets
 * through. It runs on JSON-parsed values: a number is a py int exactly when
 * JSON.stringify writes it without a fraction or exponent (integer, < 1e21).
 */
function pyWadError(d: unknown): string | null {
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21;
  const len = (s: string) => [...s].length; // py counts code points
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return 'is not a dictionary';
  const w = d as Record<string, unknown>;
  const keys = Object.keys(w);
  if (keys.length !== 9 || !WAD_KEYS.every((k) => keys.includes(k))) return 'key set not consistent with wad dictionary';
  if (!isInt(w['msats'])) return 'msats valie not iteger';
  if ((w['msats'] as number) < 0) return 'msats value negative';
  if (typeof w['asset_stable'] !== 'boolean') return 'asset_stable not bool';
  if (typeof w['asset_units'] !== 'number') return 'asset_units not float';
  if (w['asset_units'] < 0) return 'asset_units value negative';
  if (typeof w['code'] !== 'string') return 'code not string';
  if (len(w['code']) > 20) return 'code string too long';
  const str = (key: string, max: number) => {
    const v = w[key];
    if (v === null) return null;
    if (typeof v !== 'string') return `${key} not string`;
    return len(v) > max ? `${key} string too long` : null;
  };
  const countries = str('countries', 200);
  if (countries !== null) return countries;
  const dec = w['decimals'];
  if (dec !== null) {
    if (!isInt(dec)) return 'decimals not int';
    if ((dec as number) < 0) return 'decimals negative value';
    if ((dec as number) > 10) return 'decimals more than 10?';
  }
  return str('name', 50) ?? str('symbol', 5);
}

/** js-moneysocket's `validate_wad_dict`, check by check, as the oracle for JSON values. */
function jsWadError(d: unknown): string | null {
  if (typeof d !== 'object') return 'is not a dictionary';
  if (d === null) return 'is not a dictionary'; // js throws here
  const w = d as Record<string, unknown>;
  if (Object.keys(w).length !== 9) return 'key mismatch';
  for (const key in w) if (!(WAD_KEYS as readonly string[]).includes(key)) return 'key set not consistent with wad dictionary';
  if (typeof w['msats'] !== 'number') return 'msats not a value';
  if (w['msats'] < 0) return 'msats must be a non-negative value';
  if (typeof w['asset_stable'] !== 'boolean') return 'asset_stable must be a boolean';
  if (typeof w['asset_units'] !== 'number') return 'asset_units not a value';
  if (w['asset_units'] < 0) return 'asset_units must be a positive value';
  if (typeof w['code'] !== 'string') return 'unknown code type';
  if (w['code'].length > 20) return 'code string too long';
  const str = (key: string, max: number) => {
    const v = w[key];
    if (v == null) return null;
    if (typeof v !== 'string') return `${key} not string`;
    return v.length > max ? `${key} string too long` : null;
  };
  const countries = str('countries', 1000);
  if (countries !== null) return countries;
  const dec = w['decimals'];
  if (dec != null) {
    if (typeof dec !== 'number') return 'decimals value not a number';
    if (dec < 0) return 'decimals negative value';
    if (dec > 10) return 'decimals more than 10?';
  }
  return str('name', 50) ?? str('symbol', 5);
}

function construct(args: WadVector['args']): Wad {
  return args.ctor === 'bitcoin' ? bitcoinWad(args.msats) : makeWad(args);
}

function reasonOf(result: Result<Wad>): string | null {
  return result.ok ? null : (result.error.reason ?? null);
}

function expectWadInvalid(result: Result<Wad>): void {
  expect(result.ok).to.equal(false);
  if (result.ok) return;
  expect(result.error).to.be.instanceOf(MoneysocketError);
  expect(result.error.code).to.equal('WAD_INVALID');
  expect(result.error.reason).to.be.a('string');
  expect(result.error.message).to.be.a('string').and.not.equal('');
}

function wadKeysInOrder(text: string): string[] {
  return Object.keys(JSON.parse(text) as object);
}

/** A wad as it appears in a vector message's JSON text. */
function wadIn(text: string): unknown {
  return (JSON.parse(text) as {wad?: unknown}).wad;
}

const BTC_0 = '{"msats":0,"asset_stable":false,"asset_units":0,"code":"BTC","countries":"All","decimals":0,"iso_num":null,"name":"Bitcoin","symbol":"₿"}';

describe('Wad', () => {
  describe('wad.json vectors', () => {
    for (const v of wadFile.vectors) {
      it(`${v.group}: ${v.name}`, () => {
        const wad = construct(v.args);
        expect(serializeWad(wad)).to.equal(v.json);
        expect(wadKeysInOrder(serializeWad(wad))).to.deep.equal([...WAD_KEYS]);

        const parsed: unknown = JSON.parse(v.json);
        const checked = validateWad(parsed);
        expect(checked.ok, reasonOf(checked) ?? '').to.equal(v.js_valid);
        expect(reasonOf(checked)).to.equal(v.js_error);
        if (checked.ok) expect(serializeWad(checked.value)).to.equal(v.json);
        expect(pyWadError(parsed)).to.equal(v.py_error);

        // Every vector wad already passes py, so sending changes nothing.
        expect(v.py_valid).to.equal(true);
        expect(serializeWad(wadForWire(wad))).to.equal(v.json);
      });
    }
  });

  describe('messages.json wads', () => {
    const notifyProvider = messageFile.vectors.filter((v) => wadIn(v.json) !== undefined);

    it('has the two NOTIFY_PROVIDER vectors', () => {
      expect(notifyProvider.map((v) => v.name)).to.deep.equal([
        'NOTIFY_PROVIDER with USD wad',
        'NOTIFY_PROVIDER with LTC wad',
      ]);
    });

    for (const v of notifyProvider) {
      it(`${v.name}: built from the table byte for byte, accepted like js`, () => {
        const sent = wadIn(v.json) as Wad;
        const built = makeWad({msats: sent.msats, asset_stable: true, asset_units: sent.asset_units, code: sent.code});
        expect(serializeWad(built)).to.equal(JSON.stringify(sent));
        const checked = validateWad(sent);
        expect(checked.ok).to.equal(v.js_valid);
      });
    }

    it('USD: the table text breaks py; wadForWire sends countries null instead', () => {
      const usd = makeWad({msats: 26000000, asset_stable: true, asset_units: 12.34, code: 'USD'});
      expect(usd.countries).to.have.length(517);
      expect(pyWadError(usd)).to.equal('countries string too long');
      const wire = wadForWire(usd);
      expect(wire.countries).to.equal(null);
      expect(pyWadError(JSON.parse(serializeWad(wire)))).to.equal(null);
      expect(serializeWad(wire)).to.equal(
        '{"msats":26000000,"asset_stable":true,"asset_units":12.34,"code":"USD","countries":null,' +
          '"decimals":2,"iso_num":840,"name":"United States dollar","symbol":"$"}',
      );
    });
  });

  describe('message-validate.json wads', () => {
    const cases = validateFile.vectors.filter((v) => v.group === 'wad-fields' || v.group === 'provider-fields');

    it('covers the wad-fields and provider-fields groups', () => {
      expect(cases.filter((v) => v.group === 'wad-fields')).to.have.length(9);
      expect(cases.filter((v) => v.group === 'provider-fields')).to.have.length(2);
    });

    for (const v of cases) {
      it(`${v.group}: ${v.name}`, () => {
        const wad = wadIn(v.text);
        if (wad === undefined) {
          // A missing wad is the message layer's business (js keeps null).
          expect(v.js_error).to.equal(null);
          return;
        }
        const checked = validateWad(wad);
        // provider-fields errors are about payer/payee; their wads are fine.
        const expected = v.group === 'wad-fields' ? v.js_error : null;
        expect(reasonOf(checked)).to.equal(expected);
        if (!checked.ok) expectWadInvalid(checked);
        if (v.py_exception === null && v.group === 'wad-fields') expect(pyWadError(wad)).to.equal(v.py_error);
        // Whatever js accepts, the send side can turn into something py accepts.
        if (checked.ok) expect(pyWadError(JSON.parse(serializeWad(wadForWire(checked.value))))).to.equal(null);
      });
    }
  });

  describe('construction rules (6.1)', () => {
    it('bitcoinWad: asset_units equals msats and the metadata is BTC', () => {
      expect(serializeWad(bitcoinWad(0))).to.equal(BTC_0);
      const w = bitcoinWad(1234);
      expect(serializeWad(w)).to.equal(
        '{"msats":1234,"asset_stable":false,"asset_units":1234,"code":"BTC","countries":"All","decimals":0,"iso_num":null,"name":"Bitcoin","symbol":"₿"}',
      );
    });

    it('not stable: caller metadata is ignored', () => {
      const w = makeWad({
        msats: 5, asset_stable: false, asset_units: 5, code: 'THING', countries: 'x', decimals: 7, name: 'n', symbol: 's',
      });
      expect(w).to.deep.equal({...bitcoinWad(5)});
    });

    it('fiat code: the table wins over caller metadata', () => {
      const w = makeWad({
        msats: 1, asset_stable: true, asset_units: 2, code: 'CAD', countries: 'Narnia', decimals: 9, name: 'x', symbol: 'y',
      });
      expect(w).to.include({countries: 'Canada', decimals: 2, iso_num: 124, name: 'Canadian dollar', symbol: '$'});
    });

    it('crypto code: countries null, decimals 0, symbol empty, name from the table', () => {
      expect(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'ETH', name: 'Ether', decimals: 18})).to.deep.equal({
        msats: 1, asset_stable: true, asset_units: 1, code: 'ETH',
        countries: null, decimals: 0, iso_num: null, name: 'Ethereum', symbol: '',
      });
    });

    it('custom code: caller metadata, iso_num null, absent fields null (nine keys always)', () => {
      const w = makeWad({msats: 1000, asset_stable: true, asset_units: 3.14, code: 'EGGPLANT', decimals: 3, symbol: '🍆'});
      expect(serializeWad(w)).to.equal(
        '{"msats":1000,"asset_stable":true,"asset_units":3.14,"code":"EGGPLANT","countries":null,"decimals":3,"iso_num":null,"name":null,"symbol":"🍆"}',
      );
    });

    it('prototype names are custom codes, not table hits', () => {
      for (const code of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
        const w = makeWad({msats: 1, asset_stable: true, asset_units: 1, code, name: 'n'});
        expect(wadKeysInOrder(serializeWad(w))).to.deep.equal([...WAD_KEYS]);
        expect(w).to.include({code, name: 'n', iso_num: null});
      }
    });

    it('keeps a fractional msats as js does; wadForWire rounds it', () => {
      const w = makeWad({msats: 121140115.93640655, asset_stable: true, asset_units: 12.99, code: 'USD'});
      expect(w.msats).to.equal(121140115.93640655);
      expect(pyWadError(JSON.parse(serializeWad(w)))).to.equal('msats valie not iteger');
      expect(wadForWire(w).msats).to.equal(121140116);
    });

    it('refuses amounts and codes no cleaning can repair', () => {
      const bad: [WadArgs, string][] = [
        [{msats: -1, asset_stable: false, asset_units: 0, code: 'BTC'}, 'msats must be a non-negative value'],
        [{msats: NaN, asset_stable: false, asset_units: 0, code: 'BTC'}, 'msats not a value'],
        [{msats: Infinity, asset_stable: false, asset_units: 0, code: 'BTC'}, 'msats not a value'],
        [{msats: 1, asset_stable: true, asset_units: -2, code: 'USD'}, 'asset_units must be a positive value'],
        [{msats: 1, asset_stable: 'yes' as unknown as boolean, asset_units: 1, code: 'USD'}, 'asset_stable must be a boolean'],
        [{msats: 1, asset_stable: true, asset_units: 1, code: 'X'.repeat(21)}, 'code string too long'],
        [{msats: 1, asset_stable: true, asset_units: 1, code: 5 as unknown as string}, 'unknown code type'],
      ];
      for (const [args, reason] of bad) {
        try {
          makeWad(args);
          expect.fail(`accepted ${JSON.stringify(args)}`);
        } catch (e) {
          expect(isMoneysocketError(e)).to.equal(true);
          expect((e as MoneysocketError).code).to.equal('WAD_INVALID');
          expect((e as MoneysocketError).reason).to.equal(reason);
        }
      }
      // A non-stable wad's code is replaced anyway.
      expect(makeWad({msats: 1, asset_stable: false, asset_units: 1, code: 'X'.repeat(30)}).code).to.equal('BTC');
    });

    it('wadToJson returns a fresh object in wire key order', () => {
      const shuffled = {symbol: '₿', name: 'Bitcoin', iso_num: null, decimals: 0, countries: 'All', code: 'BTC', asset_units: 0, asset_stable: false, msats: 0};
      const json = wadToJson(shuffled);
      expect(Object.keys(json)).to.deep.equal([...WAD_KEYS]);
      expect(json).to.not.equal(shuffled);
      expect(JSON.stringify(json)).to.equal(BTC_0);
    });
  });

  describe('currency tables', () => {
    const fiat = fiatCurrencies();

    it('has 169 fiat entries, AED…ZWL, with unique ISO numbers', () => {
      expect(fiat).to.have.length(169);
      expect(fiat[0]!.code).to.equal('AED');
      expect(fiat[168]!.code).to.equal('ZWL');
      const codes = fiat.map((c) => c.code);
      expect([...codes].sort()).to.deep.equal(codes);
      for (const c of fiat) {
        expect(c.code).to.match(/^[A-Z]{3}$/);
        expect(Object.keys(c)).to.deep.equal(['code', 'countries', 'decimals', 'iso_num', 'name', 'symbol']);
        expect(Number.isInteger(c.iso_num) && c.iso_num > 0 && c.iso_num < 1000, c.code).to.equal(true);
      }
      expect(new Set(fiat.map((c) => c.iso_num)).size).to.equal(169);
    });

    it('gives null decimals to exactly the twelve X-codes', () => {
      const nulls = fiat.filter((c) => c.decimals === null).map((c) => c.code);
      expect(nulls).to.deep.equal(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);
      for (const c of fiat) if (c.decimals !== null) expect([0, 2, 3, 4]).to.include(c.decimals);
    });

    it('matches the vectors for CAD, JPY, XAU and USD', () => {
      expect(fiatCurrency('CAD')).to.deep.equal({code: 'CAD', countries: 'Canada', decimals: 2, iso_num: 124, name: 'Canadian dollar', symbol: '$'});
      expect(fiatCurrency('JPY')).to.deep.equal({code: 'JPY', countries: 'Japan', decimals: 0, iso_num: 392, name: 'Japanese yen', symbol: 'د.أ'});
      expect(fiatCurrency('XAU')).to.deep.equal({code: 'XAU', countries: '', decimals: null, iso_num: 959, name: 'Gold (one troy ounce)', symbol: ''});
      expect(fiatCurrency('USD')).to.include({decimals: 2, iso_num: 840, name: 'United States dollar', symbol: '$'});
      expect(fiatCurrency('BTC')).to.equal(undefined);
      expect(fiatCurrency('LTC')).to.equal(undefined);
    });

    it('keeps the reference table entries that fail both validators (and only those)', () => {
      expect(fiat.filter((c) => c.symbol.length > 5).map((c) => c.code)).to.deep.equal(['SOS']);
      expect(fiat.filter((c) => c.name.length > 50).map((c) => c.code)).to.deep.equal(['XBB', 'XBC', 'XBD', 'XSU']);
      expect(fiat.filter((c) => c.countries.length > 200).map((c) => c.code)).to.deep.equal(['USD']);
    });

    it('has LTC and ETH as crypto entries', () => {
      expect(cryptoCurrencies()).to.deep.equal([{code: 'LTC', name: 'Litecoin'}, {code: 'ETH', name: 'Ethereum'}]);
      expect(cryptoCurrency('BTC')).to.equal(undefined);
    });

    it('hands out frozen entries', () => {
      expect(Object.isFrozen(fiatCurrency('EUR'))).to.equal(true);
      expect(Object.isFrozen(cryptoCurrency('LTC'))).to.equal(true);
    });

    it('every table wad, cleaned for the wire, passes both validators', () => {
      for (const c of [...fiat, ...cryptoCurrencies()]) {
        const wire = wadForWire(makeWad({msats: 1234.5, asset_stable: true, asset_units: 1, code: c.code}));
        const parsed: unknown = JSON.parse(serializeWad(wire));
        expect(jsWadError(parsed), c.code).to.equal(null);
        expect(pyWadError(parsed), c.code).to.equal(null);
        expect(validateWad(parsed).ok, c.code).to.equal(true);
      }
    });
  });

  describe('validateWad', () => {
    const good = () => JSON.parse(BTC_0) as Record<string, unknown>;
    const reasonFor = (patch: Record<string, unknown>) => reasonOf(validateWad({...good(), ...patch}));

    it('returns a copy of what was received, in wire order', () => {
      const input = {...good(), code: 'THING', iso_num: 7};
      const checked = validateWad(input);
      expect(checked.ok).to.equal(true);
      if (!checked.ok) return;
      expect(checked.value).to.not.equal(input);
      expect(checked.value).to.deep.equal({...input});
      expect(Object.keys(checked.value)).to.deep.equal([...WAD_KEYS]);
    });

    it('rejects non-objects, null and arrays with js wording', () => {
      for (const v of [undefined, 1, 'wad', true, 10n, Symbol('w'), () => 1]) {
        expect(reasonOf(validateWad(v))).to.equal('is not a dictionary');
      }
      expect(reasonOf(validateWad(null))).to.equal('is not a dictionary');
      expect(reasonOf(validateWad([]))).to.equal('key mismatch');
      expect(reasonOf(validateWad(Array(9).fill(0)))).to.equal('key set not consistent with wad dictionary');
      expectWadInvalid(validateWad(null));
    });

    it('checks each field in js order with js wording', () => {
      const table: [Record<string, unknown>, string][] = [
        [{msats: '1'}, 'msats not a value'],
        [{msats: -1, asset_stable: 'no'}, 'msats must be a non-negative value'],
        [{asset_stable: 0, asset_units: -1}, 'asset_stable must be a boolean'],
        [{asset_units: null}, 'asset_units not a value'],
        [{asset_units: -0.5, code: 7}, 'asset_units must be a positive value'],
        [{code: null}, 'unknown code type'],
        [{code: 'C'.repeat(21)}, 'code string too long'],
        [{countries: 5}, 'countries not string'],
        [{countries: 'x'.repeat(1001)}, 'countries string too long'],
        [{decimals: '2'}, 'decimals value not a number'],
        [{decimals: -1}, 'decimals negative value'],
        [{decimals: 10.5}, 'decimals more than 10?'],
        [{name: []}, 'name not string'],
        [{name: 'n'.repeat(51)}, 'name string too long'],
        [{symbol: {}}, 'symbol not string'],
        [{symbol: '123456'}, 'symbol string too long'],
      ];
      for (const [patch, reason] of table) expect(reasonFor(patch), JSON.stringify(patch)).to.equal(reason);
    });

    it('accepts what js accepts that py does not', () => {
      expect(reasonFor({msats: 1.5})).to.equal(null);
      expect(reasonFor({decimals: 2.5})).to.equal(null);
      expect(reasonFor({countries: 'x'.repeat(1000)})).to.equal(null);
      expect(reasonFor({asset_stable: true, code: 'LTC', countries: null, symbol: ''})).to.equal(null);
      expect(reasonFor({msats: 1e300, asset_units: Number.MAX_VALUE})).to.equal(null);
      expect(reasonFor({iso_num: 'anything'})).to.equal(null);
      // js counts UTF-16 units: five astral characters are ten units.
      expect(reasonFor({symbol: '🍆🍆🍆🍆🍆'})).to.equal('symbol string too long');
      expect(reasonFor({symbol: '🍆🍆'})).to.equal(null);
    });

    it('reads a non-number iso_num and undefined metadata as null', () => {
      const checked = validateWad({...good(), iso_num: {x: 1}, countries: undefined});
      expect(checked.ok && checked.value.iso_num).to.equal(null);
      expect(checked.ok && checked.value.countries).to.equal(null);
    });

    it('rejects NaN and Infinity, which JSON text can produce (1e999)', () => {
      const fromText = JSON.parse(BTC_0.replace('"msats":0', '"msats":1e999')) as unknown;
      expect(reasonOf(validateWad(fromText))).to.equal('msats not a value');
      expect(reasonFor({msats: NaN})).to.equal('msats not a value');
      expect(reasonFor({asset_units: Infinity})).to.equal('asset_units not a value');
      expect(reasonFor({decimals: NaN})).to.equal('decimals value not a number');
      // js rejects these too, with these words.
      expect(reasonFor({msats: -Infinity})).to.equal('msats must be a non-negative value');
      expect(reasonFor({decimals: Infinity})).to.equal('decimals more than 10?');
    });

    it('never throws on hostile objects', () => {
      const throwingGetter = good();
      Object.defineProperty(throwingGetter, 'code', {enumerable: true, get: () => { throw new Error('boom'); }});
      expectWadInvalid(validateWad(throwingGetter));

      const hostileProxy = new Proxy(good(), {ownKeys: () => { throw new Error('boom'); }});
      expectWadInvalid(validateWad(hostileProxy));
      const getProxy = new Proxy(good(), {get: () => { throw new Error('boom'); }});
      expectWadInvalid(validateWad(getProxy));

      // A getter that changes its answer is read once: the checked value is returned.
      let reads = 0;
      const fickle = good();
      Object.defineProperty(fickle, 'msats', {enumerable: true, get: () => (reads++ === 0 ? 5 : -5)});
      const checked = validateWad(fickle);
      expect(checked.ok && checked.value.msats).to.equal(5);

      const noProto = Object.assign(Object.create(null) as object, good());
      expect(validateWad(noProto).ok).to.equal(true);
    });
  });

  describe('decodeWad (what a js consumer shows)', () => {
    it('replaces a table code’s metadata with ours', () => {
      const sent = {...wadToJson(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'USD'})), countries: null, name: 'Dollars'};
      const decoded = decodeWad(sent);
      expect(decoded.ok && decoded.value).to.deep.equal(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'USD'}));
    });

    it('shows BTC metadata for non-stable wads and drops a custom iso_num', () => {
      const btc = decodeWad({...JSON.parse(BTC_0), code: 'XYZ', symbol: 'X'});
      expect(btc.ok && serializeWad(btc.value)).to.equal(BTC_0);
      const custom = decodeWad({...JSON.parse(BTC_0), asset_stable: true, code: 'XYZ', iso_num: 42});
      expect(custom.ok && custom.value.iso_num).to.equal(null);
    });

    it('passes validation errors through', () => {
      expect(reasonOf(decodeWad({}))).to.equal('key mismatch');
    });
  });

  describe('wadForWire (send conservatively)', () => {
    it('cleans the reference table entries that fail both validators', () => {
      const sos = wadForWire(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'SOS'}));
      expect(sos.symbol).to.equal('Sh.So');
      const xbb = wadForWire(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'XBB'}));
      expect(xbb.name).to.have.length.at.most(50);
      expect(xbb.name!.startsWith('European Monetary Unit')).to.equal(true);
    });

    it('cuts strings at code point boundaries', () => {
      const w = wadForWire(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'Z', symbol: 'ab🍆🍆'}));
      expect(w.symbol).to.equal('ab🍆');
    });

    it('makes decimals an integer in 0…10 or null, and iso_num an integer or null', () => {
      const dec = (decimals: number | null) =>
        wadForWire(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'Z', decimals})).decimals;
      expect([dec(2.4), dec(2.6), dec(-0.2), dec(10.4), dec(11), dec(-3), dec(NaN), dec(null)]).to.deep.equal([
        2, 3, 0, 10, null, null, null, null,
      ]);
      expect(wadForWire({...bitcoinWad(1), iso_num: 1.5}).iso_num).to.equal(null);
    });

    it('keeps a bitcoin wad’s asset_units equal to its rounded msats', () => {
      expect(serializeWad(wadForWire(bitcoinWad(999.6)))).to.equal(serializeWad(bitcoinWad(1000)));
    });

    it('refuses amounts that cannot be sent as JSON integers', () => {
      expect(() => wadForWire(bitcoinWad(1e21))).to.throw(MoneysocketError);
      expect(() => wadForWire({...bitcoinWad(1), msats: NaN})).to.throw(MoneysocketError);
      // The largest double below 1e21 still serialises as an integer literal.
      expect(serializeWad(wadForWire(bitcoinWad(1e21 - 131072)))).to.contain('"msats":999999999999999900000,');
    });
  });

  describe('checkWadForWire (would py take it?)', () => {
    it('agrees with the vectors: the USD and LTC NOTIFY_PROVIDER wads are refused, the others pass', () => {
      for (const v of messageFile.vectors) {
        const wad = wadIn(v.json);
        if (wad === undefined) continue;
        const checked = checkWadForWire(wad);
        expect(checked.ok, v.name).to.equal(v.py_valid);
        if (!checked.ok) expect(checked.error.code).to.equal('WAD_INVALID');
      }
      for (const v of wadFile.vectors) {
        const py = v.py_valid && (v.py_constructed_same ?? true);
        expect(checkWadForWire(JSON.parse(v.json)).ok, v.name).to.equal(py);
      }
    });

    it('keeps js reasons for what js rejects, and refuses what only py rejects', () => {
      expect(reasonOf(checkWadForWire({}))).to.equal('key mismatch');
      const py = (patch: Record<string, unknown>) => checkWadForWire({...JSON.parse(BTC_0), ...patch}).ok;
      expect(py({msats: 1.5})).to.equal(false);
      expect(py({msats: 1e21})).to.equal(false);
      expect(py({decimals: 2.5})).to.equal(false);
      expect(py({countries: 'x'.repeat(201)})).to.equal(false);
      expect(py({countries: '🍆'.repeat(200)})).to.equal(true); // py counts code points
      expect(py({asset_stable: true, code: 'LTC', countries: null, decimals: 0, name: null, symbol: ''})).to.equal(true);
      expect(py({asset_stable: false, code: 'LTC'})).to.equal(true);
    });
  });

  describe('what each refusal says, and the edges', () => {
    const btc = () => JSON.parse(BTC_0) as Record<string, unknown>;
    const failure = (r: Result<Wad>): [string | undefined, string] | null => (r.ok ? null : [r.error.reason, r.error.message]);
    const thrown = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        if (error instanceof MoneysocketError) return `${error.code}: ${error.message}`;
        throw error;
      }
      throw new Error('did not throw');
    };

    it('names what is not a dictionary', () => {
      expect(failure(validateWad(null))).to.deep.equal(['is not a dictionary', 'a wad must be an object, not null']);
      expect(failure(validateWad(5))).to.deep.equal(['is not a dictionary', 'a wad must be an object, not number']);
      expect(failure(validateWad('x'))).to.deep.equal(['is not a dictionary', 'a wad must be an object, not string']);
      const hostile = new Proxy(btc(), {ownKeys: () => { throw new Error('boom'); }});
      expect(failure(validateWad(hostile))).to.deep.equal(['is not a dictionary', 'the wad could not be read: accessing its properties threw']);
    });

    it('quotes an unexpected key, cut at 40 characters', () => {
      const key = 'k'.repeat(60);
      const wad = btc();
      delete wad['symbol'];
      wad[key] = 1;
      expect(failure(validateWad(wad))).to.deep.equal(['key set not consistent with wad dictionary', `unexpected wad key "${'k'.repeat(40)}"`]);
    });

    it('says how long a code is and how long it may be', () => {
      expect(failure(validateWad({...btc(), code: 'C'.repeat(21)}))).to.deep.equal(['code string too long', 'wad code is 21 characters long; at most 20 allowed']);
      expect(failure(validateWad({...btc(), code: 5}))).to.deep.equal(['unknown code type', 'wad code must be a string']);
      expect(validateWad({...btc(), code: 'C'.repeat(20)}).ok).to.equal(true);
    });

    it('names the amount field at fault', () => {
      expect(failure(validateWad({...btc(), msats: '1'}))).to.deep.equal(['msats not a value', 'wad msats must be a number']);
      expect(failure(validateWad({...btc(), msats: -1}))).to.deep.equal(['msats must be a non-negative value', 'wad msats must not be negative (got -1)']);
      expect(failure(validateWad({...btc(), asset_units: '1'}))).to.deep.equal(['asset_units not a value', 'wad asset_units must be a number']);
      expect(failure(validateWad({...btc(), asset_units: -2}))).to.deep.equal(['asset_units must be a positive value', 'wad asset_units must not be negative (got -2)']);
    });

    it('says why py would refuse a wad js accepts', () => {
      expect(failure(checkWadForWire({...btc(), msats: 1.5, asset_units: 1.5}))).to.deep.equal([undefined, 'wad msats 1.5 is not a whole number below 1e21; py-moneysocket rejects it']);
      expect(failure(checkWadForWire({...btc(), countries: 'x'.repeat(201)}))).to.deep.equal([undefined, 'wad countries is longer than py-moneysocket\'s 200 characters']);
      expect(failure(checkWadForWire({...btc(), decimals: 2.5}))).to.deep.equal([undefined, 'wad decimals 2.5 is not an integer; py-moneysocket rejects it']);
      expect(checkWadForWire({...btc(), countries: 'x'.repeat(200)}).ok).to.equal(true);
    });

    it('refuses a stable LTC or ETH wad carrying any one of countries, decimals, name or symbol', () => {
      const bare = {...btc(), asset_stable: true, code: 'LTC', countries: null, decimals: null, name: null, symbol: null};
      expect(checkWadForWire(bare).ok).to.equal(true);
      for (const code of ['LTC', 'ETH']) {
        for (const patch of [{countries: 'All'}, {decimals: 8}, {name: 'Litecoin'}, {symbol: 'Ł'}]) {
          const r = checkWadForWire({...bare, code, ...patch});
          expect(failure(r), `${code} ${JSON.stringify(patch)}`).to.deep.equal([undefined, `py-moneysocket raises on receiving a ${code} wad (crypto-table wads, 6.1)`]);
        }
      }
      expect(checkWadForWire({...bare, code: 'DOGE', name: 'Doge'}).ok).to.equal(true);
    });

    it('wadForWire turns -0 into 0, and says why it cannot send too large an amount', () => {
      const zero = wadForWire({...bitcoinWad(0), msats: -0, asset_units: -0});
      expect(Object.is(zero.msats, 0)).to.equal(true);
      expect(Object.is(zero.asset_units, 0)).to.equal(true);
      expect(thrown(() => wadForWire(bitcoinWad(1e21)))).to.equal('WAD_INVALID: wad msats 1e+21 is too large to send as a JSON integer');
    });

    it('wadForWire keeps a stable wad\'s asset_units as they are, whatever msats is', () => {
      const stable = (msats: number, units: number) => wadForWire(makeWad({msats, asset_stable: true, asset_units: units, code: 'Z'}));
      expect(stable(1000, 10).asset_units).to.equal(10);
      expect(stable(1.5, 1.5).asset_units).to.equal(1.5);
      expect(stable(1.5, 1.5).msats).to.equal(2);
      expect(wadForWire({...bitcoinWad(1.5), asset_units: 7}).asset_units).to.equal(7);
    });

    it('wadForWire keeps countries of exactly 200 characters, and drops longer ones', () => {
      const withCountries = (n: number) => wadForWire(makeWad({msats: 1, asset_stable: true, asset_units: 1, code: 'Z', countries: 'x'.repeat(n)})).countries;
      expect(withCountries(200)).to.equal('x'.repeat(200));
      expect(withCountries(201)).to.equal(null);
    });
  });

  describe('formatWad (6.3)', () => {
    it('formats bitcoin wads as sats with three decimals', () => {
      expect(formatWad(bitcoinWad(12345))).to.equal('₿ 12.345 sats');
      expect(formatWad(bitcoinWad(0))).to.equal('₿ 0.000 sats');
      expect(formatWad(bitcoinWad(1))).to.equal('₿ 0.001 sats');
      expect(formatWad(bitcoinWad(2500000))).to.equal('₿ 2500.000 sats');
    });

    it('formats other wads as symbol, units with decimals, code', () => {
      const fmt = (args: Omit<WadArgs, 'msats' | 'asset_stable'>) => formatWad(makeWad({msats: 1, asset_stable: true, ...args}));
      expect(fmt({asset_units: 12.34, code: 'USD'})).to.equal('$ 12.34 USD');
      expect(fmt({asset_units: 0.5, code: 'CAD'})).to.equal('$ 0.50 CAD');
      expect(fmt({asset_units: 55, code: 'JPY'})).to.equal('د.أ 55 JPY');
      expect(fmt({asset_units: 1.2346, code: 'BHD'})).to.equal('.د.ب 1.235 BHD');
      // No symbol: no leading space. Null decimals: whole units.
      expect(fmt({asset_units: 2.5, code: 'XAU'})).to.equal('3 XAU');
      expect(fmt({asset_units: 0.25, code: 'LTC'})).to.equal('0 LTC');
      expect(fmt({asset_units: 3.14159, code: 'EGGPLANT', decimals: 3, symbol: '🍆'})).to.equal('🍆 3.142 EGGPLANT');
      expect(fmt({asset_units: 7, code: 'THING', decimals: null, symbol: null})).to.equal('7 THING');
    });

    it('never throws on out-of-range decimals', () => {
      const w = (decimals: number) => ({...makeWad({msats: 1, asset_stable: true, asset_units: 1.5, code: 'Z'}), decimals});
      expect(formatWad(w(-1))).to.equal('2 Z');
      expect(formatWad(w(NaN))).to.equal('2 Z');
      expect(formatWad(w(1000))).to.match(/^1\.50+ Z$/);
    });
  });

  describe('properties', () => {
    const text = fc.oneof(
      fc.string({maxLength: 8}),
      fc.string({unit: 'binary', maxLength: 12}),
      fc.string({maxLength: 260}),
      fc.string({unit: 'binary', maxLength: 1100}),
    );
    const amount = fc.oneof(fc.nat(), fc.double({min: 0, max: 1e20, noNaN: true}), fc.constantFrom(0, 0.5, 2 ** 53, 1e20));
    const code = fc.oneof(
      fc.constantFrom(...fiatCurrencies().map((c) => c.code), 'LTC', 'ETH', 'BTC', 'toString', ''),
      fc.string({maxLength: 20}),
      fc.string({unit: 'binary', maxLength: 10}),
    );
    const args: fc.Arbitrary<WadArgs> = fc.record(
      {
        msats: amount,
        asset_stable: fc.boolean(),
        asset_units: amount,
        code,
        countries: fc.option(text),
        decimals: fc.option(fc.oneof(fc.integer({min: -3, max: 14}), fc.double({noNaN: false}))),
        name: fc.option(text),
        symbol: fc.option(text),
      },
      {requiredKeys: ['msats', 'asset_stable', 'asset_units', 'code']},
    );

    it('construct → wadForWire → serialise → parse → validate round-trips and satisfies py', () => {
      fc.assert(
        fc.property(args, (a) => {
          const wire = wadForWire(makeWad(a));
          const json = serializeWad(wire);
          const parsed: unknown = JSON.parse(json);
          const checked = validateWad(parsed);
          return (
            checked.ok &&
            serializeWad(checked.value) === json &&
            jsWadError(parsed) === null &&
            pyWadError(parsed) === null &&
            checkWadForWire(parsed).ok === !(wire.asset_stable && cryptoCurrency(wire.code) !== undefined) &&
            wadKeysInOrder(json).join() === WAD_KEYS.join()
          );
        }),
        {numRuns: 3000},
      );
    });

    it('validateWad agrees with js on JSON values (mutated wads and arbitrary JSON)', () => {
      const wadObject = args.map((a) => wadToJson(makeWad(a)) as unknown as Record<string, unknown>);
      const mutated = fc.oneof(
        fc.tuple(wadObject, fc.constantFrom(...WAD_KEYS), fc.jsonValue()).map(([w, k, v]) => ({...w, [k]: v})),
        fc.tuple(wadObject, fc.constantFrom(...WAD_KEYS)).map(([w, k]) => {
          const copy = {...w};
          delete copy[k];
          return copy;
        }),
        fc.tuple(wadObject, fc.string(), fc.jsonValue()).map(([w, k, v]) => ({...w, [k]: v})),
        fc.tuple(wadObject, fc.constantFrom(...WAD_KEYS), fc.string()).map(([w, k, k2]) => {
          const copy: Record<string, unknown> = {...w};
          copy[k2] = copy[k];
          if (k2 !== k) delete copy[k];
          return copy;
        }),
        fc.jsonValue(),
      );
      fc.assert(
        fc.property(mutated, (value) => {
          const fromText: unknown = JSON.parse(JSON.stringify(value));
          const js = jsWadError(fromText);
          if (reasonOf(validateWad(fromText)) !== js) return false;
          // checkWadForWire: both validators, plus py's crypto-table constructor asserts.
          const w = (fromText ?? {}) as Record<string, unknown>;
          const cryptoRaises =
            w['asset_stable'] === true && cryptoCurrency(w['code'] as string) !== undefined &&
            Boolean(w['countries'] || w['decimals'] || w['name'] || w['symbol']);
          return checkWadForWire(fromText).ok === (js === null && pyWadError(fromText) === null && !cryptoRaises);
        }),
        {numRuns: 3000},
      );
    });

    it('10,000 random and mutated inputs: ok or WAD_INVALID, never a throw', () => {
      const special = fc.constantFrom(
        NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 1, 1e21, -1,
        null, undefined, '', '\ud800', 'x'.repeat(1001), [], {}, Object.create(null) as object, 10n, true,
      );
      const anyValue = fc.oneof(fc.anything(), special, fc.double(), fc.string({unit: 'binary'}));
      const base = args.map((a) => wadToJson(makeWad(a)) as unknown as Record<string, unknown>);
      const hostile = fc.tuple(base, fc.constantFrom(...WAD_KEYS), fc.boolean()).map(([w, k, throws]) => {
        const copy: Record<string, unknown> = {...w};
        Object.defineProperty(copy, k, {
          enumerable: true,
          get: () => {
            if (throws) throw new Error('getter');
            return undefined;
          },
        });
        return copy;
      });
      const input = fc.oneof(
        anyValue,
        fc.tuple(base, fc.constantFrom(...WAD_KEYS), anyValue).map(([w, k, v]) => ({...w, [k]: v})),
        fc.tuple(base, fc.constantFrom(...WAD_KEYS)).map(([w, k]) => {
          const copy = {...w};
          delete copy[k];
          return copy;
        }),
        fc.tuple(base, fc.string(), anyValue).map(([w, k, v]) => ({...w, [k]: v})),
        base.map((w) => Object.values(w)),
        base.map((w) => new Proxy(w, {get: () => { throw new Error('proxy'); }})),
        hostile,
        fc.dictionary(fc.constantFrom(...WAD_KEYS), anyValue),
      );
      fc.assert(
        fc.property(input, (value) => {
          let result: Result<Wad>;
          try {
            result = validateWad(value);
          } catch {
            return false;
          }
          if (!result.ok) {
            return (
              result.error instanceof MoneysocketError &&
              result.error.code === 'WAD_INVALID' &&
              typeof result.error.reason === 'string' &&
              result.error.message.length > 0
            );
          }
          // What was accepted can be shown, re-read and made sendable.
          const w = result.value;
          formatWad(w);
          if (!decodeWad(w).ok) return false;
          if (!validateWad(JSON.parse(serializeWad(w))).ok) return false;
          if (w.msats >= 1e21) return true;
          return pyWadError(JSON.parse(serializeWad(wadForWire(w)))) === null;
        }),
        {numRuns: 10000},
      );
    });
  });
});
