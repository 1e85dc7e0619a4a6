#!/usr/bin/env node
// The package's public surface, as a user sees it: every entry of the
// `exports` map, imported by package name from dist/ (so through the map
// itself), with each exported name and its kind. Values come from the module
// as Node loads it, types from the entry's declaration file; the two must
// agree on the values. Prints JSON; `--write` (`npm run api:update`) records
// it in test/api/exports.json, which test/api/exports.test.ts compares.
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const REPORT_FILE = 'test/api/exports.json';
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/** Each entry of the exports map but package.json, with its declaration file. */
function entries() {
  return Object.entries(pkg.exports)
    .filter(([entry]) => entry !== './package.json')
    .map(([entry, target]) => ({entry, specifier: pkg.name + entry.slice(1), types: `${root}${target.types.slice(2)}`}));
}

/** Whether a re-export chain passes through `export type {…}`: a class so exported is a type only. */
function typeOnly(checker, symbol) {
  for (let s = symbol; s !== undefined && s.flags & ts.SymbolFlags.Alias; s = checker.getImmediateAliasedSymbol(s)) {
    const exported = (s.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
    if (exported) return true;
  }
  return false;
}

/** The kind of an exported symbol, from its declaration. */
function kindOf(checker, symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const f = target.flags;
  const value = f & ts.SymbolFlags.Class ? 'class' : f & ts.SymbolFlags.Function ? 'function' : f & ts.SymbolFlags.Enum ? 'enum' : f & ts.SymbolFlags.Variable ? 'const' : undefined;
  if (value !== undefined) return typeOnly(checker, symbol) ? `${value} (type only)` : value;
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}

function declaredExports(list) {
  const program = ts.createProgram(list.map((e) => e.types), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  return new Map(list.map(({entry, types}) => {
    const file = program.getSourceFile(types);
    if (file === undefined) throw new Error(`${entry}: ${types} is missing; run npm run build first`);
    const module = checker.getSymbolAtLocation(file);
    const names = module === undefined ? [] : checker.getExportsOfModule(module);
    return [entry, new Map(names.map((s) => [s.name, kindOf(checker, s)]))];
  }));
}

const VALUE_KINDS = new Set(['class', 'function', 'enum', 'const']);

export async function apiReport() {
  const list = entries();
  const declared = declaredExports(list);
  const report = {};
  const problems = [];
  for (const {entry, specifier} of list) {
    const loaded = await import(specifier);
    const kinds = declared.get(entry);
    const runtime = Object.keys(loaded);
    const values = [...kinds].filter(([, kind]) => VALUE_KINDS.has(kind)).map(([name]) => name);
    for (const name of runtime) if (!values.includes(name)) problems.push(`${entry}: ${name} is exported at run time but not declared`);
    for (const name of values) if (!runtime.includes(name)) problems.push(`${entry}: ${name} is declared but not exported at run time`);
    report[entry] = Object.fromEntries([...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = `${JSON.stringify(await apiReport(), null, 2)}\n`;
  if (process.argv.includes('--write')) {
    writeFileSync(`${root}${REPORT_FILE}`, text);
    console.log(`wrote ${REPORT_FILE}`);
  } else {
    process.stdout.write(text);
  }
}
