/**
 * `npm run bench` output format, checked with `--quick` (a few ms per bench).
 * Never asserts on speed: the figures are informational.
 */
import {expect} from 'chai';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

const EXPECTED = ['beacon.encode', 'beacon.decode', 'frame.roundtrip', 'aes.roundtrip', 'frame.roundtrip.stacks', 'frame.overhead', 'core.size'];

type Line = Record<string, unknown> & {bench: string; unit: string; value: number};

/** Runs a bench with --quick; every stdout line must parse as JSON. Exits 0 even when an aim is missed. */
async function quickRun(script: string): Promise<Line[]> {
  const {stdout} = await run('npx', ['tsx', script, '--quick'], {cwd: root});
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

describe('bench/core.bench.ts --quick', function () {
  this.timeout(60_000);
  let lines: Line[];

  before(async () => {
    lines = await quickRun('bench/core.bench.ts');
  });

  it('prints only JSON objects, one per expected figure', () => {
    expect(lines.map((l) => l.bench)).to.have.members(EXPECTED);
    for (const line of lines) {
      expect(line, line.bench).to.be.an('object');
      expect(line, line.bench).to.not.have.property('error');
      expect(line.unit, line.bench).to.be.a('string').and.not.equal('');
    }
  });

  it('reports positive, finite values', () => {
    for (const line of lines) {
      expect(Number.isFinite(line.value) && line.value > 0, `${line.bench} value ${line.value}`).to.equal(true);
    }
  });

  it('gives operation rates with their timing details', () => {
    for (const name of ['beacon.encode', 'beacon.decode', 'frame.roundtrip', 'aes.roundtrip']) {
      const line = lines.find((l) => l.bench === name)!;
      expect(line.unit, name).to.equal('ops/s');
      for (const key of ['ops_per_sec', 'median_ns', 'samples', 'iterations']) {
        const v = line[key];
        expect(typeof v === 'number' && Number.isFinite(v) && v > 0, `${name}.${key} = ${String(v)}`).to.equal(true);
      }
    }
  });

  it('frames the stated 300-byte message and compares it with bare AES', () => {
    const frame = lines.find((l) => l.bench === 'frame.roundtrip')!;
    expect(frame['json_bytes']).to.equal(300);
    expect(frame['frame_bytes']).to.equal(16 + 304);
    const overhead = lines.find((l) => l.bench === 'frame.overhead')!;
    expect(overhead['baseline']).to.equal('aes.roundtrip');
    expect(overhead['aim']).to.equal(1.5);
    expect(overhead['ratio']).to.equal(overhead.value);
    expect(overhead['within_aim']).to.be.a('boolean');
  });

  it('sizes the core bundle against its aim', () => {
    const size = lines.find((l) => l.bench === 'core.size')!;
    expect(size.unit).to.equal('bytes');
    expect(size['aim']).to.equal(15_000);
    expect(size['within_aim']).to.be.a('boolean');
    expect(size['min_bytes']).to.be.a('number').greaterThan(size.value);
  });
});

describe('bench/e2e.bench.ts --quick', function () {
  this.timeout(120_000);
  let lines: Line[];

  before(async () => {
    // The relay it starts is bin/moneysocket.js: dist/ must be built (npm test builds first).
    lines = await quickRun('bench/e2e.bench.ts');
  });

  it('prints one JSON figure for each end-to-end measurement', () => {
    expect(lines.map((l) => l.bench)).to.have.members([
      'connect', 'connect.floor', 'ping.roundtrip', 'echo.roundtrip', 'ping.overhead',
      'ping.roundtrip.portable', 'echo.roundtrip.portable', 'ping.overhead.portable',
      'invoice.sequential', 'echo.sequential', 'invoice.pipelined', 'echo.pipelined',
      'ws.idle_memory', 'relay.idle_memory', 'relay.waiting_memory',
    ]);
    for (const line of lines) {
      // Memory per connection in a --quick run (few connections) is an RSS difference that a garbage collection
      // can turn negative: only its being a number is checked here; the full run measures thousands.
      const positive = line.unit === 'bytes/connection' || line.value > 0;
      expect(Number.isFinite(line.value) && positive, `${line.bench} value ${line.value}`).to.equal(true);
    }
  });

  it('compares the protocol round trip with a bare echo through the same relay', () => {
    const ping = lines.find((l) => l.bench === 'ping.roundtrip')!;
    expect(ping['baseline']).to.equal('echo.roundtrip');
    expect(ping['p99_ms']).to.be.a('number');
    const overhead = lines.find((l) => l.bench === 'ping.overhead')!;
    expect(overhead['aim']).to.equal(1.5);
    expect(overhead['within_aim']).to.be.a('boolean');
    expect(overhead['warmup_ratio']).to.be.a('number').greaterThan(0);
  });

  it('times the stacks with the cipher a stack on Node is given, and the ping with the portable one as well', () => {
    for (const name of ['connect', 'ping.roundtrip', 'ping.overhead', 'invoice.sequential', 'invoice.pipelined']) {
      expect(lines.find((l) => l.bench === name)!['cipher'], name).to.equal('nodeCryptoCbc');
    }
    const portable = lines.find((l) => l.bench === 'ping.overhead.portable')!;
    expect(portable['cipher']).to.equal('scheduledCbc');
    expect(portable['baseline']).to.equal('echo.roundtrip.portable');
    expect(portable).to.not.have.property('aim');
  });

  it('prints each of issue 10\'s aims beside its figure and a baseline measured in the same run', () => {
    const aims: [string, number, string][] = [
      ['connect', 2, 'connect.floor'],
      ['ping.overhead', 1.5, 'echo.roundtrip'],
      ['invoice.sequential', 3000, 'echo.sequential'],
      ['invoice.pipelined', 15_000, 'echo.pipelined'],
      ['relay.idle_memory', 1.25, 'ws.idle_memory'],
    ];
    for (const [name, aim, baseline] of aims) {
      const line = lines.find((l) => l.bench === name)!;
      expect(line['aim'], name).to.equal(aim);
      expect(line['within_aim'], name).to.be.a('boolean');
      expect(line['baseline'], name).to.equal(baseline);
      expect(lines.some((l) => l.bench === baseline), baseline).to.equal(true);
    }
  });

  it('gives the relay memory per idle and per waiting connection beside a bare ws server with as many', () => {
    const bare = lines.find((l) => l.bench === 'ws.idle_memory')!;
    for (const name of ['relay.idle_memory', 'relay.waiting_memory']) {
      const line = lines.find((l) => l.bench === name)!;
      expect(line.unit, name).to.equal('bytes/connection');
      expect(line['connections'], name).to.equal(bare['connections']);
      expect(line['baseline'], name).to.equal('ws.idle_memory');
      expect(line['ratio'], name).to.equal(Math.round((line.value / bare.value) * 1000) / 1000);
    }
  });
});

describe('bench/relay.bench.ts --quick', function () {
  this.timeout(180_000);
  let lines: Line[];

  before(async () => {
    // Starts its own redis-server and two relay nodes from bin/moneysocket.js (dist/ built by npm test).
    lines = await quickRun('bench/relay.bench.ts');
  });

  it('prints one JSON figure for each cluster measurement', () => {
    expect(lines.map((l) => l.bench)).to.have.members([
      'relay.cluster.ping.same_node', 'relay.cluster.ping.cross_node', 'relay.cluster.frames', 'relay.cluster.answered',
      'ws.idle_memory', 'relay.cluster.idle_memory', 'redis.pubsub.roundtrip', 'redis.streams.roundtrip',
    ]);
    for (const line of lines) {
      expect(Number.isFinite(line.value) && line.value > 0, `${line.bench} value ${line.value}`).to.equal(true);
    }
  });

  it('puts each aim beside its figure', () => {
    const cross = lines.find((l) => l.bench === 'relay.cluster.ping.cross_node')!;
    expect(cross['baseline']).to.equal('relay.cluster.ping.same_node');
    expect(cross['aim']).to.equal(2);
    expect(cross['within_aim']).to.be.a('boolean');
    for (const name of ['relay.cluster.ping.same_node', 'relay.cluster.ping.cross_node']) {
      const line = lines.find((l) => l.bench === name)!;
      expect(line['p99_ms'], name).to.be.at.least(line['p50_ms'] as number);
      expect(line['pairs'], name).to.equal(50);
    }
    const memory = lines.find((l) => l.bench === 'relay.cluster.idle_memory')!;
    expect(memory['aim']).to.equal(1.25);
    expect(memory['connections']).to.equal(lines.find((l) => l.bench === 'ws.idle_memory')!['connections']);
  });

  it('answers every ping exactly once, across nodes too', () => {
    const answered = lines.find((l) => l.bench === 'relay.cluster.answered')!;
    expect(answered['exactly_once']).to.equal(true);
    expect(answered['sent']).to.equal(answered.value);
    expect(answered['unexpected']).to.equal(0);
    expect(answered['unanswered']).to.equal(0);
  });
});
