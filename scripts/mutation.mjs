#!/usr/bin/env node
// `npm run mutation`: StrykerJS over the safety-critical modules (stryker.config.mjs),
// incremental against the committed test/mutation/stryker-incremental.json, then
// the score of each module. HTML and JSON reports go to reports/mutation/.
//
//   npm run mutation                      the whole scope; only what changed is re-run
//   npm run mutation -- --force           every mutant again (a full run)
//   npm run mutation -- --retest-survivors
//                                         also re-test survivors and timeouts: after adding tests,
//                                         or after a run on a loaded machine (see below)
//   npm run mutation -- --mutate a.ts,b   an exploratory run; its incremental file goes to
//                                         reports/ so the committed one keeps the whole scope
// Other arguments go to `stryker run` as they are.
//
// Stryker's incremental mode re-tests a mutant when its code or the tests that
// covered it change. A survivor that only a new test kills is not re-tested;
// neither is any static mutant (one run while modules load), which no test
// covers. --retest-survivors forgets the survivors' results first, and the
// timeouts', which a busy machine can cause.
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {AIM, formatTable, readReport, REPORT, ROOT, scores, total, UNDETECTED} from './mutation-report.mjs';

const RETEST = new Set([...UNDETECTED, 'Timeout']);

/** Drops survivors and timeouts from the committed incremental report, so Stryker runs them again. */
function forgetSurvivors() {
  const report = readReport();
  if (report === undefined) return 0;
  let dropped = 0;
  for (const file of Object.values(report.files)) {
    const kept = file.mutants.filter((m) => !RETEST.has(m.status));
    dropped += file.mutants.length - kept.length;
    file.mutants = kept;
  }
  writeFileSync(join(ROOT, REPORT), JSON.stringify(report));
  return dropped;
}

function strykerArgs(argv) {
  const args = [...argv];
  if (args.includes('--mutate') || args.some((a) => a.startsWith('--mutate='))) {
    return {args: [...args, '--incrementalFile', 'reports/mutation/partial-incremental.json'], committed: false};
  }
  return {args, committed: true};
}

const argv = process.argv.slice(2);
const retest = argv.indexOf('--retest-survivors');
if (retest >= 0) {
  argv.splice(retest, 1);
  console.log(`forgot ${forgetSurvivors()} survivor and timeout result(s) in ${REPORT}: they are tested again`);
}
const {args, committed} = strykerArgs(argv);
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
