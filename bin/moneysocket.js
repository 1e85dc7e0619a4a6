#!/usr/bin/env node
// The `moneysocket` command. An installed package runs its compiled dist/. A
// fresh clone has no dist/ until `npm run build` (or `npm test`): there it runs
// src/ through tsx, a dev dependency, and without that says what to run.
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const built = new URL('../dist/src/cli/main.js', import.meta.url);
const {main} = existsSync(built) ? await import(built.href) : await fromSource();
process.exitCode = await main(process.argv.slice(2));

async function fromSource() {
  try {
    const {register} = await import('tsx/esm/api');
    register();
  } catch {
    const root = fileURLToPath(new URL('..', import.meta.url));
    process.stderr.write(`error NOT_BUILT: moneysocket is not built: run "npm install && npm run build" in ${root}\n`);
    process.exit(1);
  }
  return import(new URL('../src/cli/main.ts', import.meta.url).href);
}
