#!/usr/bin/env node
// `npm run mutation`: StrykerJS over the safety-critical modules (stryker.config.mjs),
// incremental against the committed test/mutation/stryker-incremental.json, then
// the score of each module. HTML and JSON reports go to reports/mutation/.
//
//   npm run mutation                      the whole scope; only what changed is re-run
//   npm run mutation -- --force           every mutant again (a full run)
//   npm run mutation -- --without-stack   everything but src/core/stack/** (PENDING in mutation-report.mjs)
//   npm run mutation -- --mutate a.ts,b   an exploratory run; its incremental file goes to
//                                         reports/ so the committed one keeps the whole scope
// Other arguments go to `stryker run` as they are.
import {spawn} from 'node:child_process';
import {MUTATE} from '../stryker.config.mjs';
import {AIM, formatTable, readReport, REPORT, scores, STACK, total} from './mutation-report.mjs';

function strykerArgs(argv) {
  const args = [...argv];
  const without = args.indexOf('--without-stack');
  if (without >= 0) {
    args.splice(without, 1, '--mutate', MUTATE.filter((p) => p !== STACK).join(','));
    return {args, committed: true};
  }
  if (args.includes('--mutate') || args.some((a) => a.startsWith('--mutate='))) {
    return {args: [...args, '--incrementalFile', 'reports/mutation/partial-incremental.json'], committed: false};
  }
  return {args, committed: true};
}

const {args, committed} = strykerArgs(process.argv.slice(2));
const started = Date.now();
console.log(`npx stryker run ${args.join(' ')}`);
const code = await new Promise((resolve) => {
  const child = spawn('npx', ['stryker', 'run', ...args], {stdio: 'inherit'});
  child.on('close', (c) => resolve(c ?? 1));
});
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nstryker exited with ${code} after ${minutes} min (wall clock)`);
if (code === 0 && committed) {
  const rows = scores(readReport());
  console.log(`\nScores from ${REPORT} (aim: ${AIM}% per module):\n${formatTable(rows)}`);
  console.log(`\nCommit ${REPORT} with the change it measured; npm test checks it is current.`);
  if ((total(rows) ?? 0) < AIM) process.exitCode = 1;
}
process.exitCode ||= code;
