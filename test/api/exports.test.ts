/**
 * The public surface is deliberate: every entry of the package's exports map,
 * imported by package name from dist/ (in a child process, so registering the
 * elements does not touch this one), must export exactly the names and kinds
 * recorded in test/api/exports.json. And what the protocol entries load up
 * front must not reach the testing helpers or secp256k1.
 */
import {expect} from 'chai';
import * as esbuild from 'esbuild';
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const UPDATE = 'npm run build && npm run api:update';

describe('public API', function () {
  this.timeout(60_000);

  it(`matches test/api/exports.json (after a deliberate change: ${UPDATE}, and commit the file)`, async () => {
    const {stdout} = await promisify(execFile)(process.execPath, ['scripts/api-report.mjs'], {cwd: root, maxBuffer: 8 << 20});
    const current = JSON.parse(stdout) as Record<string, Record<string, string>>;
    const recorded = JSON.parse(readFileSync(join(root, 'test/api/exports.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(current, `the public API changed; if that is deliberate, run \`${UPDATE}\``).to.deep.equal(recorded);
  });

  it('keeps the testing helpers and secp256k1 out of what every other entry loads up front', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {exports: Record<string, string | {default: string}>};
    const shipped = Object.entries(pkg.exports).filter(([entry]) => entry !== './package.json' && entry !== './testing');
    expect(shipped.length).to.be.greaterThan(10);
    for (const [entry, target] of shipped) {
      const file = typeof target === 'string' ? target : target.default;
      const loaded = await staticInputs(file);
      expect(loaded.length, entry).to.be.greaterThan(0);
      expect(loaded.filter((path) => /src\/testing\/|@noble\/curves|bolt11-signature/.test(path)), entry).to.deep.equal([]);
    }
  });

  it('loads the invoice signature check (secp256k1) from ./stack on demand, as its own chunk', async () => {
    const result = await bundleForInputs('./dist/src/core/stack/index.js');
    const outputs = Object.values(result.metafile.outputs);
    const lazy = outputs.find((out) => out.entryPoint === 'dist/src/core/bolt11-signature.js');
    expect(lazy, 'a chunk for the dynamic import of bolt11-signature.js').to.not.equal(undefined);
    const entry = outputs.find((out) => out.entryPoint === 'dist/src/core/stack/index.js')!;
    expect(entry.imports.filter((i) => i.kind === 'dynamic-import')).to.have.length(1);
    const reached = new Set(outputs.flatMap((out) => Object.keys(out.inputs)));
    expect([...reached].some((path) => path.includes('@noble/curves'))).to.equal(true);
  });
});

function bundleForInputs(file: string) {
  return esbuild.build({
    entryPoints: [join(root, file)],
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    splitting: true,
    outdir: join(root, '.tmp/api-inputs'),
    logLevel: 'error',
  });
}

/** Every file the module `file` (in dist/) imports statically, transitively; lazy imports are left out. */
async function staticInputs(file: string): Promise<string[]> {
  const result = await bundleForInputs(file);
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((out) => outputs[out]!.entryPoint === file.replace(/^\.\//, ''));
  if (entry === undefined) throw new Error(`no output for ${file}`);
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const i of outputs[next]!.imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  return [...seen].flatMap((out) => Object.keys(outputs[out]!.inputs));
}
