/**
 * AES-256-CBC through `node:crypto` (OpenSSL, on the CPU's AES instructions)
 * for the stacks on Node: `new ConsumerStack({webSocket, cipher: nodeCryptoCbc})`.
 *
 * Why: the core's cipher is noble's table AES, platform-free and the same in
 * every browser, but its lookup tables (256 kB each) do not stay in the CPU's
 * caches between one frame and the next while a session also parses, checks
 * and writes, so a frame in a stack costs several times what it costs in a
 * loop. OpenSSL's AES uses no tables.
 *
 * A `Cipheriv` made per frame costs more than the AES itself, so each key
 * keeps one encryptor and one decryptor for as long as the key object lives:
 * - CBC decryption keeps no state: AES-256-ECB decrypts every block in one
 *   call, and each plaintext block is that XORed with the ciphertext block
 *   before it (the IV for the first);
 * - CBC encryption does: after a frame, the encryptor's chaining value is
 *   that frame's last ciphertext block C. The next frame's first block is
 *   XORed with C as well as with its own IV before the call, so the encryptor
 *   computes E(P1 ⊕ IV ⊕ C ⊕ C) = E(P1 ⊕ IV), which is CBC with that IV.
 */
import {createCipheriv, createDecipheriv, type Cipher, type Decipher} from 'node:crypto';
import {equalBytes} from '../core/bytes.js';
import type {FrameCipher} from '../core/frame.js';

const BLOCK = 16;

interface KeyState {
  /** A copy of the key, so that a buffer reused for another key gets a fresh state. */
  key: Uint8Array;
  encryptor: Cipher;
  /** The encryptor's chaining value: the last ciphertext block it produced. */
  chain: Uint8Array;
  decryptor: Decipher | undefined;
}

const states = new WeakMap<Uint8Array, KeyState>();

function stateFor(key: Uint8Array): KeyState {
  const known = states.get(key);
  if (known !== undefined && equalBytes(known.key, key)) return known;
  const encryptor = createCipheriv('aes-256-cbc', key, new Uint8Array(BLOCK));
  encryptor.setAutoPadding(false);
  const fresh: KeyState = {key: key.slice(), encryptor, chain: new Uint8Array(BLOCK), decryptor: undefined};
  states.set(key, fresh);
  return fresh;
}

function checkBlocks(data: Uint8Array, iv: Uint8Array): void {
  if (data.length === 0 || data.length % BLOCK !== 0) throw new RangeError(`AES-CBC without padding needs whole 16-byte blocks, got ${data.length} bytes`);
  if (iv.length !== BLOCK) throw new RangeError(`AES-CBC needs a 16-byte IV, got ${iv.length} bytes`);
}

function encrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, out: Uint8Array): void {
  checkBlocks(plaintext, iv);
  if (out.length !== plaintext.length) throw new RangeError(`output is ${out.length} bytes for ${plaintext.length} bytes of plaintext`);
  const state = stateFor(key);
  if (out !== plaintext) out.set(plaintext);
  for (let i = 0; i < BLOCK; i++) out[i] = out[i]! ^ iv[i]! ^ state.chain[i]!;
  let ciphertext: Uint8Array;
  try {
    ciphertext = state.encryptor.update(out);
  } catch (error) {
    states.delete(key); // its chaining value is unknown now
    throw error;
  }
  if (ciphertext.length !== out.length) {
    states.delete(key);
    throw new Error(`AES-CBC returned ${ciphertext.length} bytes for ${out.length}`);
  }
  out.set(ciphertext);
  state.chain = ciphertext.subarray(ciphertext.length - BLOCK);
}

function decrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkBlocks(ciphertext, iv);
  const state = stateFor(key);
  state.decryptor ??= ecbDecryptor(key);
  const decrypted = state.decryptor.update(ciphertext);
  if (decrypted.length !== ciphertext.length) {
    state.decryptor = undefined;
    throw new Error(`AES-ECB returned ${decrypted.length} bytes for ${ciphertext.length}`);
  }
  // A plain Uint8Array over the same bytes: Buffer's slice() shares memory where Uint8Array's copies.
  const plain = new Uint8Array(decrypted.buffer, decrypted.byteOffset, decrypted.length);
  for (let i = 0; i < BLOCK; i++) plain[i] = plain[i]! ^ iv[i]!;
  for (let i = BLOCK; i < plain.length; i++) plain[i] = plain[i]! ^ ciphertext[i - BLOCK]!;
  return plain;
}

function ecbDecryptor(key: Uint8Array): Decipher {
  const decryptor = createDecipheriv('aes-256-ecb', key, null);
  decryptor.setAutoPadding(false);
  return decryptor;
}

/** AES-256-CBC without padding through `node:crypto`; each key's encryptor and decryptor made once. */
export const nodeCryptoCbc: FrameCipher = {encrypt, decrypt};
