/** Bundles the pages' scripts with esbuild, in memory, once per server start. */
import {build} from 'esbuild';
import {relative, resolve} from 'node:path';

export interface BuiltFile {
  contents: Uint8Array;
  type: string;
}

/** The page scripts, by the name their bundle is served under (/build/<name>.js). */
const ENTRY_POINTS = {wallet: 'wallet.ts', app: 'app.ts', elements: 'elements.ts', 'webln-app': 'webln-app.ts', index: 'index.ts', bare: 'bare.ts'};

/** Resolves with every output file keyed by its URL path (`/build/wallet.js`, its map, shared chunks). */
export async function bundlePages(demoDir: string, tsconfig: string): Promise<Map<string, BuiltFile>> {
  const outdir = resolve(demoDir, '.build'); // only names the outputs: nothing is written
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, resolve(demoDir, file)])),
    outdir,
    bundle: true,
    // Splitting keeps qr-scanner (loaded on first camera use) and the shared elements in their own chunks.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'linked',
    // The project's tsconfig carries the legacy-decorator settings Lit's decorators need.
    tsconfig,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    logLevel: 'silent',
  });
  const files = new Map<string, BuiltFile>();
  for (const file of result.outputFiles) {
    const path = '/build/' + relative(outdir, file.path).split('\\').join('/');
    files.set(path, {contents: file.contents, type: file.path.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8'});
  }
  return files;
}
