/**
 * The single-file browser build, as the README promises it: the main file,
 * moneysocket-elements.js, imports no chunk statically (a page that copies it
 * without chunks/ still gets the elements); its lazy chunks are dynamic
 * imports of files in chunks/, which the README says to copy along. The
 * imports are read by esbuild's parser from a real build.
 */
import {expect} from 'chai';
import * as esbuild from 'esbuild';
import {existsSync, readdirSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {buildBundle} from '../../scripts/build-bundle.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = join(root, '.tmp/browser-bundle');

export interface ImportRecord {
  path: string;
  kind: esbuild.ImportKind;
}

/** Every import and re-export of one ES module file, as its parser sees them, without following any. */
export async function importsOf(file: string): Promise<ImportRecord[]> {
  const found: ImportRecord[] = [];
  await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    plugins: [{
      name: 'record-imports',
      setup(build) {
        build.onResolve({filter: /.*/}, (args) => {
          if (args.kind === 'entry-point') return undefined;
          found.push({path: args.path, kind: args.kind});
          return {path: args.path, external: true};
        });
      },
    }],
  });
  return found;
}

describe('the single-file browser build', function () {
  this.timeout(120_000);
  const main = join(outdir, 'moneysocket-elements.js');

  before(async () => {
    await rm(outdir, {recursive: true, force: true});
    await buildBundle({outdir});
  });

  after(() => rm(outdir, {recursive: true, force: true}));

  it('the main file imports no chunk statically, and loads its lazy chunks from chunks/', async () => {
    const imports = await importsOf(main);
    expect(imports.filter((i) => i.kind !== 'dynamic-import'), 'static imports and re-exports').to.deep.equal([]);
    const lazy = imports.map((i) => i.path);
    expect(lazy.length, 'QR scanner, QR encoder, WebLN, NWC, signature check').to.be.at.least(5);
    for (const path of lazy) {
      expect(path).to.match(/^\.\/chunks\/[\w.-]+\.js$/);
      expect(existsSync(join(outdir, path)), path).to.equal(true);
    }
  });

  it('every file in the build imports only files that are there, so copying the folder as it is works', async () => {
    const files = readdirSync(outdir, {recursive: true, encoding: 'utf8'}).filter((name) => name.endsWith('.js'));
    expect(files).to.include.members(['moneysocket-elements.js', 'bridges.js', 'testing.js']);
    for (const file of files) {
      for (const {path} of await importsOf(join(outdir, file))) {
        expect(existsSync(resolve(dirname(join(outdir, file)), path)), `${file} imports ${path}`).to.equal(true);
      }
    }
  });

  it('leaves each chunk the main file used to import as a re-export of the main file (one copy of every module)', async () => {
    const chunks = readdirSync(join(outdir, 'chunks')).filter((name) => name.endsWith('.js'));
    const reexports: string[] = [];
    for (const chunk of chunks) {
      const text = await readFile(join(outdir, 'chunks', chunk), 'utf8');
      if (text.includes('from"../moneysocket-elements.js"')) reexports.push(chunk);
    }
    expect(reexports.length, 'the shared chunks (the error class, lit helpers, BOLT11 and SHA-256)').to.be.greaterThan(0);
    for (const chunk of reexports) {
      const imports = await importsOf(join(outdir, 'chunks', chunk));
      expect(imports).to.deep.equal([{path: '../moneysocket-elements.js', kind: 'import-statement'}]);
      expect(await readFile(join(outdir, 'chunks', chunk), 'utf8')).to.match(/^export\{[^}]+\}from"\.\.\/moneysocket-elements\.js";\n$/);
    }
  });

  it('keeps source maps that point at src/', async () => {
    const map = JSON.parse(await readFile(`${main}.map`, 'utf8')) as {sources: string[]};
    expect(map.sources).to.include.members(['../../src/core/errors.ts', '../../src/elements/ms-consumer.ts']);
    expect(map.sources.filter((source) => source.startsWith('/') || source.includes(':'))).to.deep.equal([]);
  });
});
