/**
 * SHA-256 (FIPS 180-4), for the short inputs the core hashes: a shared
 * seed's AES key and rendezvous id, and payment preimages. It is written out
 * here because the browser bundle's main file holds beacons and seeds: noble's
 * SHA-256 brings its generic hashing framework along (2.9 kB of the main
 * file, gzipped), where the function itself is a page of arithmetic. The
 * tests hold it equal to noble's `sha256` on random inputs of every length
 * around the block boundaries, and to the FIPS 180-2 examples.
 *
 * It has no secret-dependent branches or table lookups (only additions,
 * rotations and bitwise operations on 32-bit words), like noble's.
 */

/**
 * The constants (FIPS 180-4, 4.2.2 and 5.3.3): the first 32 bits of the
 * fractional parts of the cube roots of the first 64 primes, and of the
 * square roots of the first 8. Computed exactly, in integers, rather than
 * written out: 72 numbers of random-looking digits are most of the function's
 * size once gzipped.
 */
const PRIMES = firstPrimes(64);
const K = Int32Array.from(PRIMES, (p) => fractionBits(p, 3));
const H0 = PRIMES.slice(0, 8).map((p) => fractionBits(p, 2));

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

/** ⌊p^(1/k) · 2^32⌋ mod 2^32, that is ⌊(p · 2^(32k))^(1/k)⌋ mod 2^32, by Newton's method on integers. */
function fractionBits(p: number, k: number): number {
  const n = BigInt(p) << BigInt(32 * k);
  const K1 = BigInt(k - 1);
  const Kn = BigInt(k);
  // Start above the root; each step moves down until the integer root is reached.
  let root = 1n << BigInt(Math.ceil(n.toString(2).length / k));
  for (;;) {
    const next = (K1 * root + n / root ** K1) / Kn;
    if (next >= root) return Number(root & 0xffffffffn);
    root = next;
  }
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** The message schedule, reused by every call (hashing is synchronous). */
const W = new Int32Array(64);

export function sha256(data: Uint8Array): Uint8Array {
  // Padding (5.1.1): a 1 bit, zeros, and the length in bits as a 64-bit big-endian number, to a whole number of 64-byte blocks.
  const blocks = new Uint8Array((data.length + 72) & ~63);
  blocks.set(data);
  blocks[data.length] = 0x80;
  const view = new DataView(blocks.buffer);
  view.setUint32(blocks.length - 8, Math.floor(data.length / 0x20000000));
  view.setUint32(blocks.length - 4, data.length << 3);
  const h = Int32Array.from(H0);
  for (let offset = 0; offset < blocks.length; offset += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getInt32(offset + 4 * t);
    for (let t = 16; t < 64; t++) {
      const a = W[t - 15]!;
      const b = W[t - 2]!;
      W[t] = (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10)) + W[t - 7]! + (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) + W[t - 16]!;
    }
    compress(h);
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setInt32(4 * i, h[i]!);
  return out;
}

/** One block's 64 rounds (6.2.2, step 3) over the schedule in W, added into the hash value `h`. */
function compress(h: Int32Array): void {
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let t = 0; t < 64; t++) {
    const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0]! += a;
  h[1]! += b;
  h[2]! += c;
  h[3]! += d;
  h[4]! += e;
  h[5]! += f;
  h[6]! += g;
  h[7]! += hh;
}
