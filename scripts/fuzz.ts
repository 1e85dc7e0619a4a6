/**
 * `npm run fuzz -- --runs N [--target beacon|frame|message|bolt11|relay] [--seed S] [--seconds T]`
 *
 * A fuzz campaign: per target, N random and mutated inputs (for `relay`, N
 * hostile frames to a live relay). Prints one JSON line per target with its
 * throughput, the slowest input (hex, truncated) and its time, and any throw;
 * exits 1 if anything threw (or the relay failed), 2 on a usage error.
 * Runs are repeatable with --seed (the relay target only roughly: its
 * clients interleave with the network).
 */
import {parseArgs} from 'node:util';
import {fuzz, type FuzzReport} from './fuzz-engine.js';
import {fuzzRelay} from './fuzz-relay.js';
import {DECODER_TARGETS} from './fuzz-targets.js';

const TARGETS = [...Object.keys(DECODER_TARGETS), 'relay'];

interface Options {
  runs: number;
  targets: string[];
  seed: number;
  maxMs: number;
}

function usage(message: string): never {
  process.stderr.write(`fuzz: ${message}\nusage: npm run fuzz -- --runs N [--target ${TARGETS.join('|')}] [--seed S] [--seconds T]\n`);
  process.exit(2);
}

function whole(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) usage(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function options(): Options {
  const {values} = parseArgs({
    options: {runs: {type: 'string'}, target: {type: 'string', multiple: true}, seed: {type: 'string'}, seconds: {type: 'string'}},
    strict: true,
  });
  const targets = values.target ?? TARGETS;
  for (const t of targets) if (!TARGETS.includes(t)) usage(`unknown target "${t}"`);
  return {
    runs: whole('runs', values.runs, 10000),
    targets,
    seed: whole('seed', values.seed, Date.now() % 0x1_0000_0000),
    maxMs: whole('seconds', values.seconds, 600) * 1000,
  };
}

async function run(target: string, o: Options): Promise<FuzzReport> {
  if (target === 'relay') return fuzzRelay({runs: o.runs, seed: o.seed, maxMs: o.maxMs});
  return fuzz(DECODER_TARGETS[target]!(), o.runs, o.seed, o.maxMs);
}

const o = options();
let failed = false;
for (const target of o.targets) {
  const report = await run(target, o);
  process.stdout.write(JSON.stringify(report) + '\n');
  if (report.throws > 0 || ('failures' in report && Array.isArray(report.failures) && report.failures.length > 0)) failed = true;
}
process.exitCode = failed ? 1 : 0;
