// Builds the Vue demo to demo/.build/vue/, served by the demo server at /.build/vue/.
import {fileURLToPath} from 'node:url';
import vue from '@vitejs/plugin-vue';
import {defineConfig} from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [vue({template: {compilerOptions: {isCustomElement: (tag) => tag.startsWith('ms-')}}})],
  build: {outDir: '../.build/vue', emptyOutDir: true},
});
