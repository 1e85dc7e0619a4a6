/**
 * An event handler property a stack assigns. Declared as a method's type on
 * purpose: TypeScript checks method parameters bivariantly, so a socket whose
 * handlers take a richer event (the DOM's `(this: WebSocket, ev: MessageEvent)
 * => any`, `ws`'s `(event: WebSocket.MessageEvent) => void`) still fits under
 * `strict`, while the stack's own handlers read only the fields named here.
 */
export type SocketHandler<E> = {handle(event: E): void}['handle'];

/**
 * The little a stack needs from a WebSocket. Browsers' WebSocket and the `ws`
 * package's client both fit, with no cast, so the core stays free of Node and
 * DOM imports.
 */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: SocketHandler<unknown> | null;
  onmessage: SocketHandler<{data: unknown}> | null;
  onclose: SocketHandler<{code?: number; reason?: string; wasClean?: boolean}> | null;
  onerror: SocketHandler<unknown> | null;
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
