// Reads Stryker's incremental report (test/mutation/stryker-incremental.json):
// shared by `npm run mutation` (scripts/mutation.mjs), which prints the scores,
// and by `npm test` (scripts/mutation-check.mjs), which checks the report is current.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const REPORT = 'test/mutation/stryker-incremental.json';
/** The score the issue asks for, on every module (stryker.config.mjs thresholds.high). */
export const AIM = 90;
/**
 * In scope, and required by the check once run, but not yet in the committed
 * report (none now: the stack's first run completed on 2026-12-01).
 * `npm run mutation -- --mutate 'src/core/stack/<file>.ts'` adds a file.
 */
export const PENDING = [];
/**
 * In scope but holding only types and re-exports: Stryker makes no mutant in
 * them, so they never appear in its report. Whoever adds code to one takes it
 * off this list and runs `npm run mutation -- --mutate <file>`.
 */
export const NOTHING_TO_MUTATE = ['src/core/stack/engine.ts', 'src/core/stack/index.ts', 'src/core/stack/layer.ts', 'src/core/stack/wallet-backend.ts'];
/** Each remaining survivor, with the reason it is left: file:line, mutator, one-line reason. */
export const EQUIVALENTS = 'test/mutation/equivalents.md';

// Stryker's definitions: detected = killed or timed out; compile errors do not count.
const DETECTED = new Set(['Killed', 'Timeout']);
export const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** The incremental report, or undefined when none is committed. */
export function readReport() {
  const path = join(ROOT, REPORT);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Per-file counts and score; score is null for a file with no valid mutants. */
export function scores(report) {
  return Object.entries(report.files)
    .map(([file, {mutants}]) => {
      const count = (set) => mutants.filter((m) => set.has(m.status)).length;
      const detected = count(DETECTED);
      const undetected = count(UNDETECTED);
      const survivors = mutants.filter((m) => UNDETECTED.has(m.status));
      const valid = detected + undetected;
      return {file, mutants: mutants.length, detected, undetected, survivors, score: valid === 0 ? null : (100 * detected) / valid};
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** The overall score: detected over valid mutants across all files. */
export function total(rows) {
  const detected = rows.reduce((n, r) => n + r.detected, 0);
  const valid = rows.reduce((n, r) => n + r.detected + r.undetected, 0);
  return valid === 0 ? null : (100 * detected) / valid;
}

export function formatTable(rows) {
  const pct = (s) => (s === null ? 'n/a' : `${s.toFixed(2)}%`);
  const lines = rows.map((r) => `${r.file.padEnd(44)} ${pct(r.score).padStart(8)}  ${String(r.detected).padStart(5)} detected  ${String(r.undetected).padStart(4)} undetected`);
  lines.push(`${'all files'.padEnd(44)} ${pct(total(rows)).padStart(8)}`);
  return lines.join('\n');
}

// The glob subset stryker.config.mjs uses: `**` + `/` for any directories, `*` within a name.
export function globToRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  // eslint-disable-next-line no-control-regex -- \u0000 stands for "**/" while * is replaced
  return new RegExp(`^${escaped.replace(/\*\*\//g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '(?:.*/)?')}$`);
}

/** True if `file` (relative, with /) matches one of the mutate patterns (stryker.config.mjs MUTATE). */
export function inScope(file, patterns) {
  return patterns.some((p) => globToRegExp(p).test(file));
}

/** Every file under src/ that a MUTATE pattern selects, relative and with /. */
export function scopeFiles(patterns, dir = 'src') {
  const out = [];
  for (const entry of readdirSync(join(ROOT, dir), {withFileTypes: true})) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...scopeFiles(patterns, rel));
    else if (inScope(rel, patterns)) out.push(rel);
  }
  return out.sort();
}

/** The survivors the equivalents list explains, as "file:line Mutator" keys. */
export function listedEquivalents() {
  const path = join(ROOT, EQUIVALENTS);
  if (!existsSync(path)) return new Set();
  const keys = new Set();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\|\s*`?(src\/[^\s:`]+):(\d+)(?::\d+)?`?\s*\|\s*(\w+)\s*\|/.exec(line);
    if (m) keys.add(`${m[1]}:${m[2]} ${m[3]}`);
  }
  return keys;
}

export function survivorKey(file, mutant) {
  return `${file}:${mutant.location.start.line} ${mutant.mutatorName}`;
}

/**
 * Puts the files of a partial run's report (`--mutate`) into the committed one,
 * replacing what it held for them. Test ids are per report, so every test is
 * given a new id, by file and name, and the mutants' references follow.
 */
export function mergeReport(base, partial) {
  const ids = new Map();
  const testFiles = {};
  const remap = (report) => {
    const local = new Map();
    for (const [file, {tests, source}] of Object.entries(report.testFiles ?? {})) {
      const entry = (testFiles[file] ??= {tests: [], source});
      if (report === partial) entry.source = source;
      for (const test of tests) {
        const key = `${file}\u0000${test.name}`;
        if (!ids.has(key)) {
          ids.set(key, String(ids.size));
          entry.tests.push({...test, id: ids.get(key)});
        }
        local.set(test.id, ids.get(key));
      }
    }
    return (list) => list?.map((id) => local.get(id)).filter((id) => id !== undefined);
  };
  const files = {};
  for (const report of [base, partial]) {
    const map = remap(report);
    for (const [file, data] of Object.entries(report.files)) {
      // Replaced by the partial run, or a module since deleted or renamed.
      if (report === base && (file in partial.files || !existsSync(join(ROOT, file)))) continue;
      files[file] = {...data, mutants: data.mutants.map((m) => ({...m, coveredBy: map(m.coveredBy), killedBy: map(m.killedBy)}))};
    }
  }
  return {...partial, files, testFiles};
}

export function writeReport(report) {
  writeFileSync(join(ROOT, REPORT), JSON.stringify(report));
}
