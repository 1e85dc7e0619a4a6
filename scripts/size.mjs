#!/usr/bin/env node
// `npm run size`: gzipped sizes, one JSON line each: the browser bundle's main
// file (what a page loads up front), each lazily loaded chunk, and each
// element's own code (the element bundled with lit and the core left out).
import * as esbuild from 'esbuild';
import {gzipSync} from 'node:zlib';
import {buildBundle} from './build-bundle.mjs';

const gz = (bytes) => gzipSync(bytes, {level: 9}).length;
const print = (line) => console.log(JSON.stringify(line));
const BUNDLE_AIM = 30_000;

const bundle = await buildBundle({outdir: '.size-tmp', write: false});
let total = 0;
for (const file of bundle.outputFiles.filter((f) => f.path.endsWith('.js'))) {
  const name = file.path.split('.size-tmp/')[1];
  const gzip = gz(file.contents);
  total += gzip;
  const main = name === 'moneysocket-elements.js';
  print({bench: main ? 'bundle.main' : 'bundle.chunk', file: name, unit: 'bytes', value: gzip, min_bytes: file.contents.length, ...(main ? {aim: BUNDLE_AIM, within_aim: gzip <= BUNDLE_AIM} : {lazy: true})});
}
print({bench: 'bundle.total', unit: 'bytes', value: total, note: 'main file plus every lazy chunk'});

// An element's own code: lit, the protocol core and the stacks are shared, so they are left out.
const shared = /^(lit|@lit\/|lit-html|lit-element|@noble\/|@scure\/|qr-scanner|@paulmillr\/)/;
for (const tag of ['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display']) {
  const result = await esbuild.build({
    entryPoints: [`src/elements/${tag}.ts`],
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
  print({bench: 'element.own', element: tag, unit: 'bytes', value: gz(code), min_bytes: code.length});
}
