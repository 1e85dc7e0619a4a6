#!/usr/bin/env node
// `npm run size`: gzipped sizes, one JSON line each: the browser bundle's main
// file, the chunks it imports statically (loaded with it: `lazy: false`), each
// lazily loaded chunk, the bridges entry, what a page loads up front (main file
// plus its static chunks), and each element's own code (the element bundled
// with lit and the core left out).
import * as esbuild from 'esbuild';
import {gzipSync} from 'node:zlib';
import {buildBundle} from './build-bundle.mjs';

const gz = (bytes) => gzipSync(bytes, {level: 9}).length;
const print = (line) => console.log(JSON.stringify(line));
const BUNDLE_AIM = 30_000;
const OUT = '.size-tmp/';
const MAIN = 'moneysocket-elements.js';
const ENTRIES = new Set([MAIN, 'bridges.js']);

const bundle = await buildBundle({outdir: '.size-tmp', write: false, metafile: true});
const files = new Map(bundle.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [f.path.split(OUT)[1], f]));
const upfront = staticClosure(MAIN);
let total = 0;
for (const [name, file] of files) {
  const gzip = gz(file.contents);
  const line = {file: name, unit: 'bytes', value: gzip, min_bytes: file.contents.length};
  if (name === MAIN) print({bench: 'bundle.main', ...line, aim: BUNDLE_AIM, within_aim: gzip <= BUNDLE_AIM});
  else if (ENTRIES.has(name)) print({bench: 'bundle.entry', ...line, note: 'imports its own chunks; loaded only by pages that import it'});
  else print({bench: 'bundle.chunk', ...line, lazy: !upfront.has(name)});
  if (name !== 'bridges.js') total += gzip;
}
const upfrontBytes = [...upfront].reduce((sum, name) => sum + gz(files.get(name).contents), 0);
print({bench: 'bundle.upfront', unit: 'bytes', value: upfrontBytes, note: 'main file plus the chunks it imports statically'});
print({bench: 'bundle.total', unit: 'bytes', value: total, note: 'main file plus every chunk'});

/** The output file `name` and every chunk it imports statically, transitively. */
function staticClosure(name) {
  const seen = new Set();
  const todo = [name];
  while (todo.length > 0) {
    const next = todo.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    for (const i of bundle.metafile.outputs[OUT + next].imports) if (i.kind === 'import-statement') todo.push(i.path.split(OUT)[1]);
  }
  return seen;
}

// An element's own code (and the bridges'): lit, the protocol core and the stacks are shared, so they are left out.
const shared = /^(lit|@lit\/|lit-html|lit-element|@noble\/|@scure\/|qr-scanner|@paulmillr\/)/;
const own = [
  ...['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display', 'ms-payment'].map((tag) => ({bench: 'element.own', element: tag, entry: `src/elements/${tag}.ts`})),
  {bench: 'bridges.own', entry: 'src/bridges/index.ts'},
];
for (const {entry, ...label} of own) {
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
  const code = result.outputFiles[0].contents;
  print({...label, unit: 'bytes', value: gz(code), min_bytes: code.length});
}
