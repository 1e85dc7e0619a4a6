// One Connection over a scripted socket (issue 12, mutation testing): what its
// hooks report, what it asks of the socket, and how its layers attach and detach.
import {expect} from 'chai';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {encodeFrame, nobleCbc} from '../../../src/core/frame.js';
import {buildNotification, MessageRegistry, type Message} from '../../../src/core/message-codec.js';
import {SharedSeed} from '../../../src/core/seed.js';
import {Connection, type ConnectionClosed} from '../../../src/core/stack/connection.js';
import type {Layer, LayerContext, LayerStatus} from '../../../src/core/stack/layer.js';
import type {SocketLike} from '../../../src/core/stack/socket.js';
import {until} from '../../support/relay.js';

const registry = new MessageRegistry([{name: 'NOTIFY_TEST', messageClass: 'NOTIFICATION', cryptLevel: 'AES'}]);
const seed = SharedSeed.generate();
const URL = 'ws://relay.invalid/';

/** A socket the test drives: it records what the connection asks and fires events on demand. */
class ScriptedSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: Uint8Array[] = [];
  closes: [number | undefined, string | undefined][] = [];
  /** What close() does besides recording: by default what a WebSocket does (CLOSING). */
  onCloseCall: () => void = () => {
    this.readyState = 2;
  };
  failSend: Error | undefined;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;

  send(data: Uint8Array): void {
    if (this.failSend) throw this.failSend;
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closes.push([code, reason]);
    this.onCloseCall();
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(undefined);
  }
}

/** A layer that records what the connection does with it. */
class RecordingLayer implements Layer {
  context: LayerContext | undefined;
  handled: Message[] = [];
  readonly log: string[];
  handleThrows = false;
  detachThrows = false;

  constructor(
    readonly name: string,
    log: string[],
  ) {
    this.log = log;
  }

  attach(context: LayerContext): void {
    this.context = context;
    this.log.push(`attach ${this.name}`);
  }

  handle(message: Message): boolean {
    if (this.handleThrows) throw new Error('handler broke');
    this.handled.push(message);
    return true;
  }

  detach(): void {
    this.log.push(`detach ${this.name}`);
    if (this.detachThrows) throw new Error('detach broke');
  }
}

interface Rig {
  connection: Connection;
  socket: ScriptedSocket;
  errors: MoneysocketError[];
  statuses: string[];
  closed: ConnectionClosed[];
  log: string[];
  layers: RecordingLayer[];
}

function rig(options: {layers?: string[]; openTimeoutMs?: number; factoryThrows?: Error} = {}): Rig {
  const socket = new ScriptedSocket();
  const log: string[] = [];
  const layers = (options.layers ?? []).map((name) => new RecordingLayer(name, log));
  const errors: MoneysocketError[] = [];
  const statuses: string[] = [];
  const closed: ConnectionClosed[] = [];
  const connection = new Connection({
    url: URL,
    sharedSeed: seed,
    registry,
    layers,
    socketFactory: () => {
      if (options.factoryThrows) throw options.factoryThrows;
      return socket;
    },
    maxFrameBytes: 64 * 1024,
    cipher: nobleCbc,
    openTimeoutMs: options.openTimeoutMs ?? 60_000,
    hooks: {
      layerStatus: (layer: string, status: LayerStatus) => statuses.push(`${layer} ${status}`),
      error: (error) => errors.push(error),
      opened: () => log.push('opened'),
      closed: (info) => closed.push(info),
    },
  });
  return {connection, socket, errors, statuses, closed, log, layers};
}

function testMessage(): Message {
  return buildNotification('NOTIFY_TEST', null, {});
}

function frameOf(message: Message): Uint8Array {
  const frame = encodeFrame(message, seed, {registry, cipher: nobleCbc});
  if (!frame.ok) throw frame.error;
  return frame.value;
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('Connection: opening', () => {
  // connection.ts:69 (the CONNECTION_FAILED text emptied) and :70 (the deferred #finish dropped).
  it('reports a socket factory that throws, naming the URL and why, then reports the close', async () => {
    const r = rig({factoryThrows: new Error('no sockets today')});
    r.connection.open();
    expect(r.errors.map((e) => e.code)).to.deep.equal(['CONNECTION_FAILED']);
    expect(r.errors[0]!.message).to.include(URL).and.include('no sockets today');
    await flush();
    expect(r.closed).to.have.length(1);
    expect(r.closed[0]).to.include({reason: undefined, opened: false, attached: 0});
  });

  // connection.ts:74 (the open timer's callback made a no-op).
  it('gives up a socket that never opens after openTimeoutMs, closing it as open-timeout', async () => {
    const r = rig({openTimeoutMs: 1});
    r.connection.open();
    await until(() => r.closed.length > 0, 2000, 'the open timeout');
    expect(r.closed[0]!.reason).to.equal('open-timeout');
    expect(r.socket.closes).to.deep.equal([[1000, 'open-timeout']]);
  });

  // connection.ts:75 (binaryType set to '' instead of 'arraybuffer').
  it('asks the socket for binary frames as ArrayBuffers', () => {
    const r = rig();
    r.connection.open();
    expect(r.socket.binaryType).to.equal('arraybuffer');
    r.connection.close('user');
  });

  // connection.ts:84 (isOpen made true, or && made ||): a connecting socket is not open.
  it('is not open while the socket connects, open once it opens, and not open after close', () => {
    const r = rig();
    r.connection.open();
    expect(r.connection.isOpen).to.equal(false);
    r.socket.open();
    expect(r.connection.isOpen).to.equal(true);
    r.connection.close('user');
    r.socket.readyState = 1; // a socket that reports OPEN still: the connection itself is done
    expect(r.connection.isOpen).to.equal(false);
  });
});

describe('Connection: sending', () => {
  // connection.ts:88 (the isOpen check dropped or emptied) and :89 (its message emptied).
  it('refuses to send before the socket opens, without touching the socket', () => {
    const r = rig();
    r.connection.open();
    const sent = r.connection.send(testMessage());
    expect(sent.ok).to.equal(false);
    if (!sent.ok) {
      expect(sent.error.code).to.equal('NOT_CONNECTED');
      expect(sent.error.message).to.equal('the connection is not open');
    }
    expect(r.socket.sent).to.have.length(0);
    r.connection.close('user');
  });

  // connection.ts:95 (the catch emptied: a failed send reported as sent) and :96 (its message emptied).
  it('reports a socket whose send throws as NOT_CONNECTED with the reason', () => {
    const r = rig();
    r.connection.open();
    r.socket.open();
    r.socket.failSend = new Error('buffer full');
    const sent = r.connection.send(testMessage());
    expect(sent.ok).to.equal(false);
    if (!sent.ok) {
      expect(sent.error.code).to.equal('NOT_CONNECTED');
      expect(sent.error.message).to.include('send failed').and.include('buffer full');
    }
    r.socket.failSend = undefined;
    expect(r.connection.send(testMessage()).ok).to.equal(true);
    expect(r.socket.sent).to.have.length(1);
  });
});

describe('Connection: closing', () => {
  // connection.ts:103 (??= made &&=: the reason never recorded).
  it('reports the reason it was closed for', () => {
    const r = rig();
    r.connection.open();
    r.socket.open();
    r.connection.close('user');
    expect(r.closed).to.have.length(1);
    expect(r.closed[0]).to.include({reason: 'user', opened: true});
    expect(r.socket.closes).to.deep.equal([[1000, 'user']]);
  });

  // connection.ts:102 (the done check dropped): a socket whose close() leaves it OPEN is not closed twice.
  it('asks the socket to close once, however often it is closed', () => {
    const r = rig();
    r.connection.open();
    r.socket.open();
    r.socket.onCloseCall = () => undefined;
    r.connection.close('user');
    r.connection.close('protocol-error');
    expect(r.socket.closes).to.deep.equal([[1000, 'user']]);
    expect(r.closed).to.have.length(1);
  });

  // connection.ts:105 (readyState > OPEN made false): a socket already closing is not asked again.
  it('does not ask a socket that is already closing to close', () => {
    const r = rig();
    r.connection.open();
    r.socket.open();
    r.socket.readyState = 3;
    r.connection.close('user');
    expect(r.socket.closes).to.deep.equal([]);
    expect(r.closed[0]).to.include({reason: 'user'});
  });

  // connection.ts:219 (closeText || undefined made closeText && undefined).
  it('passes on the close code and the text the other end gave', () => {
    const r = rig();
    r.connection.open();
    r.socket.open();
    r.socket.readyState = 3;
    r.socket.onclose?.({code: 4000, reason: 'relay going away'});
    expect(r.closed).to.have.length(1);
    expect(r.closed[0]).to.include({reason: undefined, code: 4000, closeText: 'relay going away'});
  });

  // connection.ts:119 (the done check of #onOpen dropped): an open event that comes after the close is ignored.
  it('ignores an open event delivered after it closed', () => {
    const r = rig({layers: ['BOTTOM']});
    r.connection.open();
    const lateOpen = r.socket.onopen!;
    r.connection.close('user');
    r.socket.readyState = 1;
    lateOpen(undefined);
    expect(r.log).to.deep.equal([]);
    expect(r.statuses).to.not.include('OUTGOING_WEBSOCKET NEXUS_ANNOUNCED');
    expect(r.connection.isOpen).to.equal(false);
  });
});

describe('Connection: layers', () => {
  // connection.ts:143 (announced || done dropped or weakened) and :144 (announced = false): a second announce is ignored.
  it('takes one announce per layer: the top layer announcing twice is reported once', () => {
    const r = rig({layers: ['BOTTOM', 'TOP']});
    r.connection.open();
    r.socket.open();
    r.layers[0]!.context!.announce();
    r.layers[1]!.context!.announce();
    r.layers[1]!.context!.announce();
    expect(r.statuses.filter((s) => s === 'TOP NEXUS_ANNOUNCED')).to.have.length(1);
    r.layers[0]!.context!.announce();
    expect(r.statuses.filter((s) => s === 'BOTTOM NEXUS_ANNOUNCED')).to.have.length(1);
    expect(r.log).to.deep.equal(['opened', 'attach BOTTOM', 'attach TOP']);
  });

  // connection.ts:143 (index !== attached - 1 made false): a layer that is no longer the top cannot attach another.
  it('lets only the top layer announce: a lower layer announcing late attaches nothing', () => {
    const r = rig({layers: ['A', 'B', 'C']});
    r.connection.open();
    r.socket.open();
    r.socket.onopen?.(undefined); // a socket that fires open twice attaches B over a silent A
    expect(r.log).to.deep.equal(['opened', 'attach A', 'opened', 'attach B']);
    r.layers[0]!.context!.announce();
    expect(r.log).to.not.include('attach C');
    expect(r.statuses).to.not.include('A NEXUS_ANNOUNCED');
  });

  // connection.ts:143 (the done check dropped): announcing after the close attaches nothing.
  it('ignores an announce after the connection closed', () => {
    const r = rig({layers: ['BOTTOM', 'TOP']});
    r.connection.open();
    r.socket.open();
    r.connection.close('user');
    r.layers[0]!.context!.announce();
    expect(r.log).to.not.include('attach TOP');
    expect(r.statuses).to.not.include('BOTTOM NEXUS_ANNOUNCED');
  });

  // connection.ts:209-211 (the detach loop emptied, stopped before layer 0, or the detach call dropped).
  it('detaches every attached layer, top first, and reports each revoked', () => {
    const r = rig({layers: ['BOTTOM', 'TOP']});
    r.connection.open();
    r.socket.open();
    r.layers[0]!.context!.announce();
    r.connection.close('user');
    expect(r.log).to.deep.equal(['opened', 'attach BOTTOM', 'attach TOP', 'detach TOP', 'detach BOTTOM']);
    expect(r.statuses.filter((s) => s.endsWith('REVOKED'))).to.deep.equal(['TOP NEXUS_REVOKED', 'BOTTOM NEXUS_REVOKED']);
    expect(r.closed[0]).to.include({attached: 2});
  });

  // connection.ts:212-213 (a throwing detach not reported, or reported with no text).
  it('reports a layer whose detach throws and still detaches the ones below', () => {
    const r = rig({layers: ['BOTTOM', 'TOP']});
    r.connection.open();
    r.socket.open();
    r.layers[0]!.context!.announce();
    r.layers[1]!.detachThrows = true;
    r.connection.close('user');
    expect(r.errors.map((e) => e.code)).to.deep.equal(['UNEXPECTED_MESSAGE']);
    expect(r.errors[0]!.message).to.include('TOP').and.include('detach broke');
    expect(r.log).to.include('detach BOTTOM');
  });
});

describe('Connection: receiving', () => {
  // connection.ts:161 (the text-frame error's message emptied).
  it('drops a text frame with an error saying frames are binary', () => {
    const r = rig({layers: ['BOTTOM']});
    r.connection.open();
    r.socket.open();
    r.socket.onmessage?.({data: 'hello'});
    expect(r.errors.map((e) => e.code)).to.deep.equal(['UNEXPECTED_MESSAGE']);
    expect(r.errors[0]!.message).to.include('binary');
    expect(r.layers[0]!.handled).to.have.length(0);
  });

  // connection.ts:183-184 (a throwing handler not reported as such, or reported with no text).
  it('reports a layer whose handler throws, naming the layer and the message', () => {
    const r = rig({layers: ['BOTTOM']});
    r.connection.open();
    r.socket.open();
    r.layers[0]!.handleThrows = true;
    r.socket.onmessage?.({data: frameOf(testMessage())});
    expect(r.errors.map((e) => e.code)).to.deep.equal(['UNEXPECTED_MESSAGE']);
    expect(r.errors[0]!.message).to.include('BOTTOM').and.include('NOTIFY_TEST').and.include('handler broke');
    r.layers[0]!.handleThrows = false;
    r.socket.onmessage?.({data: frameOf(testMessage())});
    expect(r.layers[0]!.handled).to.have.length(1);
  });
});
