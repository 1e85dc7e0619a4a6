/**
 * A hand-driven peer for hostile-input tests: it does the rendezvous itself
 * and then sends whatever bytes a test wants, as a broken or malicious
 * consumer or provider would.
 */
import {decodeFrame, encodeFrame} from '../../src/core/frame.js';
import type {Message} from '../../src/core/message-codec.js';
import {createRequest, isNotification} from '../../src/core/message-types.js';
import type {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import type {SocketLike} from '../../src/core/stack/socket.js';
import {payloadBytes} from '../../src/core/stack/socket.js';
import {testSocketFactory, until} from './relay.js';

export class RawPeer {
  readonly received: Message[] = [];
  closed = false;
  #socket: SocketLike | undefined;
  readonly #seed: SharedSeed;

  constructor(seed: SharedSeed) {
    this.#seed = seed;
  }

  /** Opens, sends REQUEST_RENDEZVOUS, and waits until it is at least registered. */
  async connect(url: string): Promise<void> {
    const socket = (await testSocketFactory())(url);
    this.#socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => {
      const bytes = payloadBytes(event.data);
      if (bytes === undefined) return;
      const decoded = decodeFrame(bytes, this.#seed);
      if (decoded.ok) this.received.push(decoded.value);
    };
    socket.onclose = () => {
      this.closed = true;
    };
    await until(() => socket.readyState === 1 || this.closed, 5000, 'raw peer socket open');
    this.send(createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rendezvousIdOf(this.#seed)}));
    await until(() => this.received.length > 0 || this.closed, 5000, 'rendezvous answer');
  }

  get paired(): boolean {
    return this.received.some((m) => isNotification(m, 'NOTIFY_RENDEZVOUS'));
  }

  send(message: Message): void {
    const frame = encodeFrame(message, this.#seed);
    if (!frame.ok) throw frame.error;
    this.sendBytes(frame.value);
  }

  sendBytes(bytes: Uint8Array): void {
    this.#socket!.send(bytes);
  }

  sendText(text: string): void {
    (this.#socket as unknown as {send(data: string): void}).send(text);
  }

  /** Waits for the next message matching `match` that arrived after `from`. */
  async next(match: (m: Message) => boolean, from = 0, timeoutMs = 5000): Promise<Message> {
    let found: Message | undefined;
    await until(() => (found = this.received.slice(from).find(match)) !== undefined, timeoutMs, 'a message from the peer');
    return found!;
  }

  close(): void {
    this.#socket?.close();
  }
}
