/**
 * BigSize: the big-endian variable-length unsigned integer of BOLT #1.
 * Decoding rejects non-minimal encodings, as both deployed libraries do.
 */
import {fail, ok, type Result} from './errors.js';

export const BIGSIZE_MAX = (1n << 64n) - 1n;

export interface BigSizeRead {
  value: bigint;
  /** The bytes after the integer; not an error at this level. */
  rest: Uint8Array;
}

export function encodeBigSize(value: number | bigint): Uint8Array {
  const v = BigInt(value);
  if (v < 0n || v > BIGSIZE_MAX) throw new RangeError(`BigSize out of range: ${v}`);
  if (v < 0xfdn) return Uint8Array.of(Number(v));
  if (v <= 0xffffn) return withPrefix(0xfd, v, 2);
  if (v <= 0xffffffffn) return withPrefix(0xfe, v, 4);
  return withPrefix(0xff, v, 8);
}

function withPrefix(prefix: number, value: bigint, width: number): Uint8Array {
  const out = new Uint8Array(width + 1);
  out[0] = prefix;
  let v = value;
  for (let i = width; i >= 1; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// The reference implementations' spelling, "unit16" included, is kept in `reason`.
const WIDTHS: Record<number, {width: number; min: bigint; name: string; minimalName: string}> = {
  0xfd: {width: 2, min: 0xfdn, name: 'uint16', minimalName: 'unit16'},
  0xfe: {width: 4, min: 0x10000n, name: 'uint32', minimalName: 'uint32'},
  0xff: {width: 8, min: 0x100000000n, name: 'uint64', minimalName: 'uint64'},
};

export function decodeBigSize(bytes: Uint8Array): Result<BigSizeRead> {
  if (bytes.length < 1) return underrun('uint8', 1, 0);
  const first = bytes[0]!;
  const spec = WIDTHS[first];
  if (spec === undefined) return ok({value: BigInt(first), rest: bytes.subarray(1)});
  if (bytes.length < spec.width + 1) return underrun(spec.name, spec.width + 1, bytes.length);
  let value = 0n;
  for (let i = 1; i <= spec.width; i++) value = (value << 8n) | BigInt(bytes[i]!);
  if (value < spec.min) {
    return fail(
      'BIGSIZE_NOT_MINIMAL',
      `BigSize ${value} is not minimally encoded (${spec.width + 1} bytes used)`,
      `not a minimally encoded ${spec.minimalName}`,
    );
  }
  return ok({value, rest: bytes.subarray(spec.width + 1)});
}

function underrun(name: string, needed: number, have: number): Result<never> {
  return fail(
    'BIGSIZE_UNDERRUN',
    `truncated BigSize: needs ${needed} byte(s), ${have} left`,
    `underrun while peeking a ${name}`,
  );
}

/** Decodes a BigSize that must fit a JS number (ports, counts, lengths). */
export function decodeSmallBigSize(bytes: Uint8Array): Result<{value: number; rest: Uint8Array}> {
  const read = decodeBigSize(bytes);
  if (!read.ok) return read;
  if (read.value.value > BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail('BIGSIZE_TOO_LARGE', `BigSize ${read.value.value} is too large for this field`);
  }
  return ok({value: Number(read.value.value), rest: read.value.rest});
}
