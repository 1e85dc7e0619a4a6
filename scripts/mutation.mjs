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
//   npm run mutation -- --mutate a.ts,b   only those files (globs, or file:lines); their results
//                                         replace theirs in the committed report, the rest is kept
// Other arguments go to `stryker run` as they are.
//
// Stryker's incremental mode re-tests a mutant when its code or the tests that
// covered it change. A survivor that only a new test kills is not re-tested;
// neither is any static mutant (one run while modules load), which no test
// covers. --retest-survivors forgets the survivors' results first, and the
// timeouts', which a busy machine can cause.
import {spawn} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {AIM, formatTable, inScope, mergeReport, readReport, REPORT, ROOT, scores, total, UNDETECTED, writeReport} from './mutation-report.mjs';

const PARTIAL = 'reports/mutation/partial-incremental.json';

const RETEST = new Set([...UNDETECTED, 'Timeout']);

/**
 * Drops survivors and timeouts from the committed incremental report, so Stryker
 * runs them again; with --mutate, only in the files it names (Stryker carries the
 * other files' results over as they are, so forgetting theirs would lose them).
 */
function forgetSurvivors(argv) {
  const report = readReport();
  if (report === undefined) return 0;
  const at = argv.findIndex((a) => a === '--mutate' || a.startsWith('--mutate='));
  const list = at < 0 ? undefined : (argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1]) ?? '';
  const patterns = list?.split(',').map((p) => p.replace(/:[\d-]+$/, ''));
  let dropped = 0;
  for (const [name, file] of Object.entries(report.files)) {
    if (patterns !== undefined && !inScope(name, patterns)) continue;
    const kept = file.mutants.filter((m) => !RETEST.has(m.status));
    dropped += file.mutants.length - kept.length;
    file.mutants = kept;
  }
  writeReport(report);
  return dropped;
}

/**
 * A run over part of the scope starts from a copy of the committed report, since
 * Stryker writes back only the files it mutated; they are merged in afterwards.
 */
function strykerArgs(argv) {
  const args = [...argv];
  if (!args.includes('--mutate') && !args.some((a) => a.startsWith('--mutate='))) return {args, partial: false};
  mkdirSync(join(ROOT, 'reports/mutation'), {recursive: true});
  if (existsSync(join(ROOT, REPORT))) copyFileSync(join(ROOT, REPORT), join(ROOT, PARTIAL));
  return {args: [...args, '--incrementalFile', PARTIAL], partial: true};
}

const argv = process.argv.slice(2);
const retest = argv.indexOf('--retest-survivors');
if (retest >= 0) {
  argv.splice(retest, 1);
  console.log(`forgot ${forgetSurvivors(argv)} survivor and timeout result(s) in ${REPORT}: they are tested again`);
}
const {args, partial} = strykerArgs(argv);
const started = Date.now();
console.log(`npx stryker run ${args.join(' ')}`);
const code = await new Promise((resolve) => {
  const child = spawn('npx', ['stryker', 'run', ...args], {stdio: 'inherit'});
  child.on('close', (c) => resolve(c ?? 1));
});
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nstryker exited with ${code} after ${minutes} min (wall clock)`);
if (code === 0 && partial) {
  const base = readReport();
  const part = JSON.parse(readFileSync(join(ROOT, PARTIAL), 'utf8'));
  writeReport(base === undefined ? part : mergeReport(base, part));
  console.log(`merged the results for ${Object.keys(part.files).length} file(s) into ${REPORT}`);
}
if (code === 0) {
  const rows = scores(readReport());
  console.log(`\nScores from ${REPORT} (aim: ${AIM}% per module):\n${formatTable(rows)}`);
  console.log(`\nCommit ${REPORT} with the change it measured; npm test checks it is current.`);
  if ((total(rows) ?? 0) < AIM) process.exitCode = 1;
}
process.exitCode ||= code;
