/**
 * Builds the Vue and Svelte demos (demo/vue, demo/svelte) with Vite into
 * demo/.build/vue/ and demo/.build/svelte/. Both use `base: './'`, so any
 * static server that serves demo/ shows them at /.build/vue/ and /.build/svelte/.
 * Run: `npx tsx scripts/build-framework-demos.ts`, or call `buildFrameworkDemos()`.
 */
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'vite';

const demo = fileURLToPath(new URL('../demo/', import.meta.url));

export const FRAMEWORK_DEMOS = ['vue', 'svelte'] as const;

/** Builds both demos; resolves with their output directories. */
export async function buildFrameworkDemos(options: {quiet?: boolean} = {}): Promise<string[]> {
  const outDirs: string[] = [];
  for (const name of FRAMEWORK_DEMOS) {
    await build({configFile: join(demo, name, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info'});
    outDirs.push(join(demo, '.build', name));
  }
  return outDirs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDirs = await buildFrameworkDemos();
  console.log(`framework demos built: ${outDirs.join(', ')}`);
}
