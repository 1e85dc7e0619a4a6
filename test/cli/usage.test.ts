/**
 * The command as a newcomer meets it: `--version`, one clean error line for a
 * flag a command does not know (on every command), and a hint at `--seed`
 * when `frame decode` is given an encrypted frame without one. Run through
 * bin/moneysocket.js in a child process, as a person runs it.
 */
import {expect} from 'chai';
import {execFile} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {encodeFrame} from '../../src/core/frame.js';
import {createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {hex} from '../vectors.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const {version} = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {version: string};

async function moneysocket(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run('node', [`${root}bin/moneysocket.js`, ...args], {cwd: root, timeout: 30_000});
    return {code: 0, stdout, stderr};
  } catch (e) {
    const err = e as {code: number; stdout: string; stderr: string};
    return {code: err.code, stdout: err.stdout, stderr: err.stderr};
  }
}

/** Exit 1, nothing on stdout, exactly `line` on stderr: no stack trace, no Node wording. */
function expectCleanError(r: {code: number; stdout: string; stderr: string}, line: string | RegExp): void {
  expect(r.code, r.stderr).to.equal(1);
  expect(r.stdout).to.equal('');
  const lines = r.stderr.split('\n').filter((text) => text !== '');
  expect(lines, r.stderr).to.have.length(1);
  if (typeof line === 'string') expect(lines[0]).to.equal(line);
  else expect(lines[0]).to.match(line);
}

describe('moneysocket: version, unknown flags and hints', function () {
  this.timeout(60_000);

  before(async function () {
    if (!existsSync(`${root}dist/src/cli/main.js`)) {
      this.timeout(180_000);
      await run('npx', ['tsc', '-p', 'tsconfig.build.json'], {cwd: root});
    }
  });

  for (const flag of ['--version', '-v']) {
    it(`${flag} prints the package's version and exits 0`, async () => {
      const r = await moneysocket(flag);
      expect(r).to.deep.equal({code: 0, stdout: `${version}\n`, stderr: ''});
    });
  }

  it('lists --version in its help', async () => {
    expect((await moneysocket('--help')).stdout).to.match(/-v, --version +print the version/);
  });

  const unknown: Array<[string[], string]> = [
    [['--foo'], 'moneysocket'],
    [['beacon', '--foo'], 'beacon'],
    [['beacon', 'new', '--foo', '--ws', 'ws://127.0.0.1:11060'], 'beacon new'],
    [['beacon', 'encode', '--foo=1', '--seed', '00'.repeat(16), '--ws', 'ws://127.0.0.1:11060'], 'beacon encode'],
    [['beacon', 'decode', '--foo', 'moneysocket1x'], 'beacon decode'],
    [['frame', '--foo'], 'frame'],
    [['frame', 'decode', '--foo', '00'], 'frame decode'],
    [['relay', '--foo'], 'relay'],
  ];
  for (const [args, command] of unknown) {
    it(`refuses an unknown flag in one line: moneysocket ${args.join(' ')}`, async () => {
      expectCleanError(await moneysocket(...args), `error INVALID_ARGUMENT: unknown option --foo for "${command}"`);
    });
  }

  it('refuses a flag of another subcommand instead of ignoring it', async () => {
    expectCleanError(await moneysocket('beacon', 'decode', '--ws', 'ws://127.0.0.1:1', 'x'), 'error INVALID_ARGUMENT: unknown option --ws for "beacon decode"');
  });

  it('says which option lacks its value, and which takes none', async () => {
    expectCleanError(await moneysocket('beacon', 'encode', '--ws', 'ws://127.0.0.1:1', '--seed'), 'error INVALID_ARGUMENT: option --seed needs a value for "beacon encode"');
    expectCleanError(await moneysocket('relay', '--port'), 'error INVALID_ARGUMENT: option --port needs a value for "relay"');
    expectCleanError(await moneysocket('frame', 'decode', '--help=yes'), 'error INVALID_ARGUMENT: option --help takes no value for "frame decode"');
  });

  it('frame decode without --seed on an encrypted frame points at --seed and where the seed comes from', async () => {
    const seed = SharedSeed.generate();
    const frame = encodeFrame(createRequest('REQUEST_PING', {}), seed);
    if (!frame.ok) throw frame.error;
    const r = await moneysocket('frame', 'decode', hex(frame.value));
    expectCleanError(r, /^error FRAME_NO_SEED: this frame is encrypted: give the shared seed with --seed <32 hex> \("moneysocket beacon decode <beacon>" prints it as shared_seed\)$/);
    const decoded = await moneysocket('frame', 'decode', '--seed', seed.toHex(), hex(frame.value));
    expect(decoded.code, decoded.stderr).to.equal(0);
    expect(JSON.parse(decoded.stdout)).to.include({request_name: 'REQUEST_PING'});
  });
});
