#!/usr/bin/env node
// The browser build: dist/browser/moneysocket-elements.js, one ES module a
// plain HTML page loads with one <script type="module">, lit and every other
// dependency bundled in. What only some pages need, or not before the first
// paint (the QR scanner and its worker, the QR encoder, the WebLN and NWC code,
// the signature check, the stacks' session engine), is split into chunks/ next
// to it, fetched on first use. dist/browser/bridges.js is the
// bridges entry (`moneysocket-elements/bridges`) and dist/browser/testing.js the
// testing one (`moneysocket-elements/testing`) for such pages, sharing code with
// the main file.
//
// The main file imports no chunk statically: a page that copies it and forgets
// chunks/ still gets working elements. esbuild puts code shared by the main file
// and a lazy chunk (or another entry) into shared chunks that the main file
// imports; a second pass folds those into the main file, which exports their
// bindings, and leaves each shared chunk as a one-line re-export from the main
// file, so every other file still gets the same module instances (one
// MoneysocketError class, one set of element classes).
import * as esbuild from 'esbuild';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {basename, dirname, isAbsolute, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {minify as terser} from 'terser';

// The classes with every tag registered: a page that loads the bundle just uses the tags.
export const BUNDLE_ENTRY = 'src/elements/define/index.ts';
export const BRIDGES_ENTRY = 'src/bridges/index.ts';
export const TESTING_ENTRY = 'src/testing/index.ts';
export const BUNDLE_OUTDIR = 'dist/browser';
const MAIN = 'moneysocket-elements';

/**
 * Builds the bundle; with `write`, to `outdir` (emptied first, with source
 * maps). Returns esbuild's result with, without `write`, the folded
 * `outputFiles` and, with `metafile`, a metafile whose main output lists every
 * input folded into it. `merge: false` returns esbuild's split build as it is,
 * without the second pass (the size report reads its per-module comments).
 * Other options are passed to esbuild's first pass.
 */
export async function buildBundle({outdir = BUNDLE_OUTDIR, write = true, metafile = false, merge = true, ...esbuildOptions} = {}) {
  const split = await esbuild.build({
    entryPoints: {[MAIN]: BUNDLE_ENTRY, bridges: BRIDGES_ENTRY, testing: TESTING_ENTRY},
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: write,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    // Lit's production build: no dev-mode warnings in the shipped bundle.
    conditions: ['production'],
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
    // Kept where they are, so that the second pass gathers them at the end of each file once.
    legalComments: 'inline',
    ...esbuildOptions,
    plugins: [minifiedLitCss, base64Apart, ...(esbuildOptions.plugins ?? [])],
    write: false,
    metafile: true,
  });
  if (!merge) return split;
  const folded = await foldStaticChunks(split, outdir, write);
  if (write) {
    await rm(outdir, {recursive: true, force: true}); // no chunk of an earlier build is left to be copied
    for (const file of folded.outputFiles) {
      await mkdir(dirname(file.path), {recursive: true});
      await writeFile(file.path, file.contents);
    }
  }
  return {...split, outputFiles: write ? undefined : folded.outputFiles, metafile: metafile ? folded.metafile : undefined};
}

/**
 * The CSS of the elements' `css` templates, minified as esbuild minifies a
 * stylesheet (esbuild leaves template literals as they are written). Only
 * templates with no `${…}`, backslash or backtick in them are touched; the
 * elements have no other kind.
 */
const minifiedLitCss = {
  name: 'minified-lit-css',
  setup(build) {
    build.onLoad({filter: /[\\/]src[\\/]elements[\\/].*\.ts$/}, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('css`')) return undefined;
      let out = '';
      let last = 0;
      for (const match of text.matchAll(/\bcss`([^`$\\]*)`/g)) {
        const {code} = await esbuild.transform(match[1], {loader: 'css', minify: true, charset: 'utf8', logLevel: 'error'});
        // An escape esbuild wrote would mean something else inside a template literal: keep the original then.
        const css = /[`\\]|\$\{/.test(code) ? match[1] : code.trim();
        out += `${text.slice(last, match.index)}css\`${css}\``;
        last = match.index + match[0].length;
      }
      return {contents: out + text.slice(last), loader: 'ts'};
    });
  },
};

/**
 * `src/core/preimage.ts` (the preimage check, reached only by lazy chunks:
 * the session engine and `<ms-payment>`'s invoice code) gets an instance of
 * `@scure/base` of its own. esbuild gives each module to one chunk whole, so
 * the instance the main file needs for beacons' bech32 would also carry the
 * base64 codecs only preimages use, and the main file would carry them too
 * (0.6 kB gzipped). @scure/base keeps no state (its codecs are frozen
 * objects), so two instances behave as one; the lazy chunks carry its shared
 * helpers twice instead.
 */
const base64Apart = {
  name: 'base64-apart',
  setup(build) {
    build.onResolve({filter: /^@scure\/base$/}, async (args) => {
      if (!/[\\/]src[\\/]core[\\/]preimage\.ts$/.test(args.importer)) return undefined;
      const resolved = await build.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir});
      return resolved.errors.length > 0 ? {errors: resolved.errors} : {path: resolved.path, suffix: '?preimage'};
    });
  },
};

/** The output `key` (a metafile path) and every chunk it imports statically, transitively. */
export function staticClosure(outputs, key) {
  const seen = new Set();
  const todo = [key];
  while (todo.length > 0) {
    const next = todo.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    for (const i of outputs[next].imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  return seen;
}

/** Folds the chunks the main file imports statically into it; see the comment at the top. */
async function foldStaticChunks(split, outdir, sourcemap) {
  const cwd = process.cwd();
  const outputs = split.metafile.outputs;
  const mainKey = Object.keys(outputs).find((key) => outputs[key].entryPoint === BUNDLE_ENTRY);
  const shared = [...staticClosure(outputs, mainKey)].filter((key) => key !== mainKey);
  if (shared.length === 0) return split;
  const abs = (key) => resolve(cwd, key);
  const byPath = new Map(split.outputFiles.map((file) => [file.path, file]));
  const folded = new Set([mainKey, ...shared].map(abs));
  for (const path of folded) {
    if (byPath.get(path).text.includes('import.meta')) throw new Error(`${path} uses import.meta, which moving it into the main file would change`);
  }

  // The main file's exports, then every binding of the shared chunks under a name of its own: `$`, the
  // chunk's index and esbuild's (minified) name, which never starts with a digit, so no two collide, and no
  // public name starts with `$`. Short, because the main file spells each one out in its export list.
  const alias = (index, name) => `$${index}${name}`;
  const entry = [
    `export * from './${MAIN}.js';`,
    ...shared.map((key, index) => `export {${outputs[key].exports.map((name) => `${name} as ${alias(index, name)}`).join(', ')}} from './${relative(abs(outdir), abs(key)).split('\\').join('/')}';`),
  ].join('\n');
  const mainPath = abs(mainKey);
  const pass = await esbuild.build({
    stdin: {contents: entry, resolveDir: abs(outdir), sourcefile: `${MAIN}.entry.js`, loader: 'js'},
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap,
    outfile: mainPath,
    write: false,
    metafile: true,
    logLevel: 'warning',
    // Every page loads the main file, and no browser reads its license comments: they go to
    // moneysocket-elements.js.LEGAL.txt beside it, which the file names in one comment.
    legalComments: 'linked',
    plugins: [splitFiles(byPath, folded, abs(outdir))],
  });

  const stubs = shared.map((key, index) => {
    const from = relative(dirname(abs(key)), mainPath).split('\\').join('/');
    const names = outputs[key].exports.map((name) => `${alias(index, name)} as ${name}`).join(',');
    return {key, text: `export{${names}}from"${from.startsWith('.') ? from : `./${from}`}";\n`};
  });
  const replaced = new Set([mainPath, `${mainPath}.map`, ...shared.flatMap((key) => [abs(key), `${abs(key)}.map`])]);
  const main = await squeezeMain(pass.outputFiles, mainPath);
  const outputFiles = [
    ...split.outputFiles.filter((file) => !replaced.has(file.path)),
    ...main,
    ...stubs.map(({key, text}) => outputFile(abs(key), new TextEncoder().encode(text))),
  ];
  return {outputFiles, metafile: foldedMetafile(split.metafile, pass, main[0].contents.length, mainKey, shared, stubs)};
}

/** How terser minifies the main file after esbuild (and how `npm run size` minifies `./core` to compare). */
export const TERSER_OPTIONS = {module: true, ecma: 2022, compress: {passes: 2}, format: {comments: 'some'}};

/**
 * The main file, which every page loads, minified once more by terser
 * (two compress passes), which finds about 3 % that esbuild leaves; its
 * source map is chained, so it still points at src/. The comment naming the
 * LEGAL.txt file stays, and that file is passed on.
 */
async function squeezeMain(passFiles, mainPath) {
  const code = passFiles.find((file) => file.path.endsWith('.js')).text;
  const map = passFiles.find((file) => file.path.endsWith('.map'));
  const result = await terser(code, {
    ...TERSER_OPTIONS,
    sourceMap: map && {content: new TextDecoder().decode(relativeSources(map)), url: `${basename(mainPath)}.map`, includeSources: true},
  });
  const files = [outputFile(mainPath, new TextEncoder().encode(result.code))];
  if (map) files.push(outputFile(map.path, new TextEncoder().encode(result.map)));
  return [...files, ...passFiles.filter((file) => file.path.endsWith('.LEGAL.txt'))];
}

/** An output file as esbuild describes one (path, contents, text). */
function outputFile(path, contents) {
  return {path, contents, get text() {
    return new TextDecoder().decode(contents);
  }};
}

/** The folded file's source map, with its sources relative to it as esbuild writes them (not absolute, not `first-pass:`). */
function relativeSources(mapFile) {
  const json = JSON.parse(new TextDecoder().decode(mapFile.contents));
  json.sources = json.sources.map((source) => {
    const path = source.replace(/^first-pass:/, '');
    return isAbsolute(path) ? relative(dirname(mapFile.path), path).split('\\').join('/') : path;
  });
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Serves the first pass's files from memory; anything else (the lazy chunks) stays an import of the output. */
function splitFiles(byPath, folded, outdir) {
  return {
    name: 'first-pass-files',
    setup(build) {
      build.onResolve({filter: /.*/}, (args) => {
        const path = isAbsolute(args.path) ? args.path : resolve(args.resolveDir, args.path);
        if (folded.has(path)) return {path, namespace: 'first-pass'};
        if (byPath.has(path)) return {path: `./${relative(outdir, path).split('\\').join('/')}`, external: true};
        return {errors: [{text: `${args.path} is not an output of the first pass`}]};
      });
      build.onLoad({filter: /.*/, namespace: 'first-pass'}, (args) => {
        const map = byPath.get(`${args.path}.map`);
        let contents = byPath.get(args.path).text;
        // Chain the first pass's source map (its sources made absolute), so the folded file still maps to src/.
        if (map) {
          const json = JSON.parse(map.text);
          json.sources = json.sources.map((source) => resolve(dirname(map.path), source));
          const inline = Buffer.from(JSON.stringify(json)).toString('base64');
          contents = contents.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=data:application/json;base64,${inline}\n`);
        }
        return {contents, loader: 'js', resolveDir: dirname(args.path)};
      });
    },
  };
}

/** The first pass's metafile, told that the main file now holds the shared chunks' inputs and they re-export it. */
function foldedMetafile(metafile, pass, mainBytes, mainKey, shared, stubs) {
  const outputs = {...metafile.outputs};
  const passMain = Object.entries(pass.metafile.outputs).find(([key]) => key.endsWith('.js'))[1];
  const folded = [mainKey, ...shared];
  const imports = folded.flatMap((key) => outputs[key].imports).filter((i) => !folded.includes(i.path));
  outputs[mainKey] = {
    ...outputs[mainKey],
    bytes: mainBytes,
    imports: [...new Map(imports.map((i) => [`${i.kind} ${i.path}`, i])).values()],
    exports: passMain.exports,
    inputs: Object.assign({}, ...folded.map((key) => outputs[key].inputs)),
  };
  for (const {key, text} of stubs) {
    outputs[key] = {...outputs[key], bytes: text.length, inputs: {}, imports: [{path: mainKey, kind: 'import-statement', external: false}]};
    delete outputs[`${key}.map`];
  }
  return {...metafile, outputs};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundle();
  console.log(`built ${join(BUNDLE_OUTDIR, `${MAIN}.js`)}, ${join(BUNDLE_OUTDIR, 'bridges.js')}, ${join(BUNDLE_OUTDIR, 'testing.js')} and ${join(BUNDLE_OUTDIR, 'chunks/')}`);
}
