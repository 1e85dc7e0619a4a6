/** lazyModule: one import however often it is asked for, and a failed import tried again. */
import {expect} from 'chai';
import {MoneysocketError} from '../../src/core/errors.js';
import {lazyModule} from '../../src/core/lazy-module.js';

describe('lazyModule', () => {
  it('imports once, even when asked again before the first import settles', async () => {
    let imports = 0;
    const lazy = lazyModule(() => Promise.resolve({value: ++imports}), (why) => `no module (${why})`);
    expect(lazy.loaded()).to.equal(undefined);
    const [a, b] = await Promise.all([lazy.load(), lazy.load()]);
    expect(a).to.equal(b);
    expect(await lazy.load()).to.equal(a);
    expect(lazy.loaded()).to.equal(a);
    expect(imports).to.equal(1);
  });

  it('rejects a failed import with CONNECTION_FAILED and the caller\'s words, and tries again on the next call', async () => {
    let imports = 0;
    const lazy = lazyModule(() => (++imports === 1 ? Promise.reject(new Error('chunk lost')) : Promise.resolve({ok: true})), (why) => `could not load it (${why}); try again`);
    const error = await lazy.load().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(MoneysocketError);
    expect((error as MoneysocketError).code).to.equal('CONNECTION_FAILED');
    expect((error as MoneysocketError).message).to.equal('could not load it (chunk lost); try again');
    expect(lazy.loaded()).to.equal(undefined);
    expect(await lazy.load()).to.deep.equal({ok: true});
    expect(imports).to.equal(2);
  });
});
