/**
 * Node checks of how the package is cut (run by mocha, not in the browser):
 * every export-map entry has its source, `sideEffects` lists exactly the
 * modules that do something when imported, and a bundler given the classes
 * alone registers nothing while one given a define module registers its tag.
 */
import {expect} from 'chai';
import * as esbuild from 'esbuild';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | {types: string; default: string}>;
  sideEffects: string[];
};
const TAGS = ['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display', 'ms-payment'];

/** `./dist/src/x/y.js` (or `.d.ts`) → `src/x/y.ts`: tsc compiles one to the other. */
const sourceOf = (target: string) => target.replace(/^\.\/dist\//, '').replace(/(\.d)?\.ts$|\.js$/, '.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), {withFileTypes: true}).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A statement run on import: anything at the top level but imports with bindings, exports and declarations. */
function runsOnImport(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement)) return statement.importClause === undefined; // `import './x.js'`
  return !(
    ts.isExportDeclaration(statement) ||
    ts.isExportAssignment(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isFunctionDeclaration(statement) ||
    ts.isVariableStatement(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement)
  );
}

function hasSideEffects(path: string): boolean {
  const source = ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.ES2022, false);
  return source.statements.some(runsOnImport);
}

/** package.json `sideEffects` globs: `*` matches within one path segment. */
function matches(glob: string, path: string): boolean {
  const pattern = glob.replace(/^\.\//, '').split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${pattern}$`).test(path);
}

async function bundle(contents: string): Promise<string> {
  const result = await esbuild.build({
    stdin: {contents, resolveDir: root, loader: 'ts'},
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    conditions: ['production'],
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** `'ms-x': CustomEvent<…>` lines of the global event map in src/elements/events.ts. */
function declaredEvents(): Map<string, string> {
  const text = readFileSync(join(root, 'src/elements/events.ts'), 'utf8');
  const block = /interface GlobalEventHandlersEventMap \{([^}]*)\}/.exec(text)?.[1] ?? '';
  return new Map([...block.matchAll(/'(ms-[a-z-]+)': (CustomEvent<.+>);/g)].map((m) => [m[1]!, m[2]!]));
}

describe('custom-elements.json', () => {
  it('gives every event the CustomEvent type declared on GlobalEventHandlersEventMap', () => {
    const declared = declaredEvents();
    expect(declared.size).to.equal(17);
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as {
      modules: {declarations?: {tagName?: string; events?: {name: string; type?: {text: string}}[]}[]}[];
    };
    const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
    expect(elements.map((d) => d.tagName).sort()).to.deep.equal([...TAGS].sort());
    for (const element of elements) {
      for (const event of element.events ?? []) {
        expect(event.type?.text, `${element.tagName} ${event.name}`).to.equal(declared.get(event.name));
      }
    }
  });
});

describe('package.json', function () {
  this.timeout(60_000);

  it('maps ./define and one ./define/<tag> per element to the registration modules', () => {
    expect(pkg.exports['./define']).to.deep.equal({types: './dist/src/elements/define/index.d.ts', default: './dist/src/elements/define/index.js'});
    for (const tag of TAGS) {
      expect(pkg.exports[`./define/${tag}`], tag).to.deep.equal({
        types: `./dist/src/elements/define/${tag}.d.ts`,
        default: `./dist/src/elements/define/${tag}.js`,
      });
    }
  });

  it('has a source file for every export-map entry', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (entry === './package.json') continue;
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        expect(existsSync(join(root, sourceOf(file))), `${entry}: ${sourceOf(file)}`).to.equal(true);
      }
    }
  });

  it('lists in sideEffects exactly the modules that run code on import, in src and dist form', () => {
    const effectful = sourceFiles('src').filter(hasSideEffects).sort();
    const sourceGlobs = pkg.sideEffects.filter((g) => g.startsWith('./src/'));
    const listed = sourceFiles('src').filter((path) => sourceGlobs.some((glob) => matches(glob, path))).sort();
    expect(listed).to.deep.equal(effectful);
    expect(effectful).to.include.members(['src/index.ts', 'src/elements/define/index.ts', ...TAGS.map((t) => `src/elements/define/${t}.ts`)]);
    // The compiled forms, plus the browser bundle (which registers everything).
    const distGlobs = pkg.sideEffects.filter((g) => !g.startsWith('./src/'));
    expect(distGlobs.sort()).to.deep.equal([...sourceGlobs.map((g) => g.replace(/^\.\/src\//, './dist/src/').replace(/\.ts$/, '.js')), './dist/browser/*.js'].sort());
  });

  it('lets a bundler drop the registration when only the classes are imported', async () => {
    const classes = await bundle(`import {MsConsumer, MsProvider} from './src/elements/index.ts'; console.log(MsConsumer, MsProvider);`);
    for (const tag of TAGS) expect(classes, tag).to.not.include(`"${tag}"`);
    expect(classes).to.not.include('customElements.define');
    expect(await bundle(`import './src/elements/index.ts';`)).to.equal('');
  });

  it('keeps the registration of a define module imported for its side effect alone', async () => {
    const one = await bundle(`import './src/elements/define/ms-provider.ts';`);
    expect(one).to.include('"ms-provider"');
    for (const tag of TAGS.filter((t) => t !== 'ms-provider')) expect(one, tag).to.not.include(`"${tag}"`);
    const all = await bundle(`import './src/elements/define/index.ts';`);
    const main = await bundle(`import './src/index.ts';`);
    for (const tag of TAGS) {
      expect(all, tag).to.include(`"${tag}"`);
      expect(main, tag).to.include(`"${tag}"`);
    }
  });
});
