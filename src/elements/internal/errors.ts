/** Turns whatever a stack or a page threw into the `ms-error` detail. */
import {isMoneysocketError} from '../../core/errors.js';
import type {MsErrorDetail} from '../events.js';

export function errorDetail(error: unknown): MsErrorDetail {
  if (isMoneysocketError(error)) return {code: error.code, message: error.message};
  // Only a bug (ours or a page's) gets here: keep it visible under a generic code.
  const message = error instanceof Error ? error.message : String(error);
  return {code: 'INVALID_ARGUMENT', message};
}
