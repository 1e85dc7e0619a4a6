/**
 * Sizes are deterministic, so they are tested (timings never are): the
 * browser bundle's main file is one file, importing no chunk, of at most
 * issue 10's 30 kB aim gzipped, and the only one with lit in it; what only
 * lazy code uses stays out of it; the `./core` entry bundled with its
 * dependencies, minified as the main file is, stays within its 15 kB aim.
 * `npm run size` shows where the bytes are.
 */
import {expect} from 'chai';
import {BUNDLE_AIM, CORE_AIM, gz, measureBundle, measureCore} from '../../scripts/size.mjs';

describe('sizes', function () {
  this.timeout(120_000);

  it(`keeps the browser bundle's main file one file of at most ${BUNDLE_AIM} bytes gzipped`, async () => {
    const {outputs, main} = await measureBundle();
    const imports = outputs['moneysocket-elements.js']!.imports;
    expect(imports.filter((i) => i.kind === 'import-statement'), 'chunks the main file imports statically').to.deep.equal([]);
    expect(imports.filter((i) => i.kind === 'dynamic-import').length, 'lazy chunks').to.be.greaterThan(0);
    expect(gz(main)).to.be.at.most(BUNDLE_AIM);
    // One copy of lit: no lazy chunk carries its own.
    const withLit = Object.entries(outputs).filter(([, output]) => Object.keys(output.inputs).some((input) => /node_modules\/(lit-html|lit-element|@lit)\//.test(input)));
    expect(withLit.map(([name]) => name)).to.deep.equal(['moneysocket-elements.js']);
  });

  it('keeps what only lazy code uses out of the main file: SHA-256, base64, the request events, the camera', async () => {
    const {outputs, main} = await measureBundle();
    const inputs = Object.keys(outputs['moneysocket-elements.js']!.inputs);
    const lazyOnly = /node_modules\/(@noble|qr-scanner)\/|src\/core\/(seed-keys|preimage|frame)\.ts|src\/elements\/internal\/(request-event|camera-code)\.ts/;
    expect(inputs.filter((input) => lazyOnly.test(input))).to.deep.equal([]);
    expect(inputs, 'beacons need bech32').to.include('node_modules/@scure/base/index.js');
    // scure's base64 alphabet: its codecs came with bech32 while the two shared one instance.
    expect(new TextDecoder().decode(main)).to.not.include('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
  });

  it(`keeps the ./core entry with its dependencies within ${CORE_AIM} bytes gzipped`, async () => {
    const core = await measureCore();
    expect(gz(core.min)).to.be.at.most(CORE_AIM);
    // terser comes after esbuild, as for the main file: it only ever takes bytes off.
    expect(core.min.length).to.be.below(core.esbuild.length);
  });
});
