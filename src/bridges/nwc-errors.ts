/**
 * What a Nostr Wallet Connect failure means for money, and how to say it to
 * the app. NIP-47 error codes that mean "the wallet did not try" become
 * refusals (`REQUEST_REFUSED`: nothing was paid, the app may ask again); a
 * payment whose answer never came, or came unreadable, is
 * `PAYMENT_OUTCOME_UNKNOWN` and must never be retried; everything else is a
 * failure that may have moved money.
 */
import {
  Nip47NetworkError,
  Nip47PublishError,
  Nip47TimeoutError,
  Nip47UnsupportedEncryptionError,
  Nip47WalletError,
} from '@getalby/sdk/nwc';
import {MoneysocketError} from '../core/errors.js';

/** NIP-47 codes for requests the wallet turned down before doing anything. */
const REFUSALS: Readonly<Record<string, string>> = {
  QUOTA_EXCEEDED: "the wallet's spending quota is used up",
  INSUFFICIENT_BALANCE: "the wallet's balance is too low for this payment",
  RESTRICTED: 'the wallet does not allow this connection to do that',
  UNAUTHORIZED: 'the wallet does not know this connection (was it revoked?)',
  RATE_LIMITED: 'the wallet is receiving too many requests: try again shortly',
  NOT_IMPLEMENTED: 'the wallet does not support this',
  UNSUPPORTED_ENCRYPTION: 'the wallet and this page have no encryption in common',
};

/** NIP-47 codes for attempts that failed; the wallet's own words follow. */
const FAILURES: Readonly<Record<string, string>> = {
  PAYMENT_FAILED: 'the wallet could not pay the invoice',
  INTERNAL: 'the wallet had an internal error',
  NOT_FOUND: 'the wallet could not find it',
  OTHER: 'the wallet failed',
};

export type NwcOperation = 'pay' | 'invoice' | 'balance';

/** The verdict for a failed NWC request, as the MoneysocketError a WalletBackend throws. */
export function nwcError(error: unknown, operation: NwcOperation): MoneysocketError {
  if (error instanceof MoneysocketError) return error;
  if (error instanceof Nip47WalletError) return walletError(error.code, error.message, operation);
  // Nothing left this page: the relay was unreachable, or no encryption could be agreed on.
  if (error instanceof Nip47NetworkError) return new MoneysocketError('REQUEST_REFUSED', "the wallet's Nostr relay cannot be reached");
  if (error instanceof Nip47UnsupportedEncryptionError) return new MoneysocketError('REQUEST_REFUSED', REFUSALS.UNSUPPORTED_ENCRYPTION!);
  // The request may have reached the wallet: for a payment, nobody can say whether it was made.
  if (operation === 'pay') return unknownOutcome(detail(error));
  if (error instanceof Nip47TimeoutError) return new MoneysocketError('REQUEST_TIMEOUT', 'the wallet did not answer in time');
  if (error instanceof Nip47PublishError) return new MoneysocketError('REQUEST_FAILED', "the wallet's Nostr relay did not take the request");
  return new MoneysocketError('REQUEST_FAILED', `the wallet's answer could not be used: ${detail(error)}`);
}

/** A payment that was asked for and not answered: it may have gone through. */
export function unknownOutcome(why: string): MoneysocketError {
  return new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', `the wallet did not confirm the payment (${why}): it may or may not have been made`);
}

function walletError(code: string, message: string, operation: NwcOperation): MoneysocketError {
  const refusal = REFUSALS[code];
  if (refusal !== undefined) return new MoneysocketError('REQUEST_REFUSED', refusal);
  const failure = FAILURES[code] ?? `the wallet failed (${code.slice(0, 40)})`;
  const words = message.trim().slice(0, 200);
  const text = words === '' ? failure : `${failure}: ${words}`;
  return new MoneysocketError(operation === 'pay' ? 'PAYMENT_FAILED' : 'REQUEST_FAILED', text);
}

function detail(error: unknown): string {
  if (error instanceof Nip47TimeoutError) return 'no answer in time';
  if (error instanceof Nip47PublishError) return "the relay did not confirm it took the request";
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 200) || 'no reason given';
}
