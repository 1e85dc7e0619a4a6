/**
 * Loads the session engine (`engine.ts`) once, on first need. In the browser
 * bundle it is a chunk of its own, fetched when a stack first connects or is
 * asked for something; elsewhere it is one more module.
 */
import {MoneysocketError} from '../errors.js';

export type Engine = typeof import('./engine.js');

let engine: Engine | undefined;
let loading: Promise<Engine> | undefined;

/** The engine, if it has been loaded. */
export function loadedEngine(): Engine | undefined {
  return engine;
}

/** Loads the engine; a failed load (a chunk the network lost) is tried again on the next call. */
export function loadEngine(): Promise<Engine> {
  loading ??= import('./engine.js').then(
    (module) => (engine = module),
    (error: unknown) => {
      loading = undefined;
      const why = error instanceof Error ? error.message : String(error);
      throw new MoneysocketError('CONNECTION_FAILED', `could not load the Moneysocket session code (${why}); try again`);
    },
  );
  return loading;
}

/** Runs `use` with the engine: at once when it is loaded (so that ordering is as before), after loading otherwise. */
export function withEngine<T>(use: (engine: Engine) => T | Promise<T>): Promise<T> {
  const loaded = engine;
  if (loaded !== undefined) {
    try {
      return Promise.resolve(use(loaded));
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what `use` threw, as loadEngine().then(use) would
      return Promise.reject(error);
    }
  }
  return loadEngine().then(use);
}
