/**
 * One error type for everything the protocol core reports.
 *
 * `code` is stable and meant for programs; `message` is for people. Where the
 * deployed js-moneysocket library has its own wording for the same failure, it
 * is kept in `reason` so logs line up with the reference implementation and
 * interop tests can compare verdicts.
 */
export type ErrorCode =
  // encoding layers
  | 'HEX_INVALID'
  | 'BIGSIZE_UNDERRUN'
  | 'BIGSIZE_NOT_MINIMAL'
  | 'BIGSIZE_TOO_LARGE'
  | 'TLV_TRUNCATED'
  // seeds and beacons
  | 'SEED_INVALID'
  | 'BEACON_BECH32'
  | 'BEACON_CHECKSUM'
  | 'BEACON_PREFIX'
  | 'BEACON_TLV_TYPE'
  | 'BEACON_TRUNCATED'
  | 'BEACON_SEED_LENGTH'
  | 'BEACON_UNKNOWN_LOCATION'
  | 'BEACON_LOCATION_INVALID'
  | 'BEACON_NO_LOCATION'
  /** A Lightning invoice (BOLT11) where a beacon was expected. */
  | 'BEACON_IS_INVOICE'
  /** An LNURL (or Lightning address) where a beacon was expected. */
  | 'BEACON_IS_LNURL'
  | 'LOCATION_INVALID'
  // frames and messages
  | 'FRAME_NO_SEED'
  | 'FRAME_CIPHERTEXT'
  | 'FRAME_TOO_LARGE'
  | 'FRAME_WRONG_CRYPT_LEVEL'
  | 'MESSAGE_NOT_JSON'
  | 'MESSAGE_TOO_LARGE'
  | 'MESSAGE_INVALID'
  | 'MESSAGE_UNKNOWN_TYPE'
  | 'MESSAGE_TYPE_REGISTERED'
  | 'WAD_INVALID'
  | 'BOLT11_INVALID'
  | 'AMOUNT_INVALID'
  // sessions
  | 'NOT_CONNECTED'
  | 'CONNECTION_FAILED'
  | 'RENDEZVOUS_IN_USE'
  | 'REQUEST_TIMEOUT'
  | 'REQUEST_FAILED'
  | 'REQUEST_REFUSED'
  | 'PAYMENT_FAILED'
  | 'PAYMENT_OUTCOME_UNKNOWN'
  | 'PREIMAGE_MISMATCH'
  | 'UNEXPECTED_MESSAGE'
  | 'UNMATCHED_NOTIFICATION'
  | 'DISCONNECTED'
  /** Waiting at the relay for a provider that has not come for a long time (the consumer keeps waiting). */
  | 'PROVIDER_ABSENT'
  | 'INVALID_ARGUMENT'
  // bridges (WebLN)
  | 'NOT_SUPPORTED'
  | 'WEBLN_PROVIDER_EXISTS';

export class MoneysocketError extends Error {
  readonly code: ErrorCode;
  /** The deployed js-moneysocket's wording for this failure, when it has one. */
  readonly reason: string | undefined;

  constructor(code: ErrorCode, message: string, reason?: string) {
    super(message);
    this.name = 'MoneysocketError';
    this.code = code;
    this.reason = reason;
  }

  toJSON(): {code: ErrorCode; message: string; reason?: string} {
    return this.reason === undefined
      ? {code: this.code, message: this.message}
      : {code: this.code, message: this.message, reason: this.reason};
  }
}

/** What every decoder returns: a value or a typed error, never a throw. */
export type Result<T> = {ok: true; value: T} | {ok: false; error: MoneysocketError};

export function ok<T>(value: T): Result<T> {
  return {ok: true, value};
}

export function fail<T = never>(code: ErrorCode, message: string, reason?: string): Result<T> {
  return {ok: false, error: new MoneysocketError(code, message, reason)};
}

export function isMoneysocketError(value: unknown): value is MoneysocketError {
  return value instanceof MoneysocketError;
}

/** Unwraps a Result for callers that prefer exceptions (CLI, tests, app code). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}
