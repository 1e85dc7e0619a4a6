/**
 * Sats on the WebLN side, msats on the Moneysocket wire. Conversions are
 * exact or refused: money is never rounded.
 */
import {MoneysocketError} from '../core/errors.js';

/** Whole sats for `msats`; a refusal (nothing attempted) when it is not a whole number of sats. */
export function msatsToSats(msats: number | bigint): number {
  const value = BigInt(msats);
  if (value % 1000n !== 0n) {
    // REQUEST_REFUSED: nothing was attempted (what answer-text's refusal() makes, without pulling it into this chunk).
    throw new MoneysocketError('REQUEST_REFUSED', `${value} msats is not a whole number of sats, and WebLN wallets take whole sats: the amount is never rounded`);
  }
  return Number(value / 1000n);
}

/**
 * Exact msats for an amount of sats given as a number or a decimal string
 * (at most three decimals: 1.5 sats is 1500 msats). Anything else is
 * `AMOUNT_INVALID`, never rounded. A number is read by its shortest decimal
 * form, so 0.001 gives 1, not a binary approximation.
 */
export function satsToMsats(sats: number | string): number {
  return exactMsats(sats, 3, 'sats');
}

/** Exact msats for a decimal amount of a unit worth 10^`decimals` msats (3 for sats, 11 for BTC). */
export function exactMsats(amount: number | string, decimals: number, unit: string): number {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const fraction = decimals > 0 ? `(?:\\.(\\d{1,${decimals}}))?` : '';
  const match = new RegExp(`^(\\d+)${fraction}$`).exec(text);
  const msats = match === null ? NaN : Number(match[1]) * 10 ** decimals + Number((match[2] ?? '').padEnd(decimals, '0'));
  if (!Number.isSafeInteger(msats)) {
    throw new MoneysocketError('AMOUNT_INVALID', `${JSON.stringify(amount)} is not an amount of ${unit} that converts exactly to msats`);
  }
  return msats;
}
