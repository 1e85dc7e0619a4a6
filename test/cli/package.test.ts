/**
 * The package as people get it. `npm pack` makes the tarball a registry would
 * serve: its package.json runs nothing on install (no `prepare` needing files
 * it does not ship), and it ships what its `exports` and `bin` name. The
 * tarball is then installed into a project of its own, offline, with the
 * dependencies taken from npm's cache as the repository's lockfile pins them,
 * and its `moneysocket` runs there. Last, a fresh clone (no dist/): the bin
 * runs from src/ once `npm install` is done, and says what to run before.
 */
import {expect} from 'chai';
import {execFile} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {cp, mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {decodeBeacon} from '../../src/core/beacon.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

interface PackageJson {
  name: string;
  version: string;
  license: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
  exports: Record<string, string | {types: string; default: string}>;
  dependencies: Record<string, string>;
  engines: Record<string, string>;
}

interface LockEntry {
  dev?: boolean;
  link?: boolean;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
/** npm runs these when a package is installed (prepare: from a folder or git). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare'];

async function exec(cmd: string, args: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run(cmd, args, {cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024});
    return {code: 0, stdout, stderr};
  } catch (e) {
    const err = e as {code: number; stdout: string; stderr: string};
    return {code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e)};
  }
}

/**
 * A lockfile for a project that depends on the tarball alone: the tarball's
 * entry, and the repository's own entries for what it needs at run time (the
 * non-dev ones), so `npm ci --offline` takes each from npm's cache.
 */
function lockFor(tarball: string, integrity: string): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>};
  const packages: Record<string, object> = {
    '': {name: 'packed-install', version: '1.0.0', dependencies: {[pkg.name]: `file:${tarball}`}},
    [`node_modules/${pkg.name}`]: {
      version: pkg.version, resolved: `file:${tarball}`, integrity, license: pkg.license,
      dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.link) packages[path] = entry;
  }
  return {name: 'packed-install', version: '1.0.0', lockfileVersion: 3, requires: true, packages};
}

describe('the packed package, installed', function () {
  this.timeout(300_000);
  let work: string;
  let tarball: string;
  let files: string[];
  let packed: PackageJson;

  before(async () => {
    if (!existsSync(join(root, 'dist/src/cli/main.js')) || !existsSync(join(root, 'dist/browser/moneysocket-elements.js'))) {
      await run('npm', ['run', 'build'], {cwd: root});
    }
    // Outside the repository, so nothing resolves from its node_modules by walking up.
    work = await mkdtemp(join(tmpdir(), 'moneysocket-pack-'));
    // --ignore-scripts: prepack would build again; dist/ is built (npm test builds first).
    const r = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root);
    expect(r.code, r.stderr).to.equal(0);
    const [info] = JSON.parse(r.stdout) as Array<{filename: string; integrity: string; files: Array<{path: string}>}>;
    tarball = info!.filename;
    files = info!.files.map((file) => file.path);
    const x = await exec('tar', ['-xzf', tarball, '-C', work, 'package/package.json'], work);
    expect(x.code, x.stderr).to.equal(0);
    packed = JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8')) as PackageJson;
    await writeFile(join(work, 'package.json'), JSON.stringify({name: 'packed-install', version: '1.0.0', private: true, dependencies: {[pkg.name]: `file:${tarball}`}}));
    await writeFile(join(work, 'package-lock.json'), JSON.stringify(lockFor(tarball, info!.integrity)));
  });

  after(async () => {
    if (work) await rm(work, {recursive: true, force: true});
  });

  it('carries no script that npm runs on install, so nothing needs files it does not ship', () => {
    expect(Object.keys(packed.scripts).filter((name) => INSTALL_SCRIPTS.includes(name))).to.deep.equal([]);
    expect(Object.keys(pkg.scripts).filter((name) => INSTALL_SCRIPTS.includes(name)), 'the repository’s package.json').to.deep.equal([]);
    // Building belongs to packing (prepack runs on `npm pack` and `npm publish`, never on install).
    expect(packed.scripts['prepack']).to.equal('npm run build');
  });

  it('ships every file its exports map and bin name, the browser build, the licence and the protocol', () => {
    const targets = Object.values(pkg.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default]));
    const wanted = [...targets, ...Object.values(pkg.bin)].map((path) => path.replace(/^\.\//, ''));
    expect(wanted.filter((path) => !files.includes(path))).to.deep.equal([]);
    expect(files).to.include.members([
      'dist/browser/moneysocket-elements.js', 'dist/browser/bridges.js', 'dist/browser/testing.js',
      'LICENSE', 'README.md', 'docs/PROTOCOL.md', 'custom-elements.json',
    ]);
    expect(files.some((path) => path.startsWith('dist/browser/chunks/'))).to.equal(true);
    expect(files.filter((path) => /^(test|scripts|demo|bench|\.ci)\//.test(path))).to.deep.equal([]);
  });

  it('installs offline from npm’s cache, with no install script run, and its moneysocket works', async () => {
    const install = await exec('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], work);
    expect(install.code, install.stderr).to.equal(0);
    const bin = join(work, 'node_modules/.bin/moneysocket');
    expect(await exec(bin, ['--version'], work)).to.deep.equal({code: 0, stdout: `${pkg.version}\n`, stderr: ''});
    const made = await exec(bin, ['beacon', 'new', '--ws', 'ws://127.0.0.1:11060'], work);
    expect(made.code, made.stderr).to.equal(0);
    expect(decodeBeacon(made.stdout.trim()).ok).to.equal(true);
    expectCleanError(await exec(bin, ['beacon', 'new', '--foo'], work), 'error INVALID_ARGUMENT: unknown option --foo for "beacon new"');
  });

  it('resolves its Node entries by name in the installed project, with only what it ships and its dependencies', async () => {
    const entries = ['core', 'stack', 'bolt11', 'currencies', 'relay', 'bridges', 'testing'].map((name) => `${pkg.name}/${name}`);
    const script = `for (const name of ${JSON.stringify(entries)}) { const m = await import(name); if (Object.keys(m).length === 0) throw new Error(name); }
      const {startRelay} = await import('${pkg.name}/relay');
      const relay = await startRelay({host: '127.0.0.1', port: 0, log: () => {}});
      console.log(relay.url.startsWith('ws://127.0.0.1:'));
      await relay.close();`;
    const r = await exec('node', ['--input-type=module', '-e', script], work);
    expect(r, r.stderr).to.deep.equal({code: 0, stdout: 'true\n', stderr: ''});
  });
});

describe('moneysocket in a fresh clone (no dist/)', function () {
  this.timeout(120_000);
  // A fixed folder: npx keeps one cache entry per project folder.
  const clone = join(tmpdir(), 'moneysocket-fresh-clone');

  before(async () => {
    await rm(clone, {recursive: true, force: true});
    await mkdir(clone);
    for (const entry of ['bin', 'src', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      await cp(join(root, entry), join(clone, entry), {recursive: true});
    }
  });

  after(() => rm(clone, {recursive: true, force: true}));

  it('says exactly what to run before npm install', async () => {
    expectCleanError(await exec('node', ['bin/moneysocket.js', '--version'], clone), `error NOT_BUILT: moneysocket is not built: run "npm install && npm run build" in ${clone}/`);
  });

  it('runs from src/ after npm install (node_modules here), as node bin/moneysocket.js and as npx moneysocket', async () => {
    await symlink(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
    expect(existsSync(join(clone, 'dist'))).to.equal(false);
    expect(await exec('node', ['bin/moneysocket.js', '--version'], clone)).to.deep.equal({code: 0, stdout: `${pkg.version}\n`, stderr: ''});
    const npx = await exec('npx', ['--offline', 'moneysocket', '--version'], clone);
    expect(npx, npx.stderr).to.deep.equal({code: 0, stdout: `${pkg.version}\n`, stderr: ''});
    expect(existsSync(join(clone, 'dist')), 'npx built nothing').to.equal(false);
  });
});

function expectCleanError(r: {code: number; stdout: string; stderr: string}, line: string): void {
  expect(r.code, r.stderr).to.equal(1);
  expect(r.stdout).to.equal('');
  expect(r.stderr).to.equal(`${line}\n`);
}
