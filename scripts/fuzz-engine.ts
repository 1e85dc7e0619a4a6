/**
 * The fuzz campaign's machinery, shared by every target: a seeded PRNG (so a
 * run can be repeated with --seed), byte mutators, and a runner that times
 * each input, keeps the slowest, and counts throws. Decoders return errors
 * as values, so any throw is a bug.
 */

/** xorshift128+ folded to 32 bits: fast, seedable, good enough to pick inputs. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the four words.
    const mix = (): number => {
      seed = (seed + 0x9e3779b9) | 0;
      let z = seed;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix() || 1;
  }

  /** A uint32. */
  next(): number {
    const t = this.#a ^ (this.#a << 11);
    this.#a = this.#b;
    this.#b = this.#c;
    this.#c = this.#d;
    this.#d = (this.#d ^ (this.#d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.#d;
  }

  /** 0 <= n < max. */
  int(max: number): number {
    return max <= 1 ? 0 : this.next() % max;
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** A length skewed towards small values, up to `max`. */
  size(max: number): number {
    return this.int(Math.min(max, 1 << this.int(Math.ceil(Math.log2(max + 1)) + 1)) + 1);
  }
}

/** Bytes that tend to matter to JSON, bech32, UTF-8 and length fields. */
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x30, 0x31, 0x71, 0x70, 0x20, 0xc0, 0xed];

/** One to four random edits of `input`: bit flips, interesting bytes, inserts, deletes, repeats, truncation, splices. */
export function mutate(rng: Rng, input: Uint8Array, corpus: readonly Uint8Array[], maxLength: number): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(input);
  for (let edits = 1 + rng.int(4); edits > 0; edits--) bytes = edit(rng, bytes, corpus);
  return bytes.length > maxLength ? bytes.subarray(0, maxLength) : bytes;
}

function edit(rng: Rng, bytes: Uint8Array, corpus: readonly Uint8Array[]): Uint8Array {
  const at = rng.int(bytes.length + 1);
  switch (rng.int(7)) {
    case 0:
      if (bytes.length > 0) bytes[at % bytes.length]! ^= 1 << rng.int(8);
      return bytes;
    case 1:
      if (bytes.length > 0) bytes[at % bytes.length] = rng.pick(INTERESTING);
      return bytes;
    case 2:
      return splice(bytes, at, 0, rng.bytes(1 + rng.int(8)));
    case 3:
      return splice(bytes, at, 1 + rng.int(16), new Uint8Array(0));
    case 4: {
      const chunk = bytes.subarray(at, at + 1 + rng.int(16));
      const times = 1 + rng.int(64);
      const repeated = new Uint8Array(chunk.length * times);
      for (let i = 0; i < times; i++) repeated.set(chunk, i * chunk.length);
      return splice(bytes, at, 0, repeated);
    }
    case 5:
      return bytes.subarray(0, at);
    default: {
      const other = rng.pick(corpus);
      const from = rng.int(other.length + 1);
      return splice(bytes, at, bytes.length - at, other.subarray(from));
    }
  }
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const end = Math.min(bytes.length, at + remove);
  const out = new Uint8Array(at + insert.length + bytes.length - end);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(end), at + insert.length);
  return out;
}

/** What a target fuzzes: how to make an input from the PRNG, and the code under test. */
export interface FuzzTarget {
  name: string;
  /** A random or mutated input, as bytes (strings are UTF-8 encoded). */
  generate(rng: Rng): Uint8Array;
  /** Runs the code under test on one input; a throw is a finding. */
  run(input: Uint8Array): void;
}

export interface FuzzReport {
  fuzz: string;
  seed: number;
  runs: number;
  seconds: number;
  per_second: number;
  slowest_ms: number;
  slowest_bytes: number;
  /** The slowest input as hex, its first 64 bytes. */
  slowest_hex: string;
  throws: number;
  first_throw?: {error: string; bytes: number; hex: string};
}

/** At most this many bytes of an input are printed. */
const SHOWN_BYTES = 64;

export function shortHex(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, SHOWN_BYTES)).toString('hex');
  return bytes.length > SHOWN_BYTES ? `${hex}…` : hex;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs `target` on `runs` inputs, or until `maxMs` has passed. */
export function fuzz(target: FuzzTarget, runs: number, seed: number, maxMs = Number.POSITIVE_INFINITY): FuzzReport {
  const rng = new Rng(seed);
  const report: FuzzReport = {fuzz: target.name, seed, runs: 0, seconds: 0, per_second: 0, slowest_ms: 0, slowest_bytes: 0, slowest_hex: '', throws: 0};
  const started = performance.now();
  for (let i = 0; i < runs && performance.now() - started < maxMs; i++) {
    const input = target.generate(rng);
    let ms = timed(target, input, report);
    // A new slowest input is timed twice more and keeps its best time, so a
    // GC pause or the first call's compilation does not pass for slowness.
    if (ms > report.slowest_ms) ms = Math.min(ms, timed(target, input), timed(target, input));
    if (ms > report.slowest_ms) Object.assign(report, {slowest_ms: ms, slowest_bytes: input.length, slowest_hex: shortHex(input)});
    report.runs++;
  }
  return finish(report, performance.now() - started);
}

/** Runs one input; a throw is counted in `report` when one is given. Returns the time taken in ms. */
function timed(target: FuzzTarget, input: Uint8Array, report?: FuzzReport): number {
  const t0 = performance.now();
  try {
    target.run(input);
  } catch (error) {
    if (report !== undefined) {
      report.throws++;
      report.first_throw ??= {error: errorText(error), bytes: input.length, hex: shortHex(input)};
    }
  }
  return performance.now() - t0;
}

export function finish<R extends FuzzReport>(report: R, elapsedMs: number): R {
  report.seconds = Math.round(elapsedMs) / 1000;
  report.per_second = Math.round(report.runs / Math.max(elapsedMs / 1000, 1e-3));
  report.slowest_ms = Math.round(report.slowest_ms * 1000) / 1000;
  return report;
}
