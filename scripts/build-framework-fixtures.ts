/**
 * Compiles the framework test fixtures (test/frameworks/*-fixture) with Vite:
 * one ES module each in .build/frameworks/, with the Vue, Svelte or React
 * runtime bundled in and the elements left out. React's JSX needs no plugin:
 * Vite compiles .tsx itself, with React 17+'s automatic runtime. Run: `npx tsx scripts/build-framework-fixtures.ts`.
 */
import {rm} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {svelte} from '@sveltejs/vite-plugin-svelte';
import vue from '@vitejs/plugin-vue';
import {build, type Plugin, type PluginOption} from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, '.build/frameworks');
const elementsDir = join(root, 'src/elements/');
const elementsEntry = join(elementsDir, 'index.ts');
/**
 * The URL at which web-test-runner serves the test page's own copy of the
 * elements: its esbuild plugin rewrites the test's `../../src/elements/index.js`
 * to `.ts`. Same URL, same module: the tags are registered once.
 */
export const ELEMENTS_URL = '/src/elements/index.ts';

const isCustomElement = (tag: string) => tag.startsWith('ms-');

/** Keeps the elements out of the bundle: their entry becomes an absolute external URL; deeper imports are refused. */
function elementsExternal(): Plugin {
  return {
    name: 'moneysocket-elements-external',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (importer === undefined) return null;
      const resolved = await this.resolve(source, importer, {...options, skipSelf: true});
      if (resolved?.id === elementsEntry) return {id: ELEMENTS_URL, external: 'absolute'};
      if (resolved?.id.startsWith(elementsDir)) this.error(`${importer}: import the elements through src/elements/index.js, not ${source}`);
      return null;
    },
  };
}

async function buildFixture(name: string, plugin: PluginOption | undefined, entry = 'entry.ts'): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    mode: 'production',
    plugins: [elementsExternal(), plugin],
    oxc: {jsx: {runtime: 'automatic', importSource: 'react'}},
    // Library mode leaves `process.env` alone; Vue's runtime reads NODE_ENV.
    define: {'process.env.NODE_ENV': JSON.stringify('production')},
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false,
      lib: {entry: join(root, `test/frameworks/${name}/${entry}`), formats: ['es'], fileName: () => `${name}.js`},
    },
  });
}

export async function buildFrameworkFixtures(): Promise<void> {
  await rm(outDir, {recursive: true, force: true});
  await buildFixture('vue-fixture', vue({template: {compilerOptions: {isCustomElement}}}));
  await buildFixture('svelte-fixture', svelte());
  await buildFixture('react-fixture', undefined, 'entry.tsx');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildFrameworkFixtures();
  console.log(`framework fixtures built in ${outDir}`);
}
