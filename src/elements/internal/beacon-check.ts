/** What `<ms-beacon-input>` knows about the text in its field, and the words it shows for it. */
import {beaconToJson, decodeBeacon, type BeaconJson} from '../../core/beacon.js';
import {MoneysocketError, type ErrorCode} from '../../core/errors.js';

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
  if (!result.ok) {
    const error = notABeacon(text) ?? result.error;
    return {state: 'invalid', code: error.code, message: error.message};
  }
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
  BEACON_IS_INVOICE: 'This is a Lightning invoice, not a beacon. Paste the beacon your Moneysocket wallet shows (it starts with moneysocket1).',
  BEACON_IS_LNURL: 'This is an LNURL or a Lightning address, not a beacon. Paste the beacon your Moneysocket wallet shows (it starts with moneysocket1).',
};

/** For the codes without their own text (damaged or foreign beacons). */
export const GENERIC_ERROR_TEXT = 'This is not a valid beacon.';

export function beaconErrorText(code: ErrorCode): string {
  return ERROR_TEXT[code] ?? GENERIC_ERROR_TEXT;
}

/** BOLT11's human-readable part: "ln", a network, an optional amount, then the bech32 separator. */
const INVOICE = /^ln(bc|bcrt|tb|tbs|sb)[0-9]*[munp]?1[02-9ac-hj-np-z]+$/;
/** A bech32 LNURL, its LUD-17 schemes, or a Lightning address (LUD-16). */
const LNURL = /^(lnurl1[02-9ac-hj-np-z]+|(lnurl[cpw]|keyauth):\/\/\S+|[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+)$/;

/**
 * The error for a payment string given where a beacon belongs (people paste
 * whatever their wallet shows), or undefined for anything else: the beacon
 * decoder's own error then says what is wrong.
 */
export function notABeacon(text: string): MoneysocketError | undefined {
  const plain = text.trim().toLowerCase().replace(/^lightning:/, '');
  if (INVOICE.test(plain)) return new MoneysocketError('BEACON_IS_INVOICE', 'this is a Lightning invoice, not a beacon (a beacon starts with moneysocket1)');
  if (LNURL.test(plain)) return new MoneysocketError('BEACON_IS_LNURL', 'this is an LNURL or a Lightning address, not a beacon (a beacon starts with moneysocket1)');
  return undefined;
}
