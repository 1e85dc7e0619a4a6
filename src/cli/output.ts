/** How the CLI talks: results on stdout, one error line on stderr, exit codes. */
import {MoneysocketError, type ErrorCode} from '../core/errors.js';

export class UsageError extends MoneysocketError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** One line naming the error code and what is wrong; never a stack trace. */
export function errorLine(error: unknown): string {
  if (error instanceof MoneysocketError) return `error ${error.code}: ${error.message}`;
  const code: ErrorCode = 'INVALID_ARGUMENT';
  const message = error instanceof Error ? error.message : String(error);
  return `error ${code}: ${message.split('\n')[0]}`;
}
