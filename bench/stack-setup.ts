/**
 * How the bench's stacks are set up. `node`: what a stack on Node is given
 * (README, "Stacks"): `nodeWebSocket`, whose later sends of a turn leave in
 * one write, and `nodeCryptoCbc`, OpenSSL's AES. `portable`: `ws`'s plain
 * client and the stacks' default cipher, noble's AES, as in a browser.
 */
import {WebSocket} from 'ws';
import type {FrameCipher} from '../src/core/frame.js';
import type {SocketFactory, SocketLike} from '../src/core/stack/socket.js';
import {nodeCryptoCbc} from '../src/node/cipher.js';
import {nodeWebSocket} from '../src/node/web-socket.js';

export type StackSetup = 'node' | 'portable';

/** The socket factory and cipher of a set-up, and the cipher's name for the figures. */
export function stackOptions(setup: StackSetup): {webSocket: SocketFactory; cipher: FrameCipher | undefined; cipherName: string} {
  if (setup === 'node') return {webSocket: nodeWebSocket, cipher: nodeCryptoCbc, cipherName: 'nodeCryptoCbc'};
  return {webSocket: (url) => new WebSocket(url) as unknown as SocketLike, cipher: undefined, cipherName: 'scheduledCbc'};
}
