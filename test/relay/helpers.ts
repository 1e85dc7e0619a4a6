/**
 * Shared by the relay tests: clients that queue what they receive, relays
 * started on ephemeral ports with their log captured, and frame helpers.
 * Every wait is bounded (WAIT_MS unless told).
 */
import {expect} from 'chai';
import {connect} from 'node:net';
import {WebSocket} from 'ws';
import {randomBytes, utf8DecodeLenient} from '../../src/core/bytes.js';
import {encodeFrame} from '../../src/core/frame.js';
import type {NotificationEnvelope} from '../../src/core/message-codec.js';
import {createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {startRelay, type RelayHandle, type RelayOptions} from '../../src/relay/index.js';
import {hex} from '../vectors.js';

export const WAIT_MS = 3000;

/** Rejects after `ms` so no test can hang on a frame or close that never comes. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails after `ms`, and stops polling then too. */
export async function until(check: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await delay(10);
  }
}

export interface Received {
  data: Buffer;
  binary: boolean;
}

/** A test client: queues what it receives and records how it was closed. */
export class Client {
  readonly #queue: Received[] = [];
  readonly #waiters: Array<(m: Received) => void> = [];
  readonly closed: Promise<{code: number; reason: string}>;

  private constructor(readonly ws: WebSocket) {
    ws.on('error', () => {}); // failures show up as closes or timeouts
    ws.on('message', (data: Buffer, binary: boolean) => {
      const message = {data, binary};
      const waiter = this.#waiters.shift();
      if (waiter) waiter(message);
      else this.#queue.push(message);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({code, reason: reason.toString()})));
  }

  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const client = new Client(ws);
    clients.push(client);
    await within(new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    }), `connection to ${url}`);
    return client;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Uint8Array | string): void {
    this.ws.send(frame, {binary: typeof frame !== 'string'});
  }

  next(what = 'a frame'): Promise<Received> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return within(new Promise((resolve) => this.#waiters.push(resolve)), what);
  }

  async notification(name: string): Promise<NotificationEnvelope> {
    const {data, binary} = await this.next(name);
    expect(binary, 'relay frames are binary').to.equal(true);
    const message = JSON.parse(utf8DecodeLenient(data)) as NotificationEnvelope;
    expect(message.notification_name).to.equal(name);
    return message;
  }

  closedWith(what = 'the relay to close the connection'): Promise<{code: number; reason: string}> {
    return within(this.closed, what);
  }

  pending(): number {
    return this.#queue.length;
  }
}

let clients: Client[] = [];
let relays: RelayHandle[] = [];

/** Cuts every client a test opened. */
export function terminateClients(): void {
  for (const c of clients) c.ws.terminate();
  clients = [];
}

/** Closes every relay a test started, and every client. */
export async function cleanUp(): Promise<void> {
  terminateClients();
  await Promise.all(relays.map((r) => within(r.close(), 'relay.close()')));
  relays = [];
}

export async function relay(options: RelayOptions = {}): Promise<{relay: RelayHandle; logs: Array<Record<string, unknown>>}> {
  const logs: Array<Record<string, unknown>> = [];
  const handle = await startRelay({host: '127.0.0.1', port: 0, log: (e) => logs.push(e as Record<string, unknown>), ...options});
  relays.push(handle);
  return {relay: handle, logs};
}

export function rendezvousFrame(rid: string): {frame: Uint8Array; uuid: string} {
  const request = createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rid});
  const frame = encodeFrame(request, null);
  if (!frame.ok) throw frame.error;
  return {frame: frame.value, uuid: request.request_uuid};
}

export function ciphertext(seed: SharedSeed): Uint8Array {
  const frame = encodeFrame(createRequest('REQUEST_PING', {}), seed);
  if (!frame.ok) throw frame.error;
  return frame.value;
}

/** Two clients paired on a fresh rendezvous id; the first waited. */
export async function pair(url: string, rid = rendezvousIdOf(SharedSeed.generate())): Promise<{a: Client; b: Client; rid: string}> {
  const a = await Client.open(url);
  const b = await Client.open(url);
  a.send(rendezvousFrame(rid).frame);
  await a.notification('NOTIFY_RENDEZVOUS_NOT_READY');
  b.send(rendezvousFrame(rid).frame);
  await b.notification('NOTIFY_RENDEZVOUS');
  await a.notification('NOTIFY_RENDEZVOUS');
  return {a, b, rid};
}

/** Random bytes that can never parse as JSON (0xff is not valid UTF-8 at the start), so the relay sees ciphertext. */
export function opaque(size: number): Uint8Array {
  const bytes = randomBytes(size);
  if (size > 0) bytes[0] = 0xff;
  return bytes;
}

/** How many frames the relay's 'dropped' lines stand for (each line carries a count). */
export function droppedFrames(logs: Array<Record<string, unknown>>): number {
  return logs.filter((e) => e['event'] === 'dropped').reduce((sum, e) => sum + (e['count'] as number), 0);
}

export async function expectForwarded(from: Client, to: Client, frame: Uint8Array): Promise<void> {
  from.send(frame);
  const got = await to.next('a forwarded frame');
  expect(got.binary).to.equal(true);
  expect(hex(got.data)).to.equal(hex(frame));
}

/** Sends raw bytes on a plain TCP connection and waits until the relay hangs up. */
export async function rawSocket(port: number, text: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(text);
  socket.resume();
  await within(new Promise((resolve) => socket.on('close', resolve)), 'the relay to drop a non-HTTP client');
}
