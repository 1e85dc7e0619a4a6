/** `npm run fuzz`: the decoders take 10,000 fuzzed inputs each without a throw, and the script keeps its contract. */
import {expect} from 'chai';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {fuzz, type FuzzTarget} from '../../scripts/fuzz-engine.js';
import {DECODER_TARGETS} from '../../scripts/fuzz-targets.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

async function script(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return run('npx', ['tsx', 'scripts/fuzz.ts', ...args], {cwd: root}).then(
    ({stdout, stderr}) => ({code: 0, stdout, stderr}),
    (e: {code: number; stdout: string; stderr: string}) => e,
  );
}

describe('fuzzed decoders', function () {
  this.timeout(60000);
  const seed = Math.floor(Math.random() * 0x1_0000_0000);

  for (const name of Object.keys(DECODER_TARGETS)) {
    it(`${name}: 10,000 random and mutated inputs, none throws (seed ${seed})`, () => {
      const report = fuzz(DECODER_TARGETS[name]!(), 10_000, seed);
      expect(report.first_throw, JSON.stringify(report.first_throw)).to.equal(undefined);
      expect(report).to.deep.include({fuzz: name, runs: 10_000, throws: 0});
    });
  }

  it('the same seed gives the same inputs', () => {
    const seen: string[][] = [[], []];
    for (const list of seen) {
      const target = DECODER_TARGETS['frame']!();
      const generate: FuzzTarget['generate'] = (rng) => {
        const input = target.generate(rng);
        list.push(Buffer.from(input).toString('hex'));
        return input;
      };
      fuzz({name: 'frame', generate, run: target.run}, 200, 42);
    }
    expect(seen[0]).to.have.length(200);
    expect(seen[0]).to.deep.equal(seen[1]);
  });

  it('counts throws and keeps the first', () => {
    const target: FuzzTarget = {
      name: 'thrower',
      generate: (rng) => rng.bytes(rng.int(4)),
      run: (input) => {
        if (input.length === 3) throw new TypeError('three bytes');
      },
    };
    const report = fuzz(target, 400, 1);
    expect(report.throws).to.be.greaterThan(0);
    expect(report.first_throw).to.deep.include({error: 'TypeError: three bytes', bytes: 3});
  });
});

describe('npm run fuzz', function () {
  this.timeout(60000);

  it('prints one JSON line per target with throughput, the slowest input and throws, and exits 0', async () => {
    const {code, stdout} = await script('--runs', '300', '--target', 'beacon', '--target', 'bolt11', '--seed', '5');
    expect(code).to.equal(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['fuzz'])).to.deep.equal(['beacon', 'bolt11']);
    for (const line of lines) {
      expect(line).to.include({runs: 300, seed: 5, throws: 0});
      expect(line['per_second']).to.be.a('number').greaterThan(0);
      expect(line['slowest_ms']).to.be.a('number');
      expect(line['slowest_hex']).to.be.a('string').and.match(/^[0-9a-f]*…?$/);
    }
  });

  it('exits 2 with a usage line for an unknown target', async () => {
    const {code, stdout, stderr} = await script('--target', 'nope');
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.match(/unknown target "nope"/);
  });
});
