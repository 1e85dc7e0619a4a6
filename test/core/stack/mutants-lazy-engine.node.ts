// Loading the session engine on first need (issue 12, mutation testing): what a
// failed load says, and what withEngine does when its callback throws. Node only:
// a module hook makes the engine's chunk fail to load, as a lost network would.
import {register} from 'node:module';
import {expect} from 'chai';
import {MoneysocketError} from '../../../src/core/errors.js';
import {loadEngine, withEngine} from '../../../src/core/stack/lazy-engine.js';

type LazyEngine = typeof import('../../../src/core/stack/lazy-engine.js');

/** Fails `./engine.js` when imported by a copy of lazy-engine loaded with this marker in its URL. */
const MARKER = 'lazy-engine-chunk-lost';
const HOOK = `
export async function resolve(specifier, context, next) {
  if (specifier === './engine.js' && context.parentURL?.includes('${MARKER}')) throw new Error('the chunk was lost');
  return next(specifier, context);
}`;

async function lazyEngineWithLostChunk(): Promise<LazyEngine> {
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, import.meta.url);
  const url = new URL(`../../../src/core/stack/lazy-engine.ts?${MARKER}`, import.meta.url).href;
  return (await import(url)) as LazyEngine;
}

describe('lazy engine', () => {
  // lazy-engine.ts:10 (the failure message emptied).
  it('rejects a failed load with CONNECTION_FAILED saying the session code could not load, and why', async () => {
    const lazy = await lazyEngineWithLostChunk();
    const failure = await lazy.loadEngine().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(MoneysocketError);
    expect((failure as MoneysocketError).code).to.equal('CONNECTION_FAILED');
    expect((failure as MoneysocketError).message).to.include('could not load the Moneysocket session code').and.include('the chunk was lost');
    expect(lazy.loadedEngine()).to.equal(undefined);
  });

  // lazy-engine.ts:24 (the catch emptied: the callback would be run a second time, after loading).
  it('withEngine on a loaded engine rejects with what the callback threw, calling it once', async () => {
    await loadEngine();
    let calls = 0;
    const thrown = new Error('use failed');
    const result = withEngine(() => {
      calls++;
      if (calls === 1) throw thrown;
      return 'second call';
    });
    const outcome = await result.then(
      (value) => value,
      (error: unknown) => error,
    );
    expect(outcome).to.equal(thrown);
    expect(calls).to.equal(1);
  });
});
