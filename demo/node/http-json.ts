/** Small JSON-over-HTTP helpers for the demo server: bounded bodies, typed failures. */
import type {IncomingMessage, ServerResponse} from 'node:http';

/** A failure that becomes an HTTP status and `{error}`; anything else is a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Request bodies beyond this are refused: every demo request is a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads and parses a JSON object body; rejects with HttpError 413 / 400. */
export function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const tooLarge = new HttpError(413, `body larger than ${limit} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > limit) return reject(tooLarge);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Stop reading a client that sends more than it may; the 413 closes the connection.
      req.off('data', onData);
      req.pause();
      reject(tooLarge);
    };
    req.on('data', onData);
    req.on('error', () => reject(new HttpError(400, 'request aborted')));
    req.on('end', () => {
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        resolve(value as Record<string, unknown>);
      } catch {
        reject(new HttpError(400, 'the body must be a JSON object'));
      }
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // A body we refused may still be arriving: do not reuse the connection.
    ...(status === 413 ? {connection: 'close'} : {}),
  });
  res.end(text);
}

/** Sends whatever a handler threw: its own status for HttpError, 500 (without details) otherwise. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) return sendJson(res, error.status, {error: error.message});
  sendJson(res, 500, {error: 'internal error'});
}

// Input checks shared by the routes: each throws HttpError 400 naming the field.

export function stringField(body: Record<string, unknown>, name: string, maxLength: number, pattern?: RegExp): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || (pattern && !pattern.test(value))) {
    throw new HttpError(400, `${name} must be a string of 1 to ${maxLength} characters${pattern ? ` matching ${pattern}` : ''}`);
  }
  return value;
}

export function integerField(body: Record<string, unknown>, name: string, min: number, max: number): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, `${name} must be an object`);
  return value as Record<string, unknown>;
}
