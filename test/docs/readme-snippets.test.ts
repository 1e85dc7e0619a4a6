/**
 * Every TypeScript snippet (```ts and ```tsx) in the README compiles under the project's strict
 * tsconfig, against the types the package publishes: each snippet imports
 * `moneysocket-elements/…` by name, which resolves through package.json's
 * `exports` to dist/ (`npm test` builds it first), as it does for a reader who
 * copies it. Names a snippet assumes (the reader's own stack, layers or
 * beacon) come from the small prelude below, and only from it. A snippet may
 * opt out with a visible marker on the line above it and a reason:
 * `<!-- snippet: not type-checked: <reason> -->`.
 */
import {expect} from 'chai';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const workDir = join(root, '.tmp/readme-snippets');
const OPT_OUT = /^<!-- snippet: not type-checked: (.+\S) -->$/;

/** Names the README's snippets assume, declared as globals (a snippet's own declarations shadow them). */
export const PRELUDE = `
declare const consumerStack: import('moneysocket-elements/stack').ConsumerStack;
declare const beacon: string;
declare const catalogServer: import('moneysocket-elements/stack').Layer;
declare const catalogClient: import('moneysocket-elements/stack').Layer;
`;

export interface Snippet {
  /** The README line of the opening fence (1-based). */
  line: number;
  /** The file extension it compiles as: ts, or tsx for JSX. */
  extension: 'ts' | 'tsx';
  code: string;
  /** The reason given by an opt-out marker, if any. */
  optOut: string | undefined;
}

/** The ```ts, ```typescript and ```tsx blocks of a Markdown text, with the marker above each, if any. */
export function typeScriptSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript|tsx)\s*$/.exec(lines[i]!);
    if (fence === null) continue;
    const end = lines.findIndex((text, j) => j > i && /^```\s*$/.test(text));
    if (end === -1) throw new Error(`README.md:${i + 1}: the code block never closes`);
    const above = lines.slice(0, i).reverse().find((text) => text.trim() !== '') ?? '';
    const extension = fence[1] === 'tsx' ? 'tsx' : 'ts';
    snippets.push({line: i + 1, extension, code: lines.slice(i + 1, end).join('\n'), optOut: OPT_OUT.exec(above.trim())?.[1]});
    i = end;
  }
  return snippets;
}

/** Compiles the snippets together, one module each; returns the diagnostics as `README.md:<line>: TS<code> <text>`. */
function compile(files: Map<string, Snippet>): string[] {
  const configPath = join(workDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }})!;
  expect(parsed.options.strict, 'strict mode').to.equal(true);
  const program = ts.createProgram({rootNames: parsed.fileNames, options: parsed.options});
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
    const snippet = d.file === undefined ? undefined : files.get(d.file.fileName);
    if (d.file === undefined || snippet === undefined) return `${d.file?.fileName ?? 'tsconfig'}: TS${d.code} ${text}`;
    const {line} = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `README.md:${snippet.line + 1 + line}: TS${d.code} ${text}`;
  });
}

describe('the README’s TypeScript snippets', function () {
  this.timeout(180_000);
  let snippets: Snippet[];

  before(async () => {
    snippets = typeScriptSnippets(await readFile(join(root, 'README.md'), 'utf8'));
    // The snippets import the package by name, which resolves to its built types.
    if (!existsSync(join(root, 'dist/src/index.d.ts'))) await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], {cwd: root});
  });

  it('finds the snippets, none of them empty', () => {
    expect(snippets.length).to.be.greaterThan(3);
    for (const snippet of snippets) expect(snippet.code.trim(), `README.md:${snippet.line}`).not.to.equal('');
  });

  it('compile under the project’s strict tsconfig against the published types', async () => {
    await rm(workDir, {recursive: true, force: true});
    await mkdir(workDir, {recursive: true});
    const files = new Map<string, Snippet>();
    for (const snippet of snippets.filter((s) => s.optOut === undefined)) {
      const file = join(workDir, `readme-line-${snippet.line}.${snippet.extension}`);
      // `export {}` keeps every snippet a module of its own, where top-level await is allowed.
      await writeFile(file, `${snippet.code}\nexport {};\n`);
      files.set(file.split('\\').join('/'), snippet);
    }
    await writeFile(join(workDir, 'prelude.d.ts'), PRELUDE);
    const tsconfig = {
      extends: '../../tsconfig.json',
      // A snippet may declare what the reader goes on to use, so unused names are allowed; strictness is not relaxed.
      compilerOptions: {strict: true, noUnusedLocals: false, noUnusedParameters: false, types: ['node']},
      include: ['*.ts', '*.tsx'],
    };
    await writeFile(join(workDir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const diagnostics = compile(files);
    expect(diagnostics, diagnostics.join('\n')).to.deep.equal([]);
    expect(files.size).to.equal(snippets.filter((s) => s.optOut === undefined).length);
  });

  it('would catch a snippet that does not type-check (the socket factory TS2322 of old, here with a wrong handler)', async () => {
    const bad: Snippet = {line: 1, extension: 'ts', optOut: undefined, code: [
      "import {ConsumerStack} from 'moneysocket-elements/stack';",
      'const socket = {binaryType: "", readyState: 0, send() {}, close() {}, onopen: null, onclose: null, onerror: null,',
      '  onmessage: null as ((event: number) => void) | null};',
      'new ConsumerStack({webSocket: () => socket});',
    ].join('\n')};
    await rm(workDir, {recursive: true, force: true});
    await mkdir(workDir, {recursive: true});
    const file = join(workDir, 'bad.ts');
    await writeFile(file, `${bad.code}\nexport {};\n`);
    await writeFile(join(workDir, 'tsconfig.json'), JSON.stringify({extends: '../../tsconfig.json', compilerOptions: {types: ['node']}, include: ['*.ts']}));
    const diagnostics = compile(new Map([[file, bad]]));
    expect(diagnostics.join('\n')).to.match(/^README\.md:5: TS2322 /);
  });

  it('recognises the opt-out marker only with a reason', () => {
    const marked = typeScriptSnippets('<!-- snippet: not type-checked: needs a browser extension -->\n```ts\nx\n```\n\n```ts\ny\n```\n');
    expect(marked.map((s) => s.optOut)).to.deep.equal(['needs a browser extension', undefined]);
    expect(typeScriptSnippets('<!-- snippet: not type-checked:  -->\n```ts\nx\n```\n')[0]!.optOut).to.equal(undefined);
  });
});
