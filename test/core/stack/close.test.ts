/**
 * How a stack reads a socket that closes on it, checked with a scripted
 * socket (no relay): which error the application is told, and how often.
 */
import {expect} from 'chai';
import {createBeacon, encodeBeacon} from '../../../src/core/beacon.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import type {SocketLike} from '../../../src/core/stack/socket.js';

/** A socket that opens (or not) and then closes with a given code, as scripted. */
function scriptedSocket(script: {open: boolean; closeCode: number}): SocketLike {
  const socket: SocketLike = {
    binaryType: 'blob',
    readyState: 0,
    send: () => undefined,
    close: () => undefined,
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  setTimeout(() => {
    if (script.open) {
      (socket as {readyState: number}).readyState = 1;
      socket.onopen?.({});
    }
    setTimeout(() => {
      (socket as {readyState: number}).readyState = 3;
      socket.onclose?.({code: script.closeCode});
    }, 5);
  }, 5);
  return socket;
}

const beacon = encodeBeacon(createBeacon([{type: 'WebSocket', host: '127.0.0.1', port: 1, use_tls: false}]));

describe('stack: reading a close', () => {
  it('reads a close right after the rendezvous request as "rendezvous id in use"', async () => {
    const stack = new ConsumerStack({webSocket: () => scriptedSocket({open: true, closeCode: 1008})});
    const error = (await stack.connect(beacon).catch((e: unknown) => e)) as MoneysocketError;
    expect(error.code).to.equal('RENDEZVOUS_IN_USE');
  });

  for (const code of [1001, 1006]) {
    it(`does not read a ${code} close (relay going away, connection cut) as "in use"`, async () => {
      const stack = new ConsumerStack({webSocket: () => scriptedSocket({open: true, closeCode: code})});
      const error = (await stack.connect(beacon).catch((e: unknown) => e)) as MoneysocketError;
      expect(error.code).to.equal('DISCONNECTED');
    });
  }
});
