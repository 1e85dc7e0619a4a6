/**
 * What a NOTIFY_ERROR means for money. v0 carries only a free text, so our
 * provider starts it with a marker the consumer reads:
 *
 * - `refused: …` — refused before anything was attempted; nothing was paid,
 *   and the request may be sent again;
 * - `outcome unknown: …` — the payment may or may not have been made.
 *
 * Any other text (every deployed provider's) is a failure that does not say
 * whether money moved: the consumer never sends that invoice again.
 */
import {MoneysocketError} from '../errors.js';

export type ErrorVerdict = 'refused' | 'unknown' | 'failed';

const REFUSED = 'refused: ';
const UNKNOWN = 'outcome unknown: ';

/** The wire text for a reason and what it means. */
export function errorText(verdict: ErrorVerdict, reason: string): string {
  if (verdict === 'refused') return REFUSED + reason;
  if (verdict === 'unknown') return UNKNOWN + reason;
  return reason;
}

/** Reads a NOTIFY_ERROR text back into its meaning and its reason. */
export function readErrorText(text: string): {verdict: ErrorVerdict; reason: string} {
  if (text.startsWith(REFUSED)) return {verdict: 'refused', reason: text.slice(REFUSED.length)};
  if (text.startsWith(UNKNOWN)) return {verdict: 'unknown', reason: text.slice(UNKNOWN.length)};
  return {verdict: 'failed', reason: text};
}

/**
 * What a provider's handler (or wallet backend) threw, as a verdict: a
 * MoneysocketError `REQUEST_REFUSED` is a refusal before any money moved,
 * `PAYMENT_OUTCOME_UNKNOWN` is unknown, anything else is a failure that may
 * have moved money.
 */
export function verdictOfThrow(error: unknown): {verdict: ErrorVerdict; reason: string} {
  const code = typeof error === 'object' && error !== null ? (error as {code?: unknown}).code : undefined;
  const verdict: ErrorVerdict = code === 'REQUEST_REFUSED' ? 'refused' : code === 'PAYMENT_OUTCOME_UNKNOWN' ? 'unknown' : 'failed';
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return {verdict, reason: text.slice(0, 500) || 'the wallet gave no reason'};
}

/** Throw this from a handler to refuse a request before anything was attempted. */
export function refusal(reason: string): MoneysocketError {
  return new MoneysocketError('REQUEST_REFUSED', reason);
}
