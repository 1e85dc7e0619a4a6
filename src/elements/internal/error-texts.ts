/**
 * What `<ms-consumer>` shows of its last error: a sentence for the person
 * using the app (each the fallback of the slot `error-<CODE>`, so pages
 * translate it there), or nothing for news that concerns developers only.
 */
import type {ErrorCode} from '../../core/errors.js';
import type {MsErrorDetail} from '../events.js';
import {beaconErrorText} from './beacon-check.js';

const TEXT: Partial<Record<ErrorCode, string>> = {
  RENDEZVOUS_IN_USE: 'This beacon is already in use by another app. Ask the wallet for a new beacon.',
  CONNECTION_FAILED: 'The wallet\'s relay cannot be reached. Check the beacon, or try again later.',
  PROVIDER_ABSENT: 'The wallet is not answering. Is its page still open? Still waiting for it…',
  DISCONNECTED: 'The connection to the wallet was lost. Reconnecting…',
  REQUEST_TIMEOUT: 'The wallet stopped answering. Reconnecting…',
};

/** One dropped message or an unmatched notice: logged through `ms-error`, not shown. */
const QUIET = /^(FRAME_|MESSAGE_|UNEXPECTED_MESSAGE$|UNMATCHED_NOTIFICATION$)/;

export function shownError(detail: MsErrorDetail): boolean {
  return !QUIET.test(detail.code);
}

export function errorText(detail: MsErrorDetail): string {
  if (detail.code.startsWith('BEACON_')) return beaconErrorText(detail.code);
  const text = TEXT[detail.code] ?? detail.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
