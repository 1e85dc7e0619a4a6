/** UUID v4 from the CSPRNG (js-moneysocket used Math.random; we do not). */
import {randomBytes, toHex} from './bytes.js';

/** The syntax js-moneysocket accepts: 8-4-4-4-12 hex, version nibble unchecked. */
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function newUuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
