/**
 * A module loaded once, on first need, through a dynamic import: in the
 * browser bundle it is a chunk of its own. A failed load (a chunk the
 * network lost) is forgotten, so the next call tries again.
 */
import {MoneysocketError} from './errors.js';

export interface LazyModule<M> {
  /** The module, if it has been loaded. */
  loaded(): M | undefined;
  /** The module; a failed load rejects with CONNECTION_FAILED and the message `failure` makes of why. */
  load(): Promise<M>;
}

export function lazyModule<M>(importModule: () => Promise<M>, failure: (why: string) => string): LazyModule<M> {
  let module: M | undefined;
  let loading: Promise<M> | undefined;
  const load = (): Promise<M> => {
    loading ??= importModule().then(
      (loadedModule) => (module = loadedModule),
      (error: unknown) => {
        loading = undefined;
        const why = error instanceof Error ? error.message : String(error);
        throw new MoneysocketError('CONNECTION_FAILED', failure(why));
      },
    );
    return loading;
  };
  return {loaded: () => module, load};
}
