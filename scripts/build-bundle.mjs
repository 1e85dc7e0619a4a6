#!/usr/bin/env node
// The browser build: dist/browser/moneysocket-elements.js, one ES module a
// plain HTML page loads with one <script type="module">, lit and every other
// dependency bundled in. What only some pages need, or not before the first
// paint (the QR scanner and its worker, the WebLN code of <ms-consumer>.webln,
// the stacks' session engine), is split into chunks next to it, fetched on
// first use. dist/browser/bridges.js is the bridges entry
// (`moneysocket-elements/bridges`) for such pages, sharing that code.
//
// The main file is one file: it imports no chunk. esbuild puts code that the
// main file shares with a lazy chunk (or with bridges.js) into a chunk of its
// own, which the main file would then import statically, as one more
// request before anything runs. So the build is done twice: esbuild splits,
// then the chunks the main file imports are bundled into it again, it
// re-exports what they exported, and the files that imported those chunks
// import the main file instead (which a page has always loaded by then).
import * as esbuild from 'esbuild';
import {mkdirSync, writeFileSync} from 'node:fs';
import {basename, dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

// The classes with all four tags registered: a page that loads the bundle just uses the tags.
export const BUNDLE_ENTRY = 'src/elements/define/index.ts';
export const BRIDGES_ENTRY = 'src/bridges/index.ts';
export const BUNDLE_OUTDIR = 'dist/browser';
const MAIN = 'moneysocket-elements';

const COMMON = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Lit's production build: no dev-mode warnings in the shipped bundle.
  conditions: ['production'],
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
};

/**
 * Builds the bundle; with `write`, to `outdir` (with source maps). Returns
 * esbuild's result for the merged files: `outputFiles` and, with `metafile`,
 * a metafile whose main output lists every input bundled into it. `merge:
 * false` returns esbuild's split build as it is (the size report reads its
 * per-module comments). Other options are passed to esbuild.
 */
export async function buildBundle({outdir = BUNDLE_OUTDIR, write = true, metafile = false, merge = true, ...esbuildOptions} = {}) {
  const split = await esbuild.build({
    ...COMMON,
    entryPoints: {[MAIN]: BUNDLE_ENTRY, bridges: BRIDGES_ENTRY},
    splitting: true,
    outdir,
    write: false,
    metafile: true,
    sourcemap: write ? 'linked' : false,
    chunkNames: 'chunks/[name]-[hash]',
    ...esbuildOptions,
  });
  if (!merge) return split;
  const merged = await mergeStaticChunks(split, outdir, write, esbuildOptions);
  if (write) {
    for (const file of merged.outputFiles) {
      mkdirSync(dirname(file.path), {recursive: true});
      writeFileSync(file.path, file.contents);
    }
  }
  return {...merged, metafile: metafile ? merged.metafile : undefined};
}

/** Output files keyed by their path relative to the working directory, as the metafile names them. */
function byMetaPath(outputFiles) {
  return new Map(outputFiles.map((file) => [relative(process.cwd(), file.path), file]));
}

async function mergeStaticChunks(split, outdir, write, esbuildOptions) {
  const files = byMetaPath(split.outputFiles);
  const outputs = split.metafile.outputs;
  const mainPath = Object.keys(outputs).find((path) => outputs[path].entryPoint === BUNDLE_ENTRY);
  const statics = staticClosure(outputs, mainPath);
  statics.delete(mainPath);
  const mergedMain = await bundleMain(mainPath, statics, files, outputs, write, esbuildOptions);

  const outputFiles = [];
  const metaOutputs = {};
  for (const [path, output] of Object.entries(outputs)) {
    if (statics.has(path) || statics.has(path.replace(/\.map$/, ''))) continue;
    if (path === mainPath || path === `${mainPath}.map`) continue;
    const file = files.get(path);
    const text = path.endsWith('.js') ? pointAtMain(file.text, path, mainPath, statics, outputs) : file.text;
    outputFiles.push(outputFile(file.path, text));
    metaOutputs[path] = {
      ...output,
      imports: output.imports.map((i) => (statics.has(i.path) ? {...i, path: mainPath} : i)).filter(uniqueImport()),
    };
  }
  outputFiles.push(...mergedMain.outputFiles);
  metaOutputs[mainPath] = {
    ...outputs[mainPath],
    bytes: mergedMain.code.length,
    imports: outputs[mainPath].imports.filter((i) => !statics.has(i.path)),
    inputs: Object.assign({}, ...[mainPath, ...statics].map((path) => outputs[path].inputs)),
  };
  return {outputFiles, metafile: {inputs: split.metafile.inputs, outputs: metaOutputs}, errors: [], warnings: []};
}

/** `start` and every chunk it imports statically, transitively. */
export function staticClosure(outputs, start) {
  const seen = new Set();
  const todo = [start];
  while (todo.length > 0) {
    const next = todo.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    for (const i of outputs[next].imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  return seen;
}

/**
 * The names the main file re-exports merged chunks' exports by, short and
 * unique (chunks minify their export names alike): `$0`, `$1`, … never
 * clash with the main file's own, public, names.
 */
function exportNames(statics, outputs) {
  const names = new Map();
  for (const path of statics) for (const name of outputs[path].exports) names.set(`${path}|${name}`, `$${names.size.toString(36)}`);
  return (path, name) => names.get(`${path}|${name}`);
}

/**
 * The main file with its static chunks bundled in, re-exporting each
 * chunk's exports under `exportedAs` names for the files that imported them.
 */
async function bundleMain(mainPath, statics, files, outputs, write, esbuildOptions) {
  const absolute = (path) => resolve(path);
  const source = (path) => {
    const file = files.get(path);
    const map = files.get(`${path}.map`);
    if (map === undefined) return file.text;
    // Each input carries its own source map (its sources made relative to the
    // main file, where esbuild reads them from), so the merged map points at the sources.
    const parsed = JSON.parse(map.text);
    parsed.sources = parsed.sources.map((source) => relative(dirname(mainPath), resolve(dirname(path), source)));
    const code = file.text.replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
    return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(parsed)).toString('base64')}\n`;
  };
  const exportedAs = exportNames(statics, outputs);
  const reexports = [...statics].map((path) => {
    const names = outputs[path].exports.map((name) => `${name} as ${exportedAs(path, name)}`);
    return `export {${names.join(', ')}} from ${JSON.stringify(`./${relative(dirname(mainPath), path)}`)};`;
  });
  const result = await esbuild.build({
    ...COMMON,
    ...esbuildOptions,
    stdin: {contents: `${source(mainPath)}\n${reexports.join('\n')}\n`, resolveDir: absolute(dirname(mainPath)), sourcefile: basename(mainPath)},
    outfile: mainPath,
    write: false,
    metafile: false,
    sourcemap: write ? 'linked' : false,
    plugins: [{
      name: 'main-and-its-chunks',
      setup(build) {
        build.onResolve({filter: /^\.\.?\//}, (args) => {
          const path = relative(process.cwd(), resolve(args.resolveDir, args.path));
          // Lazy chunks stay where they are, imported on first use (from the main file's directory now).
          if (!statics.has(path)) return {path: `./${relative(dirname(mainPath), path)}`, external: true};
          return {path: absolute(path), namespace: 'chunk'};
        });
        build.onLoad({filter: /.*/, namespace: 'chunk'}, (args) => ({
          contents: source(relative(process.cwd(), args.path)),
          loader: 'js',
          resolveDir: dirname(args.path),
        }));
      },
    }],
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).contents;
  return {outputFiles: result.outputFiles, code};
}

/**
 * Points a file's imports of merged chunks at the main file, under the
 * names the main file re-exports them by. esbuild writes these clauses in
 * one form: `import{a as b,c}from"./chunk-X.js"` (or `export{…}from`, or a
 * bare `import"./chunk-X.js"`).
 */
function pointAtMain(text, path, mainPath, statics, outputs) {
  const exportedAs = exportNames(statics, outputs);
  const relativeRef = (target) => `./${relative(dirname(path), target)}`.replace(/^\.\/\.\.\//, '../');
  const toMain = JSON.stringify(relativeRef(mainPath));
  let out = text;
  for (const chunk of statics) {
    const ref = JSON.stringify(relativeRef(chunk));
    const clause = new RegExp(`\\b(import|export)\\{([^}]*)\\}from${escape(ref)}`, 'g');
    out = out.replace(clause, (_, keyword, specs) => {
      const renamed = specs.split(',').filter(Boolean).map((spec) => {
        const [imported, local = imported] = spec.split(' as ');
        return `${exportedAs(chunk, imported)} as ${local}`;
      });
      return `${keyword}{${renamed.join(',')}}from${toMain}`;
    });
    out = out.split(`import${ref}`).join(`import${toMain}`);
    if (out.includes(ref)) throw new Error(`build-bundle: ${path} refers to the merged chunk ${chunk} in a form this build does not rewrite`);
  }
  return out;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function uniqueImport() {
  const seen = new Set();
  return (i) => {
    const key = `${i.kind}|${i.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

function outputFile(path, text) {
  const contents = Buffer.from(text);
  return {path, contents, get text() {
    return text;
  }};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundle();
  console.log(`built ${join(BUNDLE_OUTDIR, `${MAIN}.js`)}`);
}
