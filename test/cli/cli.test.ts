import {expect} from 'chai';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {main} from '../../src/cli/main.js';
import {createBeacon, decodeBeacon, encodeBeacon} from '../../src/core/beacon.js';
import {encodeFrame} from '../../src/core/frame.js';
import {createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {aesKeyOf} from '../../src/core/seed-keys.js';
import {hex, loadVectors} from '../vectors.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}bin/moneysocket.js`;

/** Runs the real command as a user would; resolves with exit code and output. */
async function cli(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run('node', [bin, ...args], {cwd: root});
    return {code: 0, stdout, stderr};
  } catch (e) {
    const err = e as {code: number; stdout: string; stderr: string};
    return {code: err.code, stdout: err.stdout, stderr: err.stderr};
  }
}

/** Runs main() in-process, capturing its lines. */
async function inProcess(...args: string[]): Promise<{code: number; out: string[]; err: string[]}> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {out: (l) => out.push(l), err: (l) => err.push(l)});
  return {code, out, err};
}

interface EncodeVector {
  shared_seed: string;
  locations: Array<{type: string; host?: string; port?: number; use_tls?: boolean}>;
  beacon: string;
  rendezvous_id: string;
  aes256_key?: string;
  decoded: {shared_seed: string; locations: unknown[]};
}

const encodeVectors = (await loadVectors<EncodeVector>('beacon-encode.json')).vectors;

describe('moneysocket CLI', function () {
  before(async function () {
    if (!existsSync(`${root}dist/src/cli/main.js`)) {
      this.timeout(120000);
      await run('npx', ['tsc', '-p', 'tsconfig.build.json'], {cwd: root});
    }
  });

  it('beacon encode reproduces every single-WebSocket vector', async () => {
    const wsOnly = encodeVectors.filter((v) => v.locations.length > 0 && v.locations.every((l) => l.type === 'WebSocket'));
    expect(wsOnly.length).to.be.greaterThan(3);
    for (const v of wsOnly) {
      const urls = v.locations.flatMap((l) => {
        const tls = l.use_tls ?? true;
        return ['--ws', `${tls ? 'wss' : 'ws'}://${l.host}${l.port === undefined ? '' : `:${l.port}`}`];
      });
      const r = await inProcess('beacon', 'encode', '--seed', v.shared_seed, ...urls);
      expect(r.err).to.deep.equal([]);
      expect(r.out).to.deep.equal([v.beacon]);
    }
  });

  it('beacon decode prints seed, key, rendezvous id and locations as one JSON object', async () => {
    const v = encodeVectors[0]!;
    const r = await cli('beacon', 'decode', v.beacon);
    expect(r.code).to.equal(0);
    expect(r.stdout.trim().split('\n')).to.have.length(1);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    const seed = SharedSeed.fromHex(v.shared_seed);
    if (!seed.ok) throw seed.error;
    expect(printed).to.deep.equal({
      shared_seed: v.shared_seed,
      aes_key: hex(aesKeyOf(seed.value)),
      rendezvous_id: v.rendezvous_id,
      locations: v.decoded.locations,
    });
    expect(Object.keys(printed)).to.deep.equal(['shared_seed', 'aes_key', 'rendezvous_id', 'locations']);
  });

  it('beacon new prints a fresh decodable beacon with every --ws location, in order', async () => {
    const r = await cli('beacon', 'new', '--ws', 'wss://relay.example.com', '--ws', 'ws://127.0.0.1:11060');
    expect(r.code).to.equal(0);
    const decoded = decodeBeacon(r.stdout.trim());
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value.locations).to.deep.equal([
      {type: 'WebSocket', host: 'relay.example.com', port: 443, use_tls: true},
      {type: 'WebSocket', host: '127.0.0.1', port: 11060, use_tls: false},
    ]);
    const again = await inProcess('beacon', 'new', '--ws', 'wss://relay.example.com');
    expect(again.out[0]).not.to.equal(r.stdout.trim());
  });

  it('frame decode prints the message that was on the wire', async () => {
    const seed = SharedSeed.generate();
    const message = createRequest('REQUEST_INVOICE', {msats: 4200});
    const frame = encodeFrame(message, seed);
    if (!frame.ok) throw frame.error;
    const r = await cli('frame', 'decode', '--seed', seed.toHex(), hex(frame.value));
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal(message);
  });

  const failures: Array<[string, string[], string]> = [
    ['a malformed beacon', ['beacon', 'decode', 'moneysocket1qqqq'], 'BEACON_'],
    ['a bad seed', ['beacon', 'encode', '--seed', 'xyz', '--ws', 'wss://h'], 'SEED_INVALID'],
    ['a bad location', ['beacon', 'new', '--ws', 'http://h'], 'LOCATION_INVALID'],
    ['no location', ['beacon', 'new'], 'INVALID_ARGUMENT'],
    ['a frame under the wrong key', ['frame', 'decode', '--seed', '00'.repeat(16), 'ff'.repeat(32)], 'MESSAGE_'],
    ['a frame that is not hex', ['frame', 'decode', '--seed', '00'.repeat(16), 'zz'], 'HEX_INVALID'],
    ['an unknown option', ['beacon', 'decode', '--nope', 'x'], 'INVALID_ARGUMENT'],
    ['an unknown command', ['launch'], 'INVALID_ARGUMENT'],
  ];
  for (const [what, args, code] of failures) {
    it(`exits 1 with one error line naming the code for ${what}`, async () => {
      const r = await cli(...args);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.match(new RegExp(`^error ${code}[A-Z0-9_]*: .+`));
      expect(r.stderr).not.to.match(/\bat .+:\d+:\d+/); // no stack trace
    });
  }

  for (const args of [['--help'], ['beacon', '--help'], ['beacon', 'new', '--help'], ['beacon', 'encode', '--help'], ['beacon', 'decode', '--help'], ['frame', '--help'], ['frame', 'decode', '--help']]) {
    it(`prints help for: moneysocket ${args.join(' ')}`, async () => {
      const r = await inProcess(...args);
      expect(r.code).to.equal(0);
      expect(r.out.join('\n')).to.match(/^Usage: moneysocket/);
    });
  }

  it('round-trips: beacon new | beacon decode', async () => {
    const made = encodeBeacon(createBeacon([{type: 'WebSocket', host: 'localhost', port: 11060, use_tls: false}]));
    const r = await inProcess('beacon', 'decode', made.toUpperCase());
    expect(r.code).to.equal(0);
  });
});
