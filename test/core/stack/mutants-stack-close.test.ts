// Survivors of the mutation run over stack.ts, lines 258 on (issue 12): how a
// stack reads a connection's end, retries, switches location and schedules
// its next dial. Each test fails with the mutants it names and passes without
// them. A minimal Stack (its layers the test's own) runs over scripted
// sockets under a fake clock: no relay, no network, no real time.
import {expect} from 'chai';
import {createBeacon, encodeBeacon} from '../../../src/core/beacon.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import type {Layer, LayerContext} from '../../../src/core/stack/layer.js';
import {loadEngine} from '../../../src/core/stack/lazy-engine.js';
import type {SocketLike} from '../../../src/core/stack/socket.js';
import {Stack, type LocationSwitchReason, type StackEvents, type StackOptions, type StackState} from '../../../src/core/stack/stack.js';
import {settle, track, withFakeClock} from './memory-world.js';

/** A socket the test opens, feeds and closes by hand. */
class ScriptedSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(): void {}
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** Any binary frame: the connection counts it as received (it does not decode). */
  frame(): void {
    this.onmessage?.({data: new Uint8Array([1, 2, 3]).buffer});
  }
  drop(code: number | undefined, reason?: string): void {
    this.readyState = 3;
    this.onclose?.({code, reason});
  }
}

/** The test's layer: it keeps its context, so the test can close the connection with a reason. */
class ProbeLayer implements Layer {
  readonly name = 'PROBE';
  context: LayerContext | undefined;
  constructor(readonly announceAtOnce = false) {}
  attach(context: LayerContext): void {
    this.context = context;
    if (this.announceAtOnce) context.announce();
  }
  handle(): boolean {
    return true;
  }
  detach(): void {}
}

/** The shared stack with nothing on top: ready when 'connected', which the test enters by hand. */
class TestStack extends Stack<StackEvents> {
  /** How many times a session was ended. */
  ended = 0;
  readonly #layers: Layer[];
  constructor(options: StackOptions, layers: Layer[]) {
    super(options);
    this.#layers = layers;
  }
  protected builtInLayers(): Layer[] {
    return this.#layers;
  }
  protected isReady(state: StackState): boolean {
    return state === 'connected';
  }
  protected sessionEnded(): void {
    this.ended++;
  }
  enter(state: StackState): void {
    this.setState(state);
  }
}

// Delays that cannot overlap whatever the jitter: the first retry 50 ms exactly,
// attempt 1 in [10 s, 100 s], attempt 2 in [1000 s, 10000 s]; attempt 0 or below
// read by backoffDelay in [0.1 s, 1 s].
const BACKOFF = {initialMs: 1000, factor: 100, maxMs: 10_000_000};

function beaconOf(locations: number): string {
  const list = Array.from({length: locations}, (_, i) => ({type: 'WebSocket' as const, host: `relay${i}.example`, port: 443, use_tls: true}));
  return encodeBeacon(createBeacon(list));
}

const live: TestStack[] = [];

function rig(options: {locations?: number; layers?: Layer[]; backoff?: Partial<typeof BACKOFF>} = {}) {
  const sockets: ScriptedSocket[] = [];
  const probe = new ProbeLayer();
  const stack = new TestStack({
    webSocket: (url) => {
      const socket = new ScriptedSocket(url);
      sockets.push(socket);
      return socket;
    },
    backoff: {...BACKOFF, ...options.backoff},
    openTimeoutMs: 2_000_000_000,
  }, options.layers ?? [probe]);
  live.push(stack);
  const states: StackState[] = [];
  const errors: MoneysocketError[] = [];
  const switches: {url: string; previous: string; reason: LocationSwitchReason}[] = [];
  stack.on('state', ({state}) => states.push(state));
  stack.on('error', ({error}) => errors.push(error));
  stack.on('location', (s) => switches.push(s));
  const last = () => sockets[sockets.length - 1]!;
  return {stack, sockets, probe, states, errors, switches, last, beacon: beaconOf(options.locations ?? 1)};
}

type Rig = ReturnType<typeof rig>;

/** Connects, opens the socket and enters 'connected'. */
async function established(r: Rig): Promise<void> {
  const ready = r.stack.connect(r.beacon);
  r.last().open();
  r.stack.enter('connected');
  await ready;
}

const codes = (errors: MoneysocketError[]) => errors.map((e) => e.code);

describe('stack.ts survivors (lines 258 on), killed', () => {
  before(async () => {
    await loadEngine();
  });
  afterEach(async () => {
    for (const stack of live.splice(0)) await stack.disconnect();
  });

  // stack.ts:348 (sameBeacon → true / false / `!==`)
  it('connect() again with the same beacon waits for the same session; with another beacon it is refused', async () => {
    const r = rig();
    const first = track(r.stack.connect(r.beacon));
    const again = track(r.stack.connect(r.beacon));
    const other = track(r.stack.connect(beaconOf(1)));
    await settle();
    expect(again.settled).to.equal(false);
    expect(other.error?.code).to.equal('INVALID_ARGUMENT');
    r.last().open();
    r.stack.enter('connected');
    await settle();
    expect([first.settled, first.error, again.settled, again.error]).to.deep.equal([true, undefined, true, undefined]);
    expect(r.sockets.length).to.equal(1);
    await r.stack.disconnect();
  });

  // stack.ts:261 (`this.#beacon === undefined` → false): a user's disconnect does not schedule a reconnect.
  it('disconnect() goes straight to disconnected, never through reconnecting', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      await established(r);
      r.states.length = 0;
      await r.stack.disconnect();
      await clock.tickAsync(1_000_000);
      expect(r.states).to.deep.equal(['disconnected']);
      expect(r.sockets.length).to.equal(1);
    });
  });

  // stack.ts:258 (`this.#connection !== connection` → false): the end of a connection the stack
  // already let go of (an application restarted the stack while it was closing) touches nothing:
  // disconnect() ended its session once, at once, and the late close ends nothing more.
  it('a connection let go of while it closed does not end the session that replaced it', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      await established(r);
      let restarted: Promise<void> | undefined;
      r.stack.on('layer', ({status}) => {
        if (status !== 'NEXUS_REVOKED' || restarted !== undefined) return;
        void r.stack.disconnect();
        restarted = r.stack.connect(r.beacon);
      });
      r.last().drop(1006);
      const second = track(restarted!);
      expect(r.stack.ended, 'ended by disconnect(), before the close came back').to.equal(1);
      await clock.tickAsync(1_000_000);
      expect(r.stack.ended).to.equal(1);
      expect(second.settled).to.equal(false);
      expect(r.stack.state).to.equal('connecting');
      expect(r.sockets.length).to.equal(2);
      r.last().open();
      r.stack.enter('connected');
      await settle();
      expect([second.settled, second.error]).to.deep.equal([true, undefined]);
      expect(r.stack.ended, 'the new session goes on').to.equal(1);
      await r.stack.disconnect();
    });
  });

  // stack.ts:156 (the guard of disconnect()'s own session end, or either half → true, `&&` → `||`): a close
  // that close('user') finishes at once ends the session there, once; with no connection nothing ends.
  it('disconnect() ends a session once, and ends none when there is no connection', async () => {
    const idle = rig();
    await idle.stack.disconnect();
    expect(idle.stack.ended).to.equal(0);
    const r = rig();
    await established(r);
    await r.stack.disconnect();
    expect(r.stack.ended).to.equal(1);
    await r.stack.disconnect();
    expect(r.stack.ended).to.equal(1);
  });

  // stack.ts:267 (`=== 'RENDEZVOUS_IN_USE'` → false, `<=` → `<` and `>`), :282 (`!stale` → true), :340 (the message → "")
  it('after a session, "in use" closes are retried quietly three times; the fourth is reported', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      await established(r);
      const seen: string[][] = [];
      for (let round = 1; round <= 4; round++) {
        r.last().drop(1008);
        seen.push(codes(r.errors));
        await clock.tickAsync(10_000_000);
        r.last().open();
      }
      expect(seen).to.deep.equal([[], [], [], ['RENDEZVOUS_IN_USE']]);
      expect(r.errors[0]!.message).to.equal('the relay closed the connection at once: this beacon is already in use by two other parties');
      expect(r.sockets.length).to.equal(5);
    });
  });

  // stack.ts:343 (`state === 'waiting-for-peer'` → false)
  it('a close while waiting for the peer is no failure: connect() goes on waiting and the stack dials again', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      const ready = track(r.stack.connect(r.beacon));
      r.last().open();
      r.stack.enter('waiting-for-peer');
      r.last().frame();
      r.errors.length = 0;
      r.last().drop(1000);
      await clock.tickAsync(50);
      expect(ready.settled).to.equal(false);
      expect(r.errors).to.deep.equal([]);
      expect(r.sockets.length).to.equal(2);
      expect(r.states.slice(-2)).to.deep.equal(['reconnecting', 'connecting']);
    });
  });

  /** Advances the clock to just before `from` and then to `to` (ms from now): the socket count at both. */
  async function dialsBetween(clock: {tickAsync(ms: number): Promise<number>}, r: Rig, from: number, to: number): Promise<[number, number]> {
    await clock.tickAsync(from - 1);
    const before = r.sockets.length;
    await clock.tickAsync(to - from + 1);
    return [before, r.sockets.length];
  }

  // stack.ts:287 (`reason === 'peer-left'` → true, `!==`; `attempt++` → `attempt--`), :301 (`attempt === 0` → true / false /
  // `!==`; Math.min → Math.max)
  it('retries after lost sessions back off: 50 ms first, then attempt 1, then attempt 2', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      await established(r);
      r.last().drop(1006);
      expect(await dialsBetween(clock, r, 50, 50)).to.deep.equal([1, 2]);
      r.last().open();
      r.last().drop(1006);
      expect(await dialsBetween(clock, r, 10_000, 100_000)).to.deep.equal([2, 3]);
      r.last().open();
      r.last().drop(1006);
      expect(await dialsBetween(clock, r, 1_000_000, 10_000_000)).to.deep.equal([3, 4]);
      expect(codes(r.errors)).to.deep.equal(['DISCONNECTED']);
      expect(r.errors[0]!.message).to.equal('the connection was lost; reconnecting');
    });
  });

  // stack.ts:287 (`reason === 'peer-left'` → false): a peer that left is dialled again quickly, whatever the count.
  it('a peer that left is dialled again after 50 ms even after a failed retry', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      await established(r);
      r.last().drop(1006);
      await clock.tickAsync(50);
      r.last().open();
      r.probe.context!.close('peer-left');
      expect(await dialsBetween(clock, r, 50, 50)).to.deep.equal([2, 3]);
      expect(codes(r.errors)).to.deep.equal(['DISCONNECTED']);
    });
  });

  // stack.ts:272 (`attempt++` → `attempt--` when switching away from an unreachable location), :328 (the message → "")
  it('unreachable locations are tried in turn with growing delays; connect() fails once all were', async () => {
    await withFakeClock(async (clock) => {
      const r = rig({locations: 3});
      const ready = track(r.stack.connect(r.beacon));
      r.last().drop(1006);
      expect(await dialsBetween(clock, r, 50, 50)).to.deep.equal([1, 2]);
      r.last().drop(1006);
      expect(await dialsBetween(clock, r, 10_000, 100_000)).to.deep.equal([2, 3]);
      expect(r.switches.map((s) => s.reason)).to.deep.equal(['unreachable', 'unreachable']);
      r.last().drop(1006);
      await settle();
      expect(ready.error?.code).to.equal('CONNECTION_FAILED');
      expect(ready.error?.message).to.equal('could not reach the relay (is the address right, and is it running?)');
    });
  });

  // stack.ts:304 (the timer's condition → true, `&&` → `||`, `this.#connection === undefined` → true)
  it('a stack the application restarts while it waits to reconnect does not dial a second time', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      await established(r);
      let restarted = false;
      r.stack.on('state', ({state}) => {
        if (state !== 'reconnecting' || restarted) return;
        restarted = true;
        void r.stack.disconnect();
        void r.stack.connect(r.beacon).catch(() => undefined);
      });
      r.last().drop(1006);
      await clock.tickAsync(10_000_000);
      expect(r.sockets.length).to.equal(2);
      expect(r.stack.state).to.equal('connecting');
    });
  });

  /** An established stack on a two-location beacon, its socket having received a frame. */
  async function talking(layers?: Layer[]): Promise<Rig> {
    const r = rig({locations: 2, ...(layers === undefined ? {} : {layers})});
    await established(r);
    r.last().frame();
    r.errors.length = 0;
    return r;
  }

  // stack.ts:320 (`=== 'liveness-timeout'` → false), :330 (`|| === 'liveness-timeout'` → false, the block → {}), :331 (the texts)
  it('a peer gone silent moves to the next location as unresponsive, reported as a timeout', async () => {
    const r = await talking();
    r.probe.context!.close('liveness-timeout');
    expect(r.switches.map((s) => s.reason)).to.deep.equal(['unresponsive']);
    expect(r.errors.map((e) => [e.code, e.message])).to.deep.equal([['REQUEST_TIMEOUT', 'nothing heard from the peer for too long']]);
  });

  // stack.ts:321 (`reason === undefined` → true, the `&&` → `||`), :330 (`=== 'handshake-timeout'` → false), :331 (the texts)
  it('a handshake timeout stays on the same location and is reported as such', async () => {
    const r = await talking();
    r.probe.context!.close('handshake-timeout');
    expect(r.switches).to.deep.equal([]);
    expect(r.errors.map((e) => [e.code, e.message])).to.deep.equal([['REQUEST_TIMEOUT', 'the relay or the peer did not answer the handshake']]);
  });

  // stack.ts:321 (`info.code === 1001` → false, `!==`)
  it('a relay going away (1001) moves to the next location as dropped', async () => {
    const r = await talking();
    r.last().drop(1001);
    expect(r.switches.map((s) => s.reason)).to.deep.equal(['dropped']);
    expect(codes(r.errors)).to.deep.equal(['DISCONNECTED']);
  });

  // stack.ts:321 (`info.code === undefined` → false, `!==`)
  it('a socket closed with no code moves to the next location as dropped', async () => {
    const r = await talking();
    r.last().drop(undefined);
    expect(r.switches.map((s) => s.reason)).to.deep.equal(['dropped']);
  });

  // stack.ts:321 (the condition → true, `&&` → `||`, the code group → true), :335 (the condition → true, `&&` → `||`)
  it('a relay close with a policy code after frames came stays on the location and reads as a lost connection', async () => {
    const r = await talking();
    r.last().drop(1008);
    expect(r.switches).to.deep.equal([]);
    expect(codes(r.errors)).to.deep.equal(['DISCONNECTED']);
  });

  // stack.ts:327 (`reason === 'user'` → false): a layer's own 'user' close is no failure.
  it('a layer that ends the connection as the user is not reported, and the stack dials again', async () => {
    await withFakeClock(async (clock) => {
      const r = await talking();
      r.probe.context!.close('user');
      expect(r.errors).to.deep.equal([]);
      expect(await dialsBetween(clock, r, 50, 50)).to.deep.equal([1, 2]);
    });
  });

  // stack.ts:335 (`info.attached <= 1` → true): once a second layer is attached, a silent close is not "in use".
  it('a close after the second layer attached, with nothing received, is a lost connection, not "in use"', async () => {
    const r = rig({layers: [new ProbeLayer(true), new ProbeLayer()]});
    await established(r);
    r.last().drop(1000);
    expect(codes(r.errors)).to.deep.equal(['DISCONNECTED']);
  });

  // stack.ts:337 (the closeText condition → false, its block → {}), :338 (the message → ``)
  it('a relay that says why it turns the connection away fails connect() with its words', async () => {
    const r = rig();
    const ready = track(r.stack.connect(r.beacon));
    r.last().open();
    r.last().drop(1008, 'waiting limit');
    await settle();
    expect([ready.error?.code, ready.error?.message]).to.deep.equal(['CONNECTION_FAILED', 'the relay turned the connection away: waiting limit']);
  });

  // stack.ts:275 (`error.code !== 'REQUEST_TIMEOUT'` → true): a first attempt that timed out is retried, not given up.
  it('a handshake timeout on the first attempt is reported and retried; connect() goes on waiting', async () => {
    await withFakeClock(async (clock) => {
      const r = rig();
      const ready = track(r.stack.connect(r.beacon));
      r.last().open();
      r.probe.context!.close('handshake-timeout');
      expect(await dialsBetween(clock, r, 50, 50)).to.deep.equal([1, 2]);
      expect(ready.settled).to.equal(false);
      expect(codes(r.errors)).to.deep.equal(['REQUEST_TIMEOUT']);
      r.last().open();
      r.stack.enter('connected');
      await settle();
      expect([ready.settled, ready.error]).to.deep.equal([true, undefined]);
    });
  });
});
