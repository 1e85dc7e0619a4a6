/** Serves the demo's pages from the top of one directory, and nothing else. */
import {readFile, realpath, stat} from 'node:fs/promises';
import type {ServerResponse} from 'node:http';
import {extname, resolve, sep} from 'node:path';
import {HttpError} from './http-json.js';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Only page assets: the directory also holds the server's own TypeScript, which is not for browsers. */
const SERVED = new Set(['.html', '.css', '.svg', '.png', '.ico']);

/**
 * The file under `root` for a URL path, or an HttpError (400 bad path, 404).
 * Decoded first, so `%2e%2e` and `%2f` are caught like `..` and `/`.
 */
export async function resolveStatic(root: string, pathname: string): Promise<string> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    throw new HttpError(400, 'bad path encoding');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) throw new HttpError(400, 'bad path');
  // The pages live at the top of the directory; its subdirectories (server code, other demos' sources) are not
  // for browsers. This also rules out `..` and hidden entries such as .build.
  if (!/^\/[^/.][^/]*$/.test(decoded)) throw new HttpError(404, 'not found');
  if (!SERVED.has(extname(decoded))) throw new HttpError(404, 'not found');
  const file = resolve(root, `.${decoded}`);
  const inside = (path: string, base: string) => path.startsWith(base + sep);
  if (!inside(file, root)) throw new HttpError(404, 'not found');
  try {
    // A symbolic link could still point outside: compare the real paths too.
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!inside(real, realRoot) || !(await stat(real)).isFile()) throw new Error('not a file inside the root');
    return real;
  } catch {
    throw new HttpError(404, 'not found');
  }
}

/** What a built framework demo (Vite output: index.html and assets/) may serve. */
const BUILT = new Set(['.html', '.css', '.js', '.map', '.svg', '.png', '.ico']);

/**
 * A file of a built app under `root` (`demo/.build/vue`, …), subfolders
 * allowed, for the URL path below the app's prefix. Same checks as above:
 * decoded first, no `..`, nothing outside the root, real paths compared.
 */
export async function resolveBuilt(root: string, pathname: string): Promise<string> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '' || pathname === '/' ? '/index.html' : pathname);
  } catch {
    throw new HttpError(400, 'bad path encoding');
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part.startsWith('.'))) {
    throw new HttpError(404, 'not found');
  }
  if (!BUILT.has(extname(decoded))) throw new HttpError(404, 'not found');
  const file = resolve(root, `.${decoded}`);
  try {
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!real.startsWith(realRoot + sep) || !(await stat(real)).isFile()) throw new Error('not a file inside the root');
    return real;
  } catch {
    throw new HttpError(404, 'not found (build the framework demos with npm run build:framework-demos)');
  }
}

export async function serveBuilt(root: string, pathname: string, res: ServerResponse, head: boolean): Promise<void> {
  const file = await resolveBuilt(root, pathname);
  sendBytes(res, await readFile(file), CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', head);
}

export async function serveStatic(root: string, pathname: string, res: ServerResponse, head: boolean): Promise<void> {
  const file = await resolveStatic(root, pathname);
  sendBytes(res, await readFile(file), CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', head);
}

export function sendBytes(res: ServerResponse, body: Uint8Array, type: string, head: boolean): void {
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.byteLength,
    // The demo is rebuilt at every start: never serve yesterday's bundle.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(head ? undefined : body);
}
