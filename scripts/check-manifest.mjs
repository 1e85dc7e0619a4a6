#!/usr/bin/env node
// Fails when custom-elements.json is not what the analyzer makes of src/
// today, so the committed manifest (which editors and framework tooling
// read) never drifts from the elements. `npm run manifest` regenerates it.
import {execFileSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';

// The analyzer takes --outdir relative to the working directory, even when absolute.
const out = '.cem-check';
try {
  execFileSync('npx', ['cem', 'analyze', '--outdir', out], {stdio: 'ignore'});
  const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
  const committed = readFileSync('custom-elements.json', 'utf8');
  if (fresh !== committed) {
    console.error('custom-elements.json is out of date: run `npm run manifest` and commit it');
    process.exit(1);
  }
  console.log('custom-elements.json is current');
  // The README's element reference is generated from it too.
  execFileSync('node', ['scripts/elements-doc.mjs', '--check'], {stdio: 'inherit'});
} finally {
  rmSync(out, {recursive: true, force: true});
}
