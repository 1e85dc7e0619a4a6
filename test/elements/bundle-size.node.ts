/**
 * Sizes are deterministic, so they are tested (timings never are): the
 * browser bundle's main file is one file, importing no chunk, of at most
 * 30 kB gzipped; the `./core` entry bundled with its dependencies stays
 * within its budget. `npm run size` shows where the bytes are.
 */
import {expect} from 'chai';
import {BUNDLE_AIM, buildCore, CORE_BUDGET, gz, measureBundle} from '../../scripts/size.mjs';

describe('sizes', function () {
  this.timeout(120_000);

  it(`keeps the browser bundle's main file one file of at most ${BUNDLE_AIM} bytes gzipped`, async () => {
    const {outputs, main} = await measureBundle();
    const imports = outputs['moneysocket-elements.js']!.imports;
    expect(imports.filter((i) => i.kind === 'import-statement'), 'chunks the main file imports statically').to.deep.equal([]);
    expect(imports.filter((i) => i.kind === 'dynamic-import').length, 'lazy chunks').to.be.greaterThan(0);
    expect(gz(main)).to.be.at.most(BUNDLE_AIM);
  });

  it(`keeps the ./core entry with its dependencies within ${CORE_BUDGET} bytes gzipped`, async () => {
    const core = (await buildCore()).outputFiles![0]!.contents;
    expect(gz(core)).to.be.at.most(CORE_BUDGET);
  });
});
