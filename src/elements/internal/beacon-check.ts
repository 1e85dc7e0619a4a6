/** What `<ms-beacon-input>` knows about the text in its field, and the words it shows for it. */
import {beaconToJson, decodeBeacon, type BeaconJson} from '../../core/beacon.js';
import type {ErrorCode} from '../../core/errors.js';

export type BeaconCheck =
  | {state: 'empty'}
  | {state: 'valid'; beacon: string; decoded: BeaconJson}
  | {state: 'invalid'; code: ErrorCode; message: string};

/** The canonical spelling of a beacon: no `moneysocket:` prefix, no whitespace, lower case. */
export function normaliseBeacon(text: string): string {
  return text.trim().replace(/^moneysocket:/i, '').toLowerCase();
}

export function checkBeacon(text: string): BeaconCheck {
  if (text.trim() === '') return {state: 'empty'};
  const result = decodeBeacon(text);
  if (!result.ok) return {state: 'invalid', code: result.error.code, message: result.error.message};
  return {state: 'valid', beacon: normaliseBeacon(text), decoded: beaconToJson(result.value)};
}

/**
 * Default English messages, one per error a person can act on. Each is the
 * fallback content of the slot `error-<CODE>`, so pages translate them there.
 */
const ERROR_TEXT: Partial<Record<ErrorCode, string>> = {
  BEACON_CHECKSUM: "The beacon's checksum does not match: a character is wrong or missing.",
  BEACON_PREFIX: 'This is not a Moneysocket beacon (it should start with moneysocket1).',
  BEACON_BECH32: 'This does not look like a beacon: check that you copied all of it and nothing else.',
  BEACON_TRUNCATED: 'The beacon is incomplete: part of it is missing.',
  BEACON_UNKNOWN_LOCATION: 'The beacon names a kind of connection this app does not know.',
};

/** For the codes without their own text (damaged or foreign beacons). */
export const GENERIC_ERROR_TEXT = 'This is not a valid beacon.';

export function beaconErrorText(code: ErrorCode): string {
  return ERROR_TEXT[code] ?? GENERIC_ERROR_TEXT;
}
