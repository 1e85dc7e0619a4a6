// Survivors of the mutation run over stack.ts, lines 1-257 (issue 12): connect(),
// disconnect(), reconnectNow(), setState() and the backoff's attempt counter.
// Each test fails with the mutants it names and passes without them. Everything
// runs over the in-memory relay, under a fake clock where timing matters.
import {expect} from 'chai';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {ConsumerStack} from '../../../src/core/stack/consumer-stack.js';
import {ProviderStack} from '../../../src/core/stack/provider-stack.js';
import type {StackState} from '../../../src/core/stack/stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {MemoryRelay, MemorySocket} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {beaconFor, states} from './fixtures.js';
import {settle, settleUntil, track, withFakeClock} from './memory-world.js';

type Clock = Parameters<Parameters<typeof withFakeClock>[0]>[0];

const BEACON = beaconFor('ws://127.0.0.1:1');
const OTHER_BEACON = beaconFor('ws://127.0.0.1:2');
const info = {payer: true, payee: true, wad: bitcoinWad(1000)};

/** A provider whose sockets the test can cut, and whose dials it can send to a relay that is down. */
function cuttableProvider(relay: MemoryRelay, backoff = {initialMs: 1000, maxMs: 8000}) {
  const down = new MemoryRelay();
  down.down = true;
  const sockets: MemorySocket[] = [];
  const control = {offline: false, sockets, dials: () => sockets.length, cut: () => sockets.at(-1)!.drop(1006)};
  let id = 1000;
  const provider = new ProviderStack({
    webSocket: () => {
      const socket = new MemorySocket(control.offline ? down : relay, id++);
      sockets.push(socket);
      return socket;
    },
    providerInfo: info,
    backoff,
  });
  return {provider, control};
}

/** Runs `action` from inside the stack's first 'reconnecting' state event. */
function onFirstReconnecting(stack: ConsumerStack, action: () => void): void {
  const off = stack.on('state', ({state}) => {
    if (state !== 'reconnecting') return;
    off();
    action();
  });
}

async function tickUntil(clock: Clock, check: () => boolean, what: string, stepMs = 100, limitMs = 60_000): Promise<void> {
  for (let spent = 0; !check(); spent += stepMs) {
    if (spent >= limitMs) throw new Error(`timed out waiting for ${what}`);
    await clock.tickAsync(stepMs);
  }
}

describe('stack.ts survivors (connect, reconnectNow, attempts), killed', function () {
  this.timeout(10000);
  const stacks: {disconnect(): Promise<void>}[] = [];
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.disconnect();
  });

  async function connectedPair(relay = new MemoryRelay()) {
    const provider = new ProviderStack({webSocket: relay.socketFactory, providerInfo: info, backoff: {initialMs: 50, maxMs: 500}});
    const consumer = new ConsumerStack({webSocket: relay.socketFactory, backoff: {initialMs: 50, maxMs: 500}});
    stacks.push(consumer, provider);
    await provider.connect(BEACON);
    await consumer.connect(BEACON);
    // Frames travel on microtasks: this also works under a fake clock, where `until` would wait forever.
    await settleUntil(() => provider.state === 'connected' && consumer.state === 'connected', 'the handshake');
    return {relay, provider, consumer};
  }

  // stack.ts:124 (block → {}), :125 (`beacon !== undefined && sameBeacon(...)` → true), :126 (message → "")
  it('connect() with another beacon while connected is refused, and the stack keeps its beacon and connection', async () => {
    const {consumer} = await connectedPair();
    const seen = states(consumer);
    const error = await consumer.connect(OTHER_BEACON).then(() => undefined, (e: MoneysocketError) => e);
    expect(error?.code).to.equal('INVALID_ARGUMENT');
    expect(error?.message).to.include('already connected with another beacon: disconnect() first');
    expect(consumer.beaconString).to.equal(BEACON);
    await settle();
    expect(consumer.state).to.equal('connected');
    expect(seen).to.deep.equal([]);
  });

  // stack.ts:125 (`... && sameBeacon(...)` → false: the same beacon is refused), :200 (`isReady(state)` → false: never resolves)
  it('connect() with the same beacon while connected resolves at once, without a new connection', async () => {
    const {relay, consumer} = await connectedPair();
    const sockets = relay.sockets.size;
    const again = track(consumer.connect(BEACON));
    await settle();
    expect(again).to.deep.equal({settled: true, value: undefined});
    expect(relay.sockets.size).to.equal(sockets);
  });

  // stack.ts:125 (`... && sameBeacon(...)` → false), while the first connect() is still on its way
  it('connect() with the same beacon while connecting resolves with the first one', async () => {
    const relay = new MemoryRelay();
    const provider = new ProviderStack({webSocket: relay.socketFactory, providerInfo: info});
    const consumer = new ConsumerStack({webSocket: relay.socketFactory});
    stacks.push(consumer, provider);
    await provider.connect(BEACON);
    const first = track(consumer.connect(BEACON));
    const second = track(consumer.connect(BEACON));
    await until(() => first.settled && second.settled, 5000, 'both connects');
    expect(second).to.deep.equal({settled: true, value: undefined});
    expect(consumer.state).to.equal('connected');
  });

  // stack.ts:130 (`socketFactory === undefined` → false), :130 (block → {}), :131 (message → "")
  it('connect() without any WebSocket to use is refused with INVALID_ARGUMENT naming the webSocket option', async () => {
    const global = globalThis as {WebSocket?: unknown};
    const saved = Object.getOwnPropertyDescriptor(global, 'WebSocket');
    Object.defineProperty(global, 'WebSocket', {value: undefined, configurable: true, writable: true});
    let consumer: ConsumerStack;
    try {
      consumer = new ConsumerStack();
    } finally {
      if (saved === undefined) delete global.WebSocket;
      else Object.defineProperty(global, 'WebSocket', saved);
    }
    stacks.push(consumer);
    const seen = states(consumer);
    const error = await Promise.resolve()
      .then(() => consumer.connect(BEACON))
      .then(() => undefined, (e: MoneysocketError) => e);
    expect(error?.code).to.equal('INVALID_ARGUMENT');
    expect(error?.message).to.include('no WebSocket available: pass the `webSocket` option');
    expect(consumer.state).to.equal('disconnected');
    expect(consumer.beacon).to.equal(undefined);
    expect(seen).to.deep.equal([]);
  });

  // stack.ts:155 (message → "")
  it('disconnect() before the connection is ready rejects connect() with DISCONNECTED, saying why', async () => {
    const relay = new MemoryRelay();
    const consumer = new ConsumerStack({webSocket: relay.socketFactory});
    stacks.push(consumer);
    const pending = consumer.connect(BEACON).then(() => undefined, (e: MoneysocketError) => e);
    await consumer.disconnect();
    const error = await pending;
    expect(error?.code).to.equal('DISCONNECTED');
    expect(error?.message).to.equal('disconnect() was called before the connection was ready');
  });

  // stack.ts:180 (`state === previous` → false: a state event for a state the stack is already in)
  it('disconnect() of a stack that is already disconnected emits no state event', async () => {
    const consumer = new ConsumerStack({webSocket: new MemoryRelay().socketFactory});
    const events: {state: StackState; previous: StackState}[] = [];
    consumer.on('state', (event) => events.push(event));
    await consumer.disconnect();
    await consumer.disconnect();
    expect(events).to.deep.equal([]);
  });

  describe('reconnectNow()', () => {
    // stack.ts:167 (condition → false, `(timer || beacon) && connection`, `timer && beacon`... → `connection`), :167 (`return false` → true)
    it('does nothing and returns false when disconnected or connected', async () => {
      const idle = new ConsumerStack({webSocket: new MemoryRelay().socketFactory});
      const seen = states(idle);
      expect(idle.reconnectNow()).to.equal(false);
      expect(seen).to.deep.equal([]);
      const {relay, consumer} = await connectedPair();
      const sockets = relay.sockets.size;
      expect(consumer.reconnectNow()).to.equal(false);
      await settle();
      expect(consumer.state).to.equal('connected');
      expect(relay.sockets.size).to.equal(sockets);
    });

    // stack.ts:167 (condition → true, `timer !== undefined`, `beacon !== undefined`, `connection === undefined`), :171 (`return true` → false)
    it('dials at once while waiting out the backoff, and returns true', () =>
      withFakeClock(async () => {
        const {relay, consumer} = await connectedPair();
        relay.cutAll();
        await settle();
        expect(consumer.state).to.equal('reconnecting');
        expect(consumer.reconnectNow()).to.equal(true);
        expect(consumer.state).to.equal('connecting');
        expect(consumer.reconnectNow()).to.equal(false);
        await settle(200);
        expect(consumer.state).to.equal('waiting-for-peer'); // the provider's retry is still to come
      }));

    // stack.ts:167 (`reconnectTimer === undefined` → false, `timer === undefined && beacon === undefined`): no timer yet, no connection
    it('returns false when called while the stack is still handling the close (no retry scheduled yet)', async () => {
      const {relay, consumer} = await connectedPair();
      const answers: boolean[] = [];
      consumer.on('error', () => answers.push(consumer.reconnectNow()));
      relay.cutAll();
      await until(() => answers.length > 0, 5000, 'the close error');
      expect(answers).to.deep.equal([false]);
    });

    // The retry timer is set before 'reconnecting' is announced: a listener that knows the network is back can dial at once.
    it('dials at once when called from inside the reconnecting state event', () =>
      withFakeClock(async () => {
        const {relay, consumer} = await connectedPair();
        const answers: boolean[] = [];
        onFirstReconnecting(consumer, () => {
          answers.push(consumer.reconnectNow());
        });
        relay.cutAll();
        await settle();
        expect(answers).to.deep.equal([true]);
        expect(consumer.state).to.equal('waiting-for-peer'); // dialled without waiting out the backoff
      }));

    // A disconnect() from inside the reconnecting state event clears the retry timer: nothing is left to dial.
    it('returns false after disconnect() from inside the reconnecting state event', () =>
      withFakeClock(async () => {
        const {relay, consumer} = await connectedPair();
        onFirstReconnecting(consumer, () => {
          void consumer.disconnect();
        });
        relay.cutAll();
        await settle();
        expect(consumer.state).to.equal('disconnected');
        expect(consumer.reconnectNow()).to.equal(false);
      }));

    // A disconnect() and connect() from inside the reconnecting state event replace the retry: nothing is left to dial at once.
    it('returns false when a connection was opened from inside the reconnecting state event', () =>
      withFakeClock(async () => {
        const {relay, consumer} = await connectedPair();
        onFirstReconnecting(consumer, () => {
          void consumer.disconnect();
          void consumer.connect(BEACON).catch(() => undefined);
        });
        relay.cutAll();
        await settle();
        expect(consumer.state).to.not.equal('disconnected');
        const sockets = relay.sockets.size;
        expect(consumer.reconnectNow()).to.equal(false);
        await settle();
        expect(relay.sockets.size).to.equal(sockets);
      }));
  });

  describe('the backoff attempt counter', () => {
    // stack.ts:182 (condition → true, `state !== 'connected'`): the counter reset at every state, retries never slowed down
    // stack.ts:182 (condition → false, `state === 'waiting-for-peer'` → false): not reset by waiting-for-peer
    it('backs off while the relay is down, and retries quickly again after waiting for a peer', () =>
      withFakeClock(async (clock) => {
        const {provider, control} = cuttableProvider(new MemoryRelay());
        stacks.push(provider);
        await provider.connect(BEACON);
        expect(provider.state).to.equal('waiting-for-peer');
        control.offline = true;
        control.cut();
        await clock.tickAsync(60); // the first retry is quick
        expect(control.dials()).to.equal(2);
        await clock.tickAsync(2000);
        // Retries after 0.2-2 s, then 0.4-4 s, then 0.8-8 s: three at most in 2 s (1.4 s when each draws its
        // shortest delay, about one run in a thousand), not one every 50 ms.
        expect(control.dials()).to.be.within(2, 5);
        await clock.tickAsync(2000);
        control.offline = false;
        await tickUntil(clock, () => provider.state === 'waiting-for-peer', 'the relay back');
        const dials = control.dials();
        control.cut();
        await clock.tickAsync(60);
        expect(control.dials()).to.equal(dials + 1);
      }));

    // stack.ts:182 (condition → false, `state === 'connected'` → false): not reset by connected (reached without waiting-for-peer)
    it('retries quickly after a session that came back straight to connected', () =>
      withFakeClock(async (clock) => {
        const relay = new MemoryRelay();
        const {provider, control} = cuttableProvider(relay);
        const consumer = new ConsumerStack({webSocket: relay.socketFactory, backoff: {initialMs: 50, maxMs: 100}});
        stacks.push(consumer, provider);
        await provider.connect(BEACON);
        await consumer.connect(BEACON);
        control.offline = true;
        control.cut();
        await clock.tickAsync(4000);
        expect(consumer.state).to.equal('waiting-for-peer');
        const seen = states(provider);
        control.offline = false;
        await tickUntil(clock, () => provider.state === 'connected', 'the provider back');
        expect(seen).to.not.include('waiting-for-peer');
        const dials = control.dials();
        control.cut();
        await clock.tickAsync(60);
        expect(control.dials()).to.equal(dials + 1);
      }));
  });
});
