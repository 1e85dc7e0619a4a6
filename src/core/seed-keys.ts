/**
 * What a shared seed derives, by double SHA-256: the AES-256-CBC key of the
 * frames and the rendezvous id the relay pairs on. They live apart from
 * `SharedSeed` so that code which only carries seeds (decoding beacons,
 * making one for a wallet) does not carry SHA-256: in the browser build only
 * the lazily loaded session engine reaches them.
 */
import {sha256} from '@noble/hashes/sha2.js';
import {toHex} from './bytes.js';
import type {RendezvousId, SharedSeed} from './seed.js';

// Computed once per seed: every frame of a session asks for its key.
const aesKeys = new WeakMap<SharedSeed, Uint8Array>();
const rendezvousIds = new WeakMap<SharedSeed, RendezvousId>();

/** SHA256(SHA256(seed)): the AES-256-CBC key (the same array each time). */
export function aesKeyOf(seed: SharedSeed): Uint8Array {
  let key = aesKeys.get(seed);
  if (key === undefined) aesKeys.set(seed, (key = sha256(sha256(seed.bytes))));
  return key;
}

/** SHA256(SHA256(aes key)), lowercase hex. */
export function rendezvousIdOf(seed: SharedSeed): RendezvousId {
  let id = rendezvousIds.get(seed);
  if (id === undefined) rendezvousIds.set(seed, (id = toHex(sha256(sha256(aesKeyOf(seed))))));
  return id;
}
