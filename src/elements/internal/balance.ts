/** How `<ms-consumer>` shows a balance unless the page gives its own formatter. */
import {formatWad, type Wad} from '../../core/wad.js';

/**
 * Bitcoin balances in sats, grouped the reader's way ("104,000 sats",
 * "1,234.5 sats"): the protocol's own format ("₿ 104000.000 sats") pads
 * three decimals, and many system fonts have no ₿ glyph. Other assets keep
 * the protocol's "<symbol> <units> <code>".
 */
export function displayBalance(wad: Wad): string {
  if (wad.asset_stable) return formatWad(wad);
  return displaySats(wad.msats);
}

/** An amount of msats in sats, grouped the reader's way. */
export function displaySats(msats: number | bigint): string {
  return `${new Intl.NumberFormat(undefined, {maximumFractionDigits: 3}).format(Number(msats) / 1000)} sats`;
}
