/**
 * The shared seed: the only secret of a v0 session. Both the AES key and the
 * rendezvous id the relay matches on are derived from it by double SHA-256
 * (`aesKeyOf` and `rendezvousIdOf`, in `seed-keys.ts`).
 */
import {fromHex, randomBytes, toHex} from './bytes.js';
import {fail, ok, type Result} from './errors.js';

export const SHARED_SEED_LENGTH = 16;

/** 64 lowercase hex characters; the relay compares ids as exact strings. */
export type RendezvousId = string;

export class SharedSeed {
  readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  static generate(): SharedSeed {
    return new SharedSeed(randomBytes(SHARED_SEED_LENGTH));
  }

  static fromBytes(bytes: Uint8Array): Result<SharedSeed> {
    if (bytes.length !== SHARED_SEED_LENGTH) {
      return fail('SEED_INVALID', `a shared seed is ${SHARED_SEED_LENGTH} bytes, got ${bytes.length}`);
    }
    return ok(new SharedSeed(Uint8Array.from(bytes)));
  }

  /** Exactly 32 hex characters, as both reference libraries accept. */
  static fromHex(hex: string): Result<SharedSeed> {
    const bytes = /^[0-9a-fA-F]{32}$/.test(hex) ? fromHex(hex) : undefined;
    if (!bytes?.ok) return fail('SEED_INVALID', 'a shared seed is written as exactly 32 hex characters');
    return SharedSeed.fromBytes(bytes.value);
  }

  toHex(): string {
    return toHex(this.bytes);
  }

  toString(): string {
    return this.toHex();
  }

  equals(other: SharedSeed): boolean {
    return this.toHex() === other.toHex();
  }
}
