#!/usr/bin/env node
// `npm test`: type check, Node tests, then the browser tests in headless Chromium.
// web-test-runner and mocha each print their own summary; this prints one
// combined "N passed, N failed" line at the end, which CI reads.
import {spawn} from 'node:child_process';
import {ensureSystemTools, missingToolsMessage} from './system-tools.mjs';

const steps = [
  {name: 'build', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.build.json']},
  {name: 'typecheck', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.json', '--noEmit']},
  // src/core with ES2022 and src/core/platform.d.ts alone: no DOM, no Node.
  {name: 'core platform rule', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.core.json']},
  {name: 'lint', cmd: 'npx', args: ['eslint', '.']},
  {name: 'browser bundle', cmd: 'node', args: ['scripts/build-bundle.mjs']},
  {name: 'custom-elements.json is current', cmd: 'node', args: ['scripts/check-manifest.mjs']},
  {name: 'framework fixtures', cmd: 'npx', args: ['tsx', 'scripts/build-framework-fixtures.ts']},
  {name: 'node tests', cmd: 'npx', args: ['mocha'], parse: parseMocha},
  {name: 'browser tests', cmd: 'npx', args: ['web-test-runner'], parse: parseWtr},
  {name: 'mutation report is current and at the aim', cmd: 'node', args: ['scripts/mutation-check.mjs', '--strict']},
];

function run(step) {
  return new Promise((resolve) => {
    console.log(`\n=== ${step.name}: ${step.cmd} ${step.args.join(' ')}`);
    const child = spawn(step.cmd, step.args, {stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    const forward = (stream, target) =>
      stream.on('data', (chunk) => {
        output += chunk;
        target.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code) => resolve({code: code ?? 1, output}));
  });
}

function parseMocha(output) {
  const passed = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
  const failed = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
  return {passed, failed};
}

function parseWtr(output) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC (\u001b), which is what this strips
  const plain = output.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  const all = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)];
  const last = all.at(-1);
  return {passed: Number(last?.[1] ?? 0), failed: Number(last?.[2] ?? 0)};
}

// Chromium, redis-server and openssl: installed here as root on Debian, or a stop with the exact command to run.
const missing = ensureSystemTools();
if (missing.length > 0) {
  console.error(missingToolsMessage(missing));
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let exitCode = 0;
for (const step of steps) {
  const {code, output} = await run(step);
  if (step.parse) {
    const counts = step.parse(output);
    passed += counts.passed;
    failed += counts.failed;
  }
  if (code !== 0) {
    console.error(`\n${step.name} failed with exit code ${code}`);
    exitCode = 1;
    // A failed build or type check makes the test counts meaningless: count it and stop.
    if (!step.parse) {
      failed += 1;
      break;
    }
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode);
