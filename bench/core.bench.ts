/**
 * `npm run bench`: the protocol core's figures, one JSON object per line on
 * stdout (progress goes to stderr). Every line has `bench`, `unit`, `value`.
 *
 *   beacon.encode / beacon.decode  operations per second
 *   frame.roundtrip                encodeFrame + decodeFrame of a 300-byte message
 *   aes.roundtrip                  bare AES-256-CBC encrypt + decrypt of the same bytes
 *   frame.overhead                 frame.roundtrip time / aes.roundtrip time (aim <= 1.5)
 *   frame.roundtrip.stacks         the same round trip with the stacks' cipher (scheduledCbc: key
 *                                  schedules expanded once per key), against aes.roundtrip
 *   core.size                      min+gzip bytes of src/core/index.ts bundled by esbuild (aim <= 15000)
 *
 * Aims are informational: missing one still exits 0. Errors (a wrong round
 * trip, a bundle that fails or pulls in a Node built-in) exit 1.
 *
 * `--quick` runs every bench for a few milliseconds: a format smoke test, not a figure.
 */
import {cbc} from '@noble/ciphers/aes.js';
import {build, type Plugin} from 'esbuild';
import {builtinModules} from 'node:module';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {createBeacon, decodeBeacon, encodeBeacon} from '../src/core/beacon.js';
import {equalBytes, randomBytes, utf8Encode} from '../src/core/bytes.js';
import {scheduledCbc} from '../src/core/cbc.js';
import {decodeFrame, encodeFrame, zeroPad} from '../src/core/frame.js';
import {createNotification} from '../src/core/message-types.js';
import {SharedSeed} from '../src/core/seed.js';
import {aesKeyOf} from '../src/core/seed-keys.js';
import {measureEach, type Measurement, type MeasureOptions} from './measure.js';

const QUICK = process.argv.includes('--quick');
const OPTIONS: MeasureOptions = QUICK ? {rounds: 3, roundMs: 5, warmupMs: 5} : {rounds: 7, roundMs: 200, warmupMs: 300};
const FRAME_JSON_BYTES = 300;
const FRAME_OVERHEAD_AIM = 1.5;
const CORE_GZIP_AIM = 15_000;

const root = fileURLToPath(new URL('..', import.meta.url));

type Line = {bench: string; unit: string; value: number} & Record<string, unknown>;

function emit(line: Line): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

class BenchError extends Error {
  constructor(
    readonly bench: string,
    message: string,
  ) {
    super(message);
  }
}

function unwrap<T>(bench: string, result: {ok: true; value: T} | {ok: false; error: {message: string}}): T {
  if (!result.ok) throw new BenchError(bench, result.error.message);
  return result.value;
}

const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

function opsLine(m: Measurement, extra: Record<string, unknown> = {}): Line {
  return {
    bench: m.name,
    unit: 'ops/s',
    value: round(m.opsPerSec),
    ops_per_sec: round(m.opsPerSec),
    median_ns: round(m.medianNs, 1),
    min_ns: round(m.minNs, 1),
    max_ns: round(m.maxNs, 1),
    samples: m.samples,
    iterations: m.iterations,
    ...extra,
    ...(QUICK ? {quick: true} : {}),
  };
}

// A fixed seed so every run encodes the same beacon.
const seed = unwrap('setup', SharedSeed.fromHex('000102030405060708090a0b0c0d0e0f'));

function benchBeacon(): void {
  progress('beacon encode/decode');
  const beacon = createBeacon([{type: 'WebSocket', host: 'relay.socket.money', port: 443, use_tls: true}], seed);
  const text = encodeBeacon(beacon);
  const back = unwrap('beacon.decode', decodeBeacon(text));
  if (back.sharedSeed.toHex() !== seed.toHex() || back.locations.length !== 1) {
    throw new BenchError('beacon.decode', 'beacon did not round-trip');
  }
  const [enc, dec] = measureEach(
    [
      {name: 'beacon.encode', fn: () => encodeBeacon(beacon)},
      {name: 'beacon.decode', fn: () => decodeBeacon(text)},
    ],
    OPTIONS,
  );
  const extra = {beacon_chars: text.length, locations: 1};
  emit(opsLine(enc!, extra));
  emit(opsLine(dec!, extra));
}

// bech32 data characters, for a bolt11-looking filler.
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** A NOTIFY_INVOICE whose compact JSON is exactly `bytes` long (fixed uuid and timestamp). */
function invoiceMessageOfSize(bytes: number) {
  const make = (bolt11: string) =>
    createNotification('NOTIFY_INVOICE', '2f1b6d0e-8c3a-4b7e-9d21-5a4c3b2a1f00', {bolt11}, {
      uuid: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      timestamp: 1_700_000_000.123,
    });
  const prefix = 'lnbc2500u1p';
  const base = JSON.stringify(make(prefix)).length;
  if (base > bytes) throw new BenchError('frame.roundtrip', `the envelope alone is ${base} bytes, over ${bytes}`);
  let filler = '';
  for (let i = 0; filler.length < bytes - base; i++) filler += BECH32[(i * 7 + 3) % BECH32.length];
  return make(prefix + filler);
}

function benchFrame(): void {
  progress('frame round trip vs bare AES-256-CBC');
  const message = invoiceMessageOfSize(FRAME_JSON_BYTES);
  const plaintext = utf8Encode(JSON.stringify(message));
  if (plaintext.length !== FRAME_JSON_BYTES) {
    throw new BenchError('frame.roundtrip', `message JSON is ${plaintext.length} bytes, wanted ${FRAME_JSON_BYTES}`);
  }
  const frame = unwrap('frame.roundtrip', encodeFrame(message, seed));
  const decoded = unwrap('frame.roundtrip', decodeFrame(frame, seed));
  if (JSON.stringify(decoded) !== JSON.stringify(message)) throw new BenchError('frame.roundtrip', 'frame did not round-trip');

  // The baseline: the same plaintext, zero-padded once, random IV per call.
  const key = aesKeyOf(seed);
  const padded = zeroPad(plaintext);
  const aesRoundTrip = () => {
    const iv = randomBytes(16);
    const body = cbc(key, iv, {disablePadding: true}).encrypt(padded);
    return cbc(key, iv, {disablePadding: true}).decrypt(body);
  };
  if (!equalBytes(aesRoundTrip(), padded)) {
    throw new BenchError('aes.roundtrip', 'AES did not round-trip');
  }

  const stacks = {cipher: scheduledCbc};
  const [framed, bare, scheduled] = measureEach(
    [
      {name: 'frame.roundtrip', fn: () => decodeFrame(unwrapFast(encodeFrame(message, seed)), seed)},
      {name: 'aes.roundtrip', fn: aesRoundTrip},
      {name: 'frame.roundtrip.stacks', fn: () => decodeFrame(unwrapFast(encodeFrame(message, seed, stacks)), seed, stacks)},
    ],
    OPTIONS,
  );
  const sizes = {json_bytes: plaintext.length, padded_bytes: padded.length, frame_bytes: frame.length};
  emit(opsLine(framed!, {message: 'NOTIFY_INVOICE', ...sizes, baseline: 'aes.roundtrip'}));
  emit(opsLine(bare!, {cipher: 'AES-256-CBC', ...sizes, random_iv: true}));
  emit(opsLine(scheduled!, {message: 'NOTIFY_INVOICE', ...sizes, cipher: 'scheduledCbc', baseline: 'aes.roundtrip', ratio: round(scheduled!.medianNs / bare!.medianNs, 3)}));
  const ratio = framed!.medianNs / bare!.medianNs;
  emit({
    bench: 'frame.overhead',
    unit: 'x',
    value: round(ratio, 3),
    ratio: round(ratio, 3),
    frame: 'frame.roundtrip',
    baseline: 'aes.roundtrip',
    aim: FRAME_OVERHEAD_AIM,
    within_aim: ratio <= FRAME_OVERHEAD_AIM,
    ...(QUICK ? {quick: true} : {}),
  });
}

function unwrapFast(result: {ok: true; value: Uint8Array} | {ok: false}): Uint8Array {
  if (!result.ok) throw new BenchError('frame.roundtrip', 'encodeFrame failed while timing');
  return result.value;
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Fails the bundle, naming the importer, if anything reaches for a Node built-in. */
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({filter: /.*/}, (args) => {
      const bare = args.path.split('/')[0]!;
      if (args.path.startsWith('node:') || nodeBuiltins.has(args.path) || nodeBuiltins.has(bare)) {
        return {errors: [{text: `the core imports the Node built-in "${args.path}" (from ${args.importer})`}]};
      }
      return undefined;
    });
  },
};

async function bundleCore(platform: 'neutral' | 'browser'): Promise<Uint8Array> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/core/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['import', 'module', 'default'],
    write: false,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  const out = result.outputFiles[0];
  if (out === undefined) throw new BenchError('core.size', 'esbuild produced no output');
  return out.contents;
}

function buildErrorText(e: unknown): string {
  const errors = (e as {errors?: Array<{text: string}>}).errors;
  return errors?.length ? errors.map((x) => x.text).join('; ') : e instanceof Error ? e.message : String(e);
}

async function benchSize(): Promise<void> {
  progress('bundling src/core/index.ts with esbuild');
  let platform: 'neutral' | 'browser' = 'neutral';
  let code: Uint8Array;
  try {
    code = await bundleCore(platform);
  } catch (e) {
    const text = buildErrorText(e);
    // A Node built-in is a real failure; anything else, retry as a browser bundle.
    if (/Node built-in/.test(text)) throw new BenchError('core.size', text);
    progress(`neutral bundle failed (${text}); retrying with platform "browser"`);
    platform = 'browser';
    try {
      code = await bundleCore(platform);
    } catch (e2) {
      throw new BenchError('core.size', buildErrorText(e2));
    }
  }
  const gzipped = gzipSync(code, {level: 9}).length;
  emit({
    bench: 'core.size',
    unit: 'bytes',
    value: gzipped,
    gzip_bytes: gzipped,
    min_bytes: code.length,
    entry: 'src/core/index.ts',
    platform,
    aim: CORE_GZIP_AIM,
    within_aim: gzipped <= CORE_GZIP_AIM,
  });
}

async function main(): Promise<number> {
  try {
    benchBeacon();
    benchFrame();
    await benchSize();
    return 0;
  } catch (e) {
    const bench = e instanceof BenchError ? e.bench : 'bench';
    const message = e instanceof Error ? e.message : String(e);
    process.stdout.write(`${JSON.stringify({bench, error: message})}\n`);
    progress(`error in ${bench}: ${message}`);
    return 1;
  }
}

process.exitCode = await main();
