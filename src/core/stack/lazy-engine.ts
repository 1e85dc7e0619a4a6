/**
 * Loads the session engine (`engine.ts`) once, on first need. In the browser
 * bundle it is a chunk of its own, fetched when a stack first connects or is
 * asked for something; elsewhere it is one more module.
 */
import {lazyModule} from '../lazy-module.js';

export type Engine = typeof import('./engine.js');

const engineModule = lazyModule<Engine>(() => import('./engine.js'), (why) => `could not load the Moneysocket session code (${why}); try again`);

/** The engine, if it has been loaded. */
export const loadedEngine = engineModule.loaded;

/** Loads the engine; a failed load (a chunk the network lost) is tried again on the next call. */
export const loadEngine = engineModule.load;

/** Runs `use` with the engine: at once when it is loaded (so that ordering is as before), after loading otherwise. */
export function withEngine<T>(use: (engine: Engine) => T | Promise<T>): Promise<T> {
  const loaded = loadedEngine();
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
