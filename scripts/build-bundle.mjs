#!/usr/bin/env node
// The browser build: dist/browser/moneysocket-elements.js, one ES module a
// plain HTML page loads with one <script type="module">, lit and every other
// dependency bundled in. What only some pages need (the QR scanner and its
// worker, the WebLN code of <ms-consumer>.webln) is split into chunks next to
// it, fetched on first use. dist/browser/bridges.js is the bridges entry
// (`moneysocket-elements/bridges`) for such pages, sharing those chunks.
import * as esbuild from 'esbuild';
import {fileURLToPath} from 'node:url';

// The classes with every tag registered: a page that loads the bundle just uses the tags.
export const BUNDLE_ENTRY = 'src/elements/define/index.ts';
export const BRIDGES_ENTRY = 'src/bridges/index.ts';
export const BUNDLE_OUTDIR = 'dist/browser';

export async function buildBundle({outdir = BUNDLE_OUTDIR, write = true, metafile = false} = {}) {
  return esbuild.build({
    entryPoints: {'moneysocket-elements': BUNDLE_ENTRY, bridges: BRIDGES_ENTRY},
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: write,
    outdir,
    write,
    metafile,
    chunkNames: 'chunks/[name]-[hash]',
    // Lit's production build: no dev-mode warnings in the shipped bundle.
    conditions: ['production'],
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundle();
  console.log(`built ${BUNDLE_OUTDIR}/moneysocket-elements.js`);
}
