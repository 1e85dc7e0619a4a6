#!/usr/bin/env node
// `npm run size`: gzipped sizes, one JSON line each: the browser bundle's main
// file (with its aim), each lazily loaded chunk, the bridges and testing entries, the
// `./core` entry bundled with its dependencies and minified as the main file is (with its aim), and each
// element's own code (the element bundled with lit and the core left out).
// Then where the bytes are: per input module of the main file and of the core
// entry, its minified bytes and its gzip contribution (see `breakdown`).
import * as esbuild from 'esbuild';
import {gzipSync} from 'node:zlib';
import {fileURLToPath} from 'node:url';
import {minify as terser} from 'terser';
import {BUNDLE_ENTRY, buildBundle, staticClosure, TERSER_OPTIONS} from './build-bundle.mjs';

/** Issue 10's aims, in gzipped bytes; `npm test` holds both files to them. */
export const BUNDLE_AIM = 30_000;
export const CORE_AIM = 15_000;
export const CORE_ENTRY = 'src/core/index.ts';
const OUT = '.size-tmp/';
const MAIN = 'moneysocket-elements.js';
/** The other entries of the browser build: loaded only by pages that import them. */
const ENTRIES = new Set(['bridges.js', 'testing.js']);

export const gz = (bytes) => gzipSync(bytes, {level: 9}).length;
const print = (line) => console.log(JSON.stringify(line));

/** The browser bundle in memory, with its metafile; files keyed by their name under the output directory. */
export async function measureBundle() {
  const bundle = await buildBundle({outdir: '.size-tmp', write: false, metafile: true});
  const files = new Map(bundle.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [f.path.split(OUT)[1], f]));
  const outputs = Object.fromEntries(Object.entries(bundle.metafile.outputs).map(([path, output]) => [path.split(OUT)[1], output]));
  return {files, outputs, main: files.get(MAIN).contents};
}

/** `./core` as a page's bundler would ship it: the entry and its dependencies, minified, for the browser. */
export async function buildCore({merge: _merge, ...options} = {}) {
  return esbuild.build({
    entryPoints: [CORE_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    tsconfig: 'tsconfig.json',
    logLevel: 'error',
    ...options,
  });
}

/**
 * `./core` minified the way the main file is, so that the two figures compare:
 * esbuild (`buildCore`), then terser with the main file's options. `esbuild`
 * is the file before terser, for the record.
 */
export async function measureCore() {
  const built = (await buildCore()).outputFiles[0];
  const {code} = await terser(built.text, TERSER_OPTIONS);
  return {min: new TextEncoder().encode(code), esbuild: built.contents};
}

/**
 * Bytes per input module of one bundle: `min_bytes` from esbuild's metafile
 * of the minified build, and `gzip_bytes`, the module's gzip contribution:
 * how much the gzipped size of everything before it in the file grows when
 * it is added. (A module gzips better after its neighbours than alone, and
 * the contributions add up to about the file's gzipped size.) For those,
 * the bundle is built again without whitespace minification, so that
 * esbuild keeps its `// path` line before each module, and each piece is
 * whitespace-minified on its own. The closing `export {…}` list is a row of
 * its own.
 */
export async function breakdown(build, entryPoint) {
  const outputOf = (result) => Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entryPoint);
  const inputs = outputOf(await build({metafile: true, write: false}))[1].inputs;
  // For the browser bundle: esbuild's split build, whose main file and static chunks are what the main file is made of.
  const result = await build({minify: false, minifySyntax: true, minifyIdentifiers: true, metafile: true, write: false, merge: false});
  const [outPath] = outputOf(result);
  const parts = [...staticClosure(result.metafile.outputs, outPath)].reverse();
  const textOf = (path) => (result.outputFiles.length === 1 ? result.outputFiles[0] : result.outputFiles.find((f) => f.path.endsWith(path))).text;
  const text = parts.map(textOf).join('\n');
  const pieces = [];
  for (const line of text.split('\n')) {
    const path = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line)?.[1];
    if (line.startsWith('export {')) pieces.push({module: '(exports)', code: ''});
    if (path !== undefined || pieces.length === 0) pieces.push({module: path ?? '(runtime)', code: ''});
    else pieces.at(-1).code += `${line}\n`;
  }
  let prefix = '';
  let before = gz(Buffer.from(prefix));
  const rows = [];
  for (const {module, code} of pieces) {
    prefix += (await esbuild.transform(code, {minifyWhitespace: true, logLevel: 'silent'}).catch(() => ({code}))).code;
    const after = gz(Buffer.from(prefix));
    rows.push({module, min_bytes: inputs[module]?.bytesInOutput ?? code.length, gzip_bytes: after - before});
    before = after;
  }
  return rows;
}

/** The package a module belongs to (`lit`, `@noble/hashes`), or its source directory (`src/core/stack`). */
export function groupOf(module) {
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module)?.[1];
  if (pkg !== undefined) return /^(lit|lit-html|lit-element|@lit\/reactive-element)$/.test(pkg) ? 'lit' : pkg;
  return module.includes('/') ? module.slice(0, module.lastIndexOf('/')) : module;
}

function printBreakdown(target, rows) {
  const groups = new Map();
  for (const row of rows) {
    print({bench: 'size.module', of: target, ...row});
    const group = groups.get(groupOf(row.module)) ?? {min_bytes: 0, gzip_bytes: 0};
    group.min_bytes += row.min_bytes;
    group.gzip_bytes += row.gzip_bytes;
    groups.set(groupOf(row.module), group);
  }
  for (const [group, sums] of [...groups].sort((a, b) => b[1].gzip_bytes - a[1].gzip_bytes)) print({bench: 'size.group', of: target, group, ...sums});
}

/** An element's own code (and the bridges'): lit, the protocol core and the stacks are shared, so they are left out. */
async function ownCode(entry) {
  const shared = /^(lit|@lit\/|lit-html|lit-element|@noble\/|@scure\/|qr-scanner|@paulmillr\/)/;
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    tsconfig: 'tsconfig.json',
    logLevel: 'error',
    plugins: [{
      name: 'own-code-only',
      setup(build) {
        build.onResolve({filter: /.*/}, (args) => {
          if (shared.test(args.path) || /\/core\//.test(args.path) || args.path.startsWith('../core')) return {path: args.path, external: true};
          // The bridges are lazy chunks of their own (reported above), not the element's code.
          if (args.path.startsWith('../bridges/')) return {path: args.path, external: true};
          return undefined;
        });
      },
    }],
  });
  return result.outputFiles[0].contents;
}

async function main() {
  const {files, outputs} = await measureBundle();
  let total = 0;
  for (const [name, file] of files) {
    const gzip = gz(file.contents);
    const line = {file: name, unit: 'bytes', value: gzip, min_bytes: file.contents.length};
    if (name === MAIN) {
      const staticImports = outputs[MAIN].imports.filter((i) => i.kind === 'import-statement').length;
      print({bench: 'bundle.main', ...line, aim: BUNDLE_AIM, within_aim: gzip <= BUNDLE_AIM, static_chunk_imports: staticImports});
    } else if (ENTRIES.has(name)) print({bench: 'bundle.entry', ...line, note: 'imports its own chunks; loaded only by pages that import it'});
    else print({bench: 'bundle.chunk', ...line});
    if (!ENTRIES.has(name)) total += gzip;
  }
  print({bench: 'bundle.total', unit: 'bytes', value: total, note: 'main file plus every chunk'});

  const core = await measureCore();
  const coreGzip = gz(core.min);
  print({bench: 'core.entry', entry: CORE_ENTRY, unit: 'bytes', value: coreGzip, min_bytes: core.min.length, aim: CORE_AIM, within_aim: coreGzip <= CORE_AIM, esbuild_only: gz(core.esbuild), note: 'minified as the main file is: esbuild, then terser'});

  const own = [
    ...['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display', 'ms-payment'].map((tag) => ({bench: 'element.own', element: tag, entry: `src/elements/${tag}.ts`})),
    {bench: 'bridges.own', entry: 'src/bridges/index.ts'},
  ];
  for (const {entry, ...label} of own) {
    const code = await ownCode(entry);
    print({...label, unit: 'bytes', value: gz(code), min_bytes: code.length});
  }

  printBreakdown('bundle.main', await breakdown((options) => buildBundle({outdir: '.size-tmp', ...options}), BUNDLE_ENTRY));
  printBreakdown('core.entry', await breakdown(buildCore, CORE_ENTRY));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
