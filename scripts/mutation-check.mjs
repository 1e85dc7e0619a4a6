#!/usr/bin/env node
// A step of `npm test`: the committed mutation report is current. A full
// Stryker run does not fit CI on 2 cores (README, "Mutation testing"), so CI
// checks instead that every mutated module is byte-identical to the source the
// committed incremental report measured, that the report still reaches the aim,
// and that each survivor it holds is explained in the equivalents list.
// Fails with the command that refreshes the report.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {MUTATE} from '../stryker.config.mjs';
import {
  AIM,
  EQUIVALENTS,
  formatTable,
  inScope,
  listedEquivalents,
  NOTHING_TO_MUTATE,
  PENDING,
  readReport,
  REPORT,
  ROOT,
  scopeFiles,
  scores,
  survivorKey,
} from './mutation-report.mjs';

const REFRESH = 'npm run mutation';
/**
 * `--strict` (what npm test runs) also fails on a module below the aim and on a survivor not explained in the
 * equivalents list. Without it, those are only printed as open work: for a look at a report mid-way through.
 */
const STRICT = process.argv.includes('--strict');
const problems = [];
const open = [];
const report = readReport();
if (report === undefined) {
  console.error(`no ${REPORT}: run \`${REFRESH}\` and commit it`);
  process.exit(1);
}

const reported = new Set(Object.keys(report.files));
const pending = [];
for (const file of scopeFiles(MUTATE)) {
  if (NOTHING_TO_MUTATE.includes(file)) continue;
  if (!reported.has(file)) {
    if (inScope(file, PENDING)) pending.push(file);
    else problems.push(`${file} is in scope but was never mutation-tested`);
  } else if (readFileSync(join(ROOT, file), 'utf8') !== report.files[file].source) {
    problems.push(`${file} changed since the report was made`);
  }
}
for (const file of reported) {
  if (!inScope(file, MUTATE)) problems.push(`${file} is in the report but no longer in scope (stryker.config.mjs MUTATE)`);
}

const rows = scores(report);
for (const row of rows) {
  if (row.score !== null && row.score < AIM) (STRICT ? problems : open).push(`${row.file} scores ${row.score.toFixed(2)}%, below the ${AIM}% aim`);
}
const listed = listedEquivalents();
for (const row of rows) {
  for (const mutant of row.survivors) {
    const key = survivorKey(row.file, mutant);
    if (!listed.has(key)) (STRICT ? problems : open).push(`survivor ${key} (${JSON.stringify(mutant.replacement ?? '')}) is not explained in ${EQUIVALENTS}`);
  }
}

console.log(formatTable(rows));
if (pending.length > 0) console.log(`\nNOT YET MUTATION-TESTED (PENDING in scripts/mutation-report.mjs): ${pending.join(', ')}`);
if (open.length > 0) console.log(`\nOPEN (short of the ${AIM}% aim; \`node scripts/mutation-check.mjs --strict\` fails on these):\n  ${open.join('\n  ')}`);
if (problems.length > 0) {
  console.error(`\nThe committed mutation report is stale or short of the aim:\n  ${problems.join('\n  ')}`);
  console.error(`\nRefresh it with \`${REFRESH}\` (incremental: only what changed is re-run), kill or explain the survivors, and commit ${REPORT}.`);
  process.exit(1);
}
console.log(`\n${REPORT} is current for all ${reported.size} mutated module(s).`);
