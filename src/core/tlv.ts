/** TLV records: BigSize type, BigSize length, then `length` bytes of value. */
import {concatBytes} from './bytes.js';
import {decodeBigSize, encodeBigSize} from './bigsize.js';
import {fail, ok, type Result} from './errors.js';

export interface TlvRecord {
  type: bigint;
  value: Uint8Array;
}

export interface TlvRead extends TlvRecord {
  rest: Uint8Array;
}

export function encodeTlv(type: number | bigint, value: Uint8Array): Uint8Array {
  return concatBytes(encodeBigSize(type), encodeBigSize(value.length), value);
}

export function popTlv(bytes: Uint8Array): Result<TlvRead> {
  const type = decodeBigSize(bytes);
  if (!type.ok) return prefixed(type.error.code, 'type', type.error.message, type.error.reason);
  const length = decodeBigSize(type.value.rest);
  if (!length.ok) return prefixed(length.error.code, 'length', length.error.message, length.error.reason);
  const rest = length.value.rest;
  if (length.value.value > BigInt(rest.length)) {
    return fail(
      'TLV_TRUNCATED',
      `TLV value truncated: length ${length.value.value}, ${rest.length} byte(s) left`,
      'value truncated',
    );
  }
  const n = Number(length.value.value);
  return ok({type: type.value.value, value: rest.subarray(0, n), rest: rest.subarray(n)});
}

function prefixed(
  code: Parameters<typeof fail>[0],
  what: 'type' | 'length',
  message: string,
  reason: string | undefined,
): Result<never> {
  return fail(code, `could not read TLV ${what}: ${message}`, `could not get ${what}: ${reason ?? message}`);
}

/** Reads records until the bytes run out; the first malformed record fails the whole stream. */
export function parseTlvStream(bytes: Uint8Array): Result<TlvRecord[]> {
  const records: TlvRecord[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const read = popTlv(rest);
    if (!read.ok) return read;
    records.push({type: read.value.type, value: read.value.value});
    rest = read.value.rest;
  }
  return ok(records);
}
