/**
 * The bridges stay out of what a page loads up front: the browser bundle's
 * main file and the chunks it imports statically hold no module of
 * src/bridges; `<ms-consumer>.webln`'s code is a chunk loaded by dynamic
 * import only; and the bridges have their own entry, dist/browser/bridges.js.
 */
import {expect} from 'chai';
import {buildBundle} from '../../scripts/build-bundle.mjs';

interface Output {
  imports: {path: string; kind: string}[];
  inputs: Record<string, unknown>;
}

describe('the browser bundle and the bridges', function () {
  this.timeout(60_000);

  it('keeps every bridge module out of the main file and its static chunks', async () => {
    const result = await buildBundle({outdir: '.size-tmp', write: false, metafile: true});
    const outputs = result.metafile!.outputs as Record<string, Output>;
    const closure = (start: string, kinds: string[]): Set<string> => {
      const seen = new Set<string>();
      const todo = [start];
      while (todo.length > 0) {
        const next = todo.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        for (const i of outputs[next]!.imports) if (kinds.includes(i.kind)) todo.push(i.path);
      }
      return seen;
    };
    const upfront = closure('.size-tmp/moneysocket-elements.js', ['import-statement']);
    const upfrontInputs = [...upfront].flatMap((file) => Object.keys(outputs[file]!.inputs));
    expect(upfrontInputs.filter((input) => input.startsWith('src/bridges/'))).to.deep.equal([]);
    expect(upfrontInputs).to.include('src/elements/internal/lazy-webln.ts');

    const everything = closure('.size-tmp/moneysocket-elements.js', ['import-statement', 'dynamic-import']);
    const withWebLN = [...everything].filter((file) => 'src/bridges/consumer-webln.ts' in outputs[file]!.inputs);
    expect(withWebLN, 'ConsumerWebLN is reachable from the main file, lazily').to.have.length(1);
    expect(upfront.has(withWebLN[0]!)).to.equal(false);

    const bridges = outputs['.size-tmp/bridges.js'];
    expect(bridges, 'dist/browser/bridges.js').to.not.equal(undefined);
    const bridgeInputs = [...closure('.size-tmp/bridges.js', ['import-statement'])].flatMap((file) => Object.keys(outputs[file]!.inputs));
    expect(bridgeInputs).to.include.members(['src/bridges/webln-backend.ts', 'src/bridges/consumer-webln.ts', 'src/bridges/sats.ts']);
  });
});
