/**
 * Wad: an amount of value with the metadata of its asset (PROTOCOL.md 6).
 *
 * Three jobs, three rules:
 * - building (`makeWad`, `bitcoinWad`) follows js-moneysocket's constructor,
 *   so the JSON is byte-identical to what js would send;
 * - receiving (`validateWad`) applies js's checks in js's order, keeping its
 *   error strings in `reason`;
 * - sending (`wadForWire`) cleans a wad until py's stricter validator accepts
 *   it too, because a py consumer rejects the whole NOTIFY_PROVIDER otherwise.
 */
import {fail, MoneysocketError, ok, type Result} from './errors.js';

export interface Wad {
  readonly msats: number;
  readonly asset_stable: boolean;
  /** For bitcoin wads this equals `msats` (not BTC, not sats). */
  readonly asset_units: number;
  readonly code: string;
  readonly countries: string | null;
  readonly decimals: number | null;
  readonly iso_num: number | null;
  readonly name: string | null;
  readonly symbol: string | null;
}

/** The nine wire keys, in the order both libraries emit them. */
export const WAD_KEYS = [
  'msats', 'asset_stable', 'asset_units', 'code', 'countries', 'decimals', 'iso_num', 'name', 'symbol',
] as const;

export interface WadArgs {
  msats: number;
  asset_stable: boolean;
  asset_units: number;
  code: string;
  /** Only used for custom assets (codes in neither table); absent means null. */
  countries?: string | null;
  decimals?: number | null;
  name?: string | null;
  symbol?: string | null;
}

export type WadMetadata = Pick<Wad, 'code' | 'countries' | 'decimals' | 'iso_num' | 'name' | 'symbol'>;

export const BTC_METADATA: WadMetadata = {code: 'BTC', countries: 'All', decimals: 0, iso_num: null, name: 'Bitcoin', symbol: '₿'};

// js's limits (what we accept) and py's (what we send); see 6.2.
const MAX_CODE = 20;
const MAX_COUNTRIES_JS = 1000;
const MAX_COUNTRIES_PY = 200;
const MAX_DECIMALS = 10;
const MAX_NAME = 50;
const MAX_SYMBOL = 5;
// JSON.stringify writes 1e21 and up in exponent form, which py parses as a float.
const MAX_WIRE_MSATS = 1e21;

/** A plain bitcoin amount: `asset_units` equals `msats`, as js's `Wad.bitcoin`. */
export function bitcoinWad(msats: number): Wad {
  const problem = amountProblem({msats, asset_stable: false, asset_units: msats});
  if (problem !== undefined) throw new MoneysocketError('WAD_INVALID', problem[1], problem[0]);
  return assemble(msats, false, msats, BTC_METADATA);
}

/** Builds a fresh object whose key order is the wire order. */
export function assemble(msats: number, asset_stable: boolean, asset_units: number, meta: WadMetadata): Wad {
  return {
    msats,
    asset_stable,
    asset_units,
    code: meta.code,
    countries: meta.countries ?? null,
    decimals: meta.decimals ?? null,
    iso_num: meta.iso_num ?? null,
    name: meta.name ?? null,
    symbol: meta.symbol ?? null,
  };
}

// [js reason, human message]
export type Problem = [string, string];

const KEY_SET: ReadonlySet<string> = new Set(WAD_KEYS);

/**
 * js's `Wad.validate_wad_dict`: same checks, same order, same strings (in
 * `reason`). Returns a copy of the fields as received; see `decodeWad` for
 * the wad a js consumer would actually show. Never throws.
 *
 * Where this differs from js, it only rejects or normalises inputs that js
 * would crash on or mishandle:
 * - null (js's `Object.keys(null)` throws) → `is not a dictionary`, and so
 *   does an object whose properties throw when read (getters, proxies);
 * - NaN or +Infinity msats/asset_units (JSON text like `1e999` parses to
 *   Infinity; js accepts it) → `msats not a value` / `asset_units not a value`;
 *   NaN decimals → `decimals value not a number`;
 * - `iso_num` is checked by neither library and js discards it when it
 *   rebuilds the wad: anything but a finite number reads as null. Undefined
 *   values (possible only in objects not parsed from JSON) read as null.
 */
export function validateWad(value: unknown): Result<Wad> {
  try {
    return checkWad(value);
  } catch {
    return invalid(['is not a dictionary', 'the wad could not be read: accessing its properties threw']);
  }
}

function checkWad(value: unknown): Result<Wad> {
  if (typeof value !== 'object' || value === null) {
    return invalid(['is not a dictionary', `a wad must be an object, not ${value === null ? 'null' : typeof value}`]);
  }
  const keys = Object.keys(value);
  // js counts the keys before it looks at their names: an extra key is a "key mismatch".
  if (keys.length !== WAD_KEYS.length) {
    return invalid(['key mismatch', `a wad has exactly ${WAD_KEYS.length} keys, this one has ${keys.length}`]);
  }
  for (const key of keys) {
    if (!KEY_SET.has(key)) {
      return invalid([
        'key set not consistent with wad dictionary',
        `unexpected wad key ${JSON.stringify(key.slice(0, 40))}`,
      ]);
    }
  }
  // Read each field once, so a getter cannot answer differently after the checks.
  const d = value as Record<string, unknown>;
  const w = {
    msats: d['msats'],
    asset_stable: d['asset_stable'],
    asset_units: d['asset_units'],
    code: d['code'],
    countries: d['countries'] ?? null,
    decimals: d['decimals'] ?? null,
    iso_num: d['iso_num'],
    name: d['name'] ?? null,
    symbol: d['symbol'] ?? null,
  };
  const problem = amountProblem(w) ?? codeProblem(w.code) ?? metadataProblem(w);
  if (problem !== undefined) return invalid(problem);
  const v = w as Omit<Wad, 'iso_num'> & {iso_num: unknown};
  const iso = typeof v.iso_num === 'number' && Number.isFinite(v.iso_num) ? v.iso_num : null;
  return ok(assemble(v.msats, v.asset_stable, v.asset_units, {...v, iso_num: iso}));
}

function invalid(problem: Problem): Result<never> {
  return fail('WAD_INVALID', problem[1], problem[0]);
}

export function amountProblem(w: {msats: unknown; asset_stable: unknown; asset_units: unknown}): Problem | undefined {
  return (
    numberProblem(w.msats, 'msats', 'msats not a value', 'msats must be a non-negative value') ??
    (typeof w.asset_stable === 'boolean'
      ? undefined
      : ['asset_stable must be a boolean', 'wad asset_stable must be true or false']) ??
    numberProblem(w.asset_units, 'asset_units', 'asset_units not a value', 'asset_units must be a positive value')
  );
}

// js's checks first (type, then sign), so every value js rejects gets js's
// reason; NaN and Infinity, which js lets through, come last.
function numberProblem(v: unknown, key: string, notNumber: string, negative: string): Problem | undefined {
  if (typeof v !== 'number') return [notNumber, `wad ${key} must be a number`];
  if (v < 0) return [negative, `wad ${key} must not be negative (got ${v})`];
  if (!Number.isFinite(v)) return [notNumber, `wad ${key} must be a finite number (got ${v})`];
  return undefined;
}

export function codeProblem(code: unknown): Problem | undefined {
  if (typeof code !== 'string') return ['unknown code type', 'wad code must be a string'];
  if (code.length > MAX_CODE) {
    return ['code string too long', `wad code is ${code.length} characters long; at most ${MAX_CODE} allowed`];
  }
  return undefined;
}

function metadataProblem(w: {countries: unknown; decimals: unknown; name: unknown; symbol: unknown}): Problem | undefined {
  return (
    stringProblem(w.countries, 'countries', MAX_COUNTRIES_JS) ?? decimalsProblem(w.decimals) ??
    stringProblem(w.name, 'name', MAX_NAME) ?? stringProblem(w.symbol, 'symbol', MAX_SYMBOL)
  );
}

// js measures length in UTF-16 code units; py in code points. Units are never
// fewer, so a string within js's limit by units is within py's by points.
function stringProblem(v: unknown, key: string, max: number): Problem | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'string') return [`${key} not string`, `wad ${key} must be a string or null`];
  if (v.length > max) {
    return [`${key} string too long`, `wad ${key} is ${v.length} characters long; at most ${max} allowed`];
  }
  return undefined;
}

function decimalsProblem(v: unknown): Problem | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'number') return ['decimals value not a number', 'wad decimals must be a number or null'];
  if (v < 0) return ['decimals negative value', `wad decimals must not be negative (got ${v})`];
  if (v > MAX_DECIMALS) return ['decimals more than 10?', `wad decimals must be at most ${MAX_DECIMALS} (got ${v})`];
  if (Number.isNaN(v)) return ['decimals value not a number', 'wad decimals must not be NaN'];
  return undefined;
}

/**
 * The send side (6.2, "send conservatively"): returns a copy of `wad` that
 * both validators accept. msats is rounded to an integer (js's fiat helpers
 * compute it as a float); countries over py's 200 characters becomes null
 * (js's table texts for USD and EUR are longer; ours keeps USD's); decimals becomes an integer in
 * 0…10 or null; over-long name and symbol (XBB's name, SOS's "Sh.So.") are
 * shortened; a non-number iso_num becomes null. Throws a MoneysocketError
 * (WAD_INVALID) when the amounts or the code cannot be sent at all.
 *
 * It cannot fix one thing: py cannot receive LTC/ETH wads at all (6.1), so
 * do not send those to py peers.
 */
export function wadForWire(wad: Wad): Wad {
  const problem = amountProblem(wad) ?? codeProblem(wad.code);
  if (problem !== undefined) throw new MoneysocketError('WAD_INVALID', problem[1], problem[0]);
  // `+ 0` turns -0 into 0.
  const msats = Math.round(wad.msats) + 0;
  if (msats >= MAX_WIRE_MSATS) {
    throw new MoneysocketError('WAD_INVALID', `wad msats ${msats} is too large to send as a JSON integer`);
  }
  // Keep a bitcoin wad's asset_units equal to its msats.
  const units = !wad.asset_stable && wad.asset_units === wad.msats ? msats : wad.asset_units;
  const countries = typeof wad.countries === 'string' && wad.countries.length <= MAX_COUNTRIES_PY ? wad.countries : null;
  const decimals = typeof wad.decimals === 'number' ? Math.round(wad.decimals) + 0 : NaN;
  return assemble(msats, wad.asset_stable, units, {
    code: wad.code,
    countries,
    decimals: decimals >= 0 && decimals <= MAX_DECIMALS ? decimals : null,
    iso_num: Number.isSafeInteger(wad.iso_num) ? wad.iso_num : null,
    name: shorten(wad.name, MAX_NAME),
    symbol: shorten(wad.symbol, MAX_SYMBOL),
  });
}

/**
 * Whether py-moneysocket would take this wad: js's checks (`validateWad`),
 * then what py adds — msats a JSON integer, countries at most 200 code
 * points, decimals an integer — and py's constructor, which raises on a
 * stable LTC/ETH wad carrying countries, decimals, name or symbol (any
 * crypto-table wad js builds). The last check before sending; `wadForWire`
 * output passes it except for LTC/ETH. Failures have no js `reason`.
 */
export function checkWadForWire(value: unknown): Result<Wad> {
  const checked = validateWad(value);
  if (!checked.ok) return checked;
  const w = checked.value;
  if (!Number.isInteger(w.msats) || w.msats >= MAX_WIRE_MSATS) {
    return fail('WAD_INVALID', `wad msats ${w.msats} is not a whole number below 1e21; py-moneysocket rejects it`);
  }
  if (w.countries !== null && codePoints(w.countries) > MAX_COUNTRIES_PY) {
    return fail('WAD_INVALID', `wad countries is longer than py-moneysocket's ${MAX_COUNTRIES_PY} characters`);
  }
  if (w.decimals !== null && !Number.isInteger(w.decimals)) {
    return fail('WAD_INVALID', `wad decimals ${w.decimals} is not an integer; py-moneysocket rejects it`);
  }
  // LTC and ETH are the crypto table's two codes (currencies.ts); named here to keep that table out of the core.
  if (w.asset_stable && (w.code === 'LTC' || w.code === 'ETH') && (w.countries || w.decimals || w.name || w.symbol)) {
    return fail('WAD_INVALID', `py-moneysocket raises on receiving a ${w.code} wad (crypto-table wads, 6.1)`);
  }
  return checked;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Cuts at a code point boundary so that the UTF-16 length is at most `max`. */
function shorten(v: unknown, max: number): string | null {
  if (typeof v !== 'string') return null;
  if (v.length <= max) return v;
  let out = '';
  for (const ch of v) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** The plain object js's `JSON.stringify(wad)` sees: nine keys, wire order. */
export function wadToJson(wad: Wad): Wad {
  return assemble(wad.msats, wad.asset_stable, wad.asset_units, wad);
}

/** js's serialisation: compact JSON, non-ASCII left as raw characters. */
export function serializeWad(wad: Wad): string {
  return JSON.stringify(wadToJson(wad));
}

/**
 * js's `fmtShort` (6.3): `"₿ 12.345 sats"` for bitcoin wads (always BTC's
 * symbol, as js shows them after rebuilding), otherwise
 * `"<symbol> <units to decimals places> <code>"`, the symbol and its space
 * left out when empty. Null decimals show whole units, as in js.
 */
export function formatWad(wad: Wad): string {
  if (!wad.asset_stable) return `${BTC_METADATA.symbol} ${(wad.msats / 1000).toFixed(3)} sats`;
  const symbol = wad.symbol ? `${wad.symbol} ` : '';
  // js passes decimals straight to toFixed, which throws outside 0…100.
  const places = typeof wad.decimals === 'number' && wad.decimals >= 0 ? Math.min(Math.trunc(wad.decimals), 100) : 0;
  return `${symbol}${wad.asset_units.toFixed(places)} ${wad.code}`;
}
