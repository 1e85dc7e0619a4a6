// Survivors of the mutation run over stack.ts (issue 12) in the first connection,
// which waits for the session engine to load (stack.ts #open): each test fails
// with the mutants it names and passes without them.
//
// The engine loads once per process, so a test imports its own copies of the
// stack modules and of lazy-engine.ts (a module resolve hook gives every import
// made from a copy tagged `?fresh=<tag>` the same tag): in such a copy the engine
// is not loaded yet, whatever ran before. A tag `fail<N>-…` also makes the copy's
// first N loads of the engine fail, as a lost browser chunk does. The copies run
// in this process, so Stryker's per-test coverage sees them.
import {expect} from 'chai';
import {register} from 'node:module';
import {decodeBeacon} from '../../../src/core/beacon.js';
import type {MoneysocketError} from '../../../src/core/errors.js';
import {parseWebSocketUrl} from '../../../src/core/location.js';
import type * as LazyEngineModule from '../../../src/core/stack/lazy-engine.js';
import type * as ProviderStackModule from '../../../src/core/stack/provider-stack.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import {MemoryRelay} from '../../support/memory-relay.js';
import {until} from '../../support/relay.js';
import {beaconFor} from './fixtures.js';
import {settle, track} from './memory-world.js';

const HOOK = `
const FRESH = /\\/src\\/core\\/stack\\/(stack|provider-stack|consumer-stack|lazy-engine)\\.ts$/;
const loads = new Map();
export async function resolve(specifier, context, next) {
  const tag = context.parentURL && /[?&]fresh=([^&#]+)/.exec(context.parentURL)?.[1];
  const resolved = await next(specifier, context);
  if (!tag) return resolved;
  const path = resolved.url.split('?')[0];
  if (path.endsWith('/src/core/stack/engine.ts')) {
    const failures = Number(/^fail(\\d+)-/.exec(tag)?.[1] ?? 0);
    const n = (loads.get(tag) ?? 0) + 1;
    loads.set(tag, n);
    if (n <= failures) throw new Error('the engine chunk was lost');
  }
  return FRESH.test(path) ? {...resolved, url: path + '?fresh=' + tag} : resolved;
}`;

const registered = Symbol.for('moneysocket.test.fresh-stack-hook');
const marks = globalThis as {[registered]?: true};
if (marks[registered] === undefined) {
  register('data:text/javascript,' + encodeURIComponent(HOOK));
  marks[registered] = true;
}

let copies = 0;

/** A copy of the provider stack module whose session engine has not been loaded (`failures` loads of it fail), and the copy's loader. */
async function freshProviderStack(failures = 0) {
  const tag = `fail${failures}-${++copies}-${Math.random().toString(36).slice(2)}`;
  const lazy = (await import(new URL(`../../../src/core/stack/lazy-engine.ts?fresh=${tag}`, import.meta.url).href)) as typeof LazyEngineModule;
  expect(lazy.loadedEngine()).to.equal(undefined);
  const {ProviderStack} = (await import(new URL(`../../../src/core/stack/provider-stack.ts?fresh=${tag}`, import.meta.url).href)) as typeof ProviderStackModule;
  return {ProviderStack, loadEngine: lazy.loadEngine};
}

const BEACON = beaconFor('ws://127.0.0.1:1');

describe('stack.ts survivors (the first connection, while the engine loads), killed', function () {
  this.timeout(10000);
  const stacks: {disconnect(): Promise<void>}[] = [];
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.disconnect();
  });

  /** A provider from a fresh copy, with a relay that counts the sockets it is asked for. */
  async function provider(failures = 0) {
    const {ProviderStack, loadEngine} = await freshProviderStack(failures);
    const relay = new MemoryRelay();
    const urls: string[] = [];
    const stack = new ProviderStack({
      webSocket: (url) => {
        urls.push(url);
        return relay.socketFactory(url);
      },
      providerInfo: {payer: true, payee: true, wad: bitcoinWad(1000)},
    });
    stacks.push(stack);
    return {stack, loadEngine, urls, dials: () => urls.length};
  }

  // stack.ts:221 (load callback → {}), :222 (`#loading !== loading` → ===), :224 (`#beacon !== beacon`, `#connection !== undefined`)
  it('dials once the engine has loaded, and connect() resolves', async () => {
    const {stack, dials} = await provider();
    const connected = track(stack.connect(BEACON));
    expect(stack.state).to.equal('connecting');
    expect(dials()).to.equal(0);
    await until(() => connected.settled, 5000, 'connect()');
    expect(connected).to.deep.equal({settled: true, value: undefined});
    expect(stack.state).to.equal('waiting-for-peer');
    expect(dials()).to.equal(1);
  });

  // stack.ts:222 (`#loading !== loading` → false): the first load callback, stale, gives the second connect()'s load away
  it('connect(), disconnect() and connect() again while the engine loads dial once, for the second connect()', async () => {
    const {stack, dials} = await provider();
    const first = track(stack.connect(BEACON));
    await stack.disconnect();
    const second = track(stack.connect(BEACON));
    await until(() => second.settled, 5000, 'the second connect()');
    expect(first.error?.code).to.equal('DISCONNECTED');
    expect(second).to.deep.equal({settled: true, value: undefined});
    expect(stack.state).to.equal('waiting-for-peer');
    expect(dials()).to.equal(1);
  });

  // stack.ts:222 (`#loading !== loading` → false): the stale load callback dials the address the beacon had at the first connect()
  it('connect(), disconnect(), a new address in the same beacon object and connect() again dial the new address', async () => {
    const {stack, urls} = await provider();
    const decoded = decodeBeacon(BEACON);
    if (!decoded.ok) throw decoded.error;
    const beacon = decoded.value;
    const first = track(stack.connect(beacon));
    await stack.disconnect();
    const moved = parseWebSocketUrl('ws://127.0.0.1:2');
    if (!moved.ok) throw moved.error;
    beacon.locations = [moved.value];
    const second = track(stack.connect(beacon));
    await until(() => second.settled, 5000, 'the second connect()');
    expect(first.error?.code).to.equal('DISCONNECTED');
    expect(second).to.deep.equal({settled: true, value: undefined});
    expect(urls).to.deep.equal(['ws://127.0.0.1:2']);
  });

  // stack.ts:224 (condition → true, `#beacon === beacon` → true, `&&` → `||`): dials for a beacon that was let go
  it('does not dial when disconnect() was called from the connecting state event, before the engine loaded', async () => {
    const {stack, loadEngine, dials} = await provider();
    const off = stack.on('state', ({state}) => {
      if (state !== 'connecting') return;
      off();
      void stack.disconnect();
    });
    const connected = stack.connect(BEACON).then(() => undefined, (error: MoneysocketError) => error);
    expect((await connected)?.code).to.equal('DISCONNECTED');
    await loadEngine(); // the stack's own callback on this load has run by now
    await settle(50);
    expect(dials()).to.equal(0);
    expect(stack.state).to.equal('disconnected');
  });

  // stack.ts:226 (failure callback → {}), :227 (condition → true, `#loading === loading`)
  it('rejects connect() with CONNECTION_FAILED when the engine cannot be loaded, and is disconnected again', async () => {
    const {stack, dials} = await provider(99);
    const seen: string[] = [];
    stack.on('state', ({state}) => seen.push(state));
    const error = await Promise.race([
      stack.connect(BEACON).then(() => undefined, (e: MoneysocketError) => e),
      new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 3000)),
    ]);
    expect(error).to.not.equal('pending');
    expect(error === 'pending' ? undefined : error?.code).to.equal('CONNECTION_FAILED');
    expect(stack.state).to.equal('disconnected');
    expect(stack.beacon).to.equal(undefined);
    expect(seen).to.deep.equal(['connecting', 'disconnected']);
    expect(dials()).to.equal(0);
  });

  // stack.ts:227 (`#loading !== loading` → false): a stale failure callback fails the connect() made after the failure was reported
  it('a connect() from the disconnected event after a failed load tries the engine again, unharmed by the earlier load', async () => {
    const {stack, dials} = await provider(1);
    const first = track(stack.connect(BEACON));
    await stack.disconnect();
    const second = track(stack.connect(BEACON));
    let third: ReturnType<typeof track<void>> | undefined;
    const off = stack.on('state', ({state}) => {
      if (state !== 'disconnected') return;
      off();
      third = track(stack.connect(BEACON));
    });
    await until(() => third?.settled === true, 5000, 'the third connect()');
    expect(first.error?.code).to.equal('DISCONNECTED');
    expect(second.error?.code).to.equal('CONNECTION_FAILED');
    expect(third).to.deep.equal({settled: true, value: undefined});
    expect(stack.state).to.equal('waiting-for-peer');
    expect(dials()).to.equal(1);
  });
});
