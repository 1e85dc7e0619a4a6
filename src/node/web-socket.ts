/**
 * The stacks' WebSocket on Node: the `ws` package's client, whose frames
 * sent in one turn of the event loop after the first leave in one write.
 * `new ConsumerStack({webSocket: nodeWebSocket, cipher: nodeCryptoCbc})`.
 *
 * Why: `ws` writes every frame with a system call of its own, which was a
 * fifth to a quarter of a stack's CPU when it sent many requests or answers
 * at once (see turn-writes.ts).
 */
import {WebSocket} from 'ws';
import type {SocketFactory} from '../core/stack/socket.js';
import {turnWriteCoalescer} from './turn-writes.js';

type SendData = Parameters<WebSocket['send']>[0];
type SendCallback = (error?: Error) => void;
type SendOptions = {mask?: boolean; binary?: boolean; compress?: boolean; fin?: boolean};

/** `ws`'s client WebSocket, coalescing the writes of each turn's later sends. */
export class CoalescingWebSocket extends WebSocket {
  #beforeSend: (() => void) | undefined;

  constructor(url: string) {
    super(url);
    // The upgrade response's socket is the one the WebSocket then writes to.
    this.once('upgrade', (response) => {
      this.#beforeSend = turnWriteCoalescer(response.socket);
    });
  }

  override send(data: SendData, cb?: SendCallback): void;
  override send(data: SendData, options: SendOptions, cb?: SendCallback): void;
  override send(data: SendData, optionsOrCb?: SendOptions | SendCallback, cb?: SendCallback): void {
    this.#beforeSend?.();
    if (typeof optionsOrCb === 'function' || optionsOrCb === undefined) super.send(data, optionsOrCb);
    else super.send(data, optionsOrCb, cb);
  }
}

/** Makes a `CoalescingWebSocket`: pass it as a stack's `webSocket` option on Node. */
export const nodeWebSocket: SocketFactory = (url) => new CoalescingWebSocket(url);
