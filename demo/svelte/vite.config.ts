// Builds the Svelte demo to demo/.build/svelte/, served by the demo server at /.build/svelte/.
import {fileURLToPath} from 'node:url';
import {svelte} from '@sveltejs/vite-plugin-svelte';
import {defineConfig} from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {outDir: '../.build/svelte', emptyOutDir: true},
});
