/**
 * Wads in a currency from the tables (PROTOCOL.md 6.1): building them as js
 * does, and reading a received one as a js consumer would show it. Kept apart
 * from wad.ts so the protocol core does not carry the 169-entry fiat table.
 */
import {MoneysocketError, ok, type Result} from './errors.js';
import {cryptoCurrency, fiatCurrency} from './currencies.js';
import {
  amountProblem,
  assemble,
  BTC_METADATA,
  codeProblem,
  validateWad,
  type Wad,
  type WadArgs,
  type WadMetadata,
} from './wad.js';

/**
 * js's constructor rules (6.1): not stable → BTC metadata whatever the
 * caller says; a fiat-table code → the table's metadata; LTC/ETH → the
 * crypto rule; anything else → the caller's metadata with `iso_num` null.
 *
 * The result is what js would build, faithfully: it can fail py's validator
 * (USD's 517-character countries, fractional msats) or even js's (SOS's
 * symbol). Pass it through `wadForWire` before sending. Throws a
 * MoneysocketError (WAD_INVALID) only for what no cleaning can repair: a
 * negative or non-finite amount, or a bad code on a stable wad.
 */
export function makeWad(args: WadArgs): Wad {
  const problem = amountProblem(args) ?? (args.asset_stable ? codeProblem(args.code) : undefined);
  if (problem !== undefined) throw new MoneysocketError('WAD_INVALID', problem[1], problem[0]);
  return assemble(args.msats, args.asset_stable, args.asset_units, metadataFor(args));
}

function metadataFor(args: WadArgs): WadMetadata {
  if (!args.asset_stable) return BTC_METADATA;
  const code = args.code;
  const fiat = fiatCurrency(code);
  if (fiat !== undefined) return fiat;
  const crypto = cryptoCurrency(code);
  if (crypto !== undefined) return {code, countries: null, decimals: 0, iso_num: null, name: crypto.name, symbol: ''};
  // js would leave absent fields undefined and drop the keys from its JSON;
  // py defaults them to None. Nine keys always, so null.
  return {
    code,
    countries: args.countries ?? null,
    decimals: args.decimals ?? null,
    iso_num: null,
    name: args.name ?? null,
    symbol: args.symbol ?? null,
  };
}

/**
 * What a js consumer makes of a received wad: validated, then rebuilt with
 * the construction rules, so table codes show our table's metadata (not the
 * sender's), non-stable wads show BTC's, and `iso_num` comes from the table.
 */
export function decodeWad(value: unknown): Result<Wad> {
  const checked = validateWad(value);
  if (!checked.ok) return checked;
  const w = checked.value;
  return ok(assemble(w.msats, w.asset_stable, w.asset_units, metadataFor(w)));
}

