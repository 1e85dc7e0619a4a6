/**
 * The little a stack needs from a WebSocket. Browsers' WebSocket and the `ws`
 * package's client both fit, so the core stays free of Node and DOM imports.
 */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: {data: unknown}) => void) | null;
  onclose: ((event: {code?: number; reason?: string; wasClean?: boolean}) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Makes a socket for a `ws://` or `wss://` URL. */
export type SocketFactory = (url: string) => SocketLike;

export const SOCKET_OPEN = 1;

/**
 * Uses the platform's WebSocket (browsers, Node 22+). On Node 20 pass the
 * `ws` package: `{webSocket: (url) => new WebSocket(url)}`.
 */
export function platformSocketFactory(): SocketFactory | undefined {
  const ctor = (globalThis as {WebSocket?: new (url: string) => SocketLike}).WebSocket;
  return ctor === undefined ? undefined : (url) => new ctor(url);
}

/** Binary payloads as bytes; text frames (which v0 drops) as undefined. */
export function payloadBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
