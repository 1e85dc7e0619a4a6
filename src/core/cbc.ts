/**
 * A `FrameCipher` on noble's own AES block function and key schedules, with
 * each key's schedules expanded once instead of once per frame.
 *
 * noble's `cbc(key, iv)` expands the key schedule on every call: for a
 * 200-byte frame that is a third of the AES time, paid on every frame sent
 * and received. A session uses one key for all its frames, so the schedules
 * are kept per key object (beside a copy of the key, so that a caller that
 * reuses a buffer for another key gets a fresh schedule). Only the CBC
 * chaining is done here. On a big-endian platform, where the word views
 * below would read the wrong byte order, noble's `cbc` does all the work.
 *
 * The stacks use it; `./core` keeps noble's `cbc` as the frame default, as
 * reaching noble's block function (`unsafe`) pulls in every AES mode.
 */
import {cbc, unsafe} from '@noble/ciphers/aes.js';
import {equalBytes} from './bytes.js';
import type {FrameCipher} from './frame.js';

interface Schedules {
  key: Uint8Array;
  encrypt: Uint32Array;
  decrypt: Uint32Array | undefined;
}

const schedules = new WeakMap<Uint8Array, Schedules>();
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function schedulesFor(key: Uint8Array): Schedules {
  const known = schedules.get(key);
  if (known !== undefined && equalBytes(known.key, key)) return known;
  const fresh: Schedules = {key: key.slice(), encrypt: unsafe.expandKeyLE(key), decrypt: undefined};
  schedules.set(key, fresh);
  return fresh;
}

/** 32-bit words over `bytes` (whole blocks), copied first when not 4-byte aligned. */
function words(bytes: Uint8Array): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >> 2);
}

function encrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, out: Uint8Array): void {
  if (!littleEndian || out.byteOffset % 4 !== 0) {
    out.set(cbc(key, iv, {disablePadding: true}).encrypt(plaintext));
    return;
  }
  const xk = schedulesFor(key).encrypt;
  const p = words(plaintext);
  const o = words(out);
  const v = words(iv);
  let s0 = v[0]!, s1 = v[1]!, s2 = v[2]!, s3 = v[3]!;
  for (let i = 0; i < p.length; i += 4) {
    ({s0, s1, s2, s3} = unsafe.encrypt(xk, s0 ^ p[i]!, s1 ^ p[i + 1]!, s2 ^ p[i + 2]!, s3 ^ p[i + 3]!));
    o[i] = s0;
    o[i + 1] = s1;
    o[i + 2] = s2;
    o[i + 3] = s3;
  }
}

function decrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (!littleEndian) return cbc(key, iv, {disablePadding: true}).decrypt(ciphertext);
  const known = schedulesFor(key);
  const xk = (known.decrypt ??= unsafe.expandKeyDecLE(key));
  const out = new Uint8Array(ciphertext.length);
  const c = words(ciphertext);
  const o = new Uint32Array(out.buffer);
  const v = words(iv);
  let p0 = v[0]!, p1 = v[1]!, p2 = v[2]!, p3 = v[3]!;
  for (let i = 0; i < c.length; i += 4) {
    const c0 = c[i]!, c1 = c[i + 1]!, c2 = c[i + 2]!, c3 = c[i + 3]!;
    const plain = unsafe.decrypt(xk, c0, c1, c2, c3);
    o[i] = plain.s0 ^ p0;
    o[i + 1] = plain.s1 ^ p1;
    o[i + 2] = plain.s2 ^ p2;
    o[i + 3] = plain.s3 ^ p3;
    p0 = c0;
    p1 = c1;
    p2 = c2;
    p3 = c3;
  }
  return out;
}

/** AES-256-CBC without padding, each key's schedules expanded once. */
export const scheduledCbc: FrameCipher = {encrypt, decrypt};
