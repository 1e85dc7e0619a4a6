/**
 * TLS for the relay, so `wss://` works without a proxy in front: the same
 * request and upgrade handling on an https server instead of an http one.
 */
import {createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerOptions, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer, type Server as HttpsServer} from 'node:https';
import {readFile} from 'node:fs/promises';
import {createSecureContext} from 'node:tls';
import {MoneysocketError} from '../core/errors.js';

/** A certificate chain and its private key, PEM-encoded. */
export interface RelayTlsOptions {
  cert: string | Uint8Array;
  key: string | Uint8Array;
}

export type RelayServer = HttpServer | HttpsServer;

/** The pair as node:tls takes it. */
export interface TlsPair {
  cert: string | Buffer;
  key: string | Buffer;
}

const pem = (value: string | Uint8Array): string | Buffer => (typeof value === 'string' ? value : Buffer.from(value));

/** Turns a bad pair into an actionable error now, rather than a throw from deep inside the server. */
export function checkTls(options: RelayTlsOptions | undefined): TlsPair | undefined {
  if (options === undefined) return undefined;
  const tls = {cert: pem(options.cert), key: pem(options.key)};
  try {
    createSecureContext(tls);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MoneysocketError('INVALID_ARGUMENT', `tls: the certificate and key cannot be used (${reason}); give a PEM certificate chain and its PEM private key`);
  }
  return tls;
}

/**
 * An http server, or an https one with `tls`. A TLS handshake gets the same
 * time as a plain request's headers: a client that never finishes it must
 * not hold a descriptor for the default two minutes.
 */
export function createRelayServer(
  tls: TlsPair | undefined,
  options: ServerOptions & {handshakeTimeoutMs: number},
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): RelayServer {
  const {handshakeTimeoutMs, ...http} = options;
  if (tls === undefined) return createHttpServer(http, onRequest);
  return createHttpsServer({...http, cert: tls.cert, key: tls.key, handshakeTimeout: handshakeTimeoutMs}, onRequest);
}

/**
 * Puts a new certificate and key in place for new connections; open ones
 * keep theirs. A renewed certificate must not need a restart: a restart
 * drops every waiting provider, and deployed providers never redial.
 */
export function replaceTls(server: RelayServer, options: RelayTlsOptions): void {
  if (!('setSecureContext' in server)) throw new MoneysocketError('INVALID_ARGUMENT', 'tls: this relay was started without TLS; start it with a certificate and key');
  const tls = checkTls(options)!;
  server.setSecureContext({cert: tls.cert, key: tls.key});
}

/** Reads `--tls-cert` and `--tls-key` files; a file that cannot be read is an error naming the flag. */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<RelayTlsOptions> {
  const read = async (flag: string, file: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new MoneysocketError('INVALID_ARGUMENT', `${flag}: cannot read "${file}" (${code})`);
    }
  };
  return {cert: await read('--tls-cert', certFile), key: await read('--tls-key', keyFile)};
}
