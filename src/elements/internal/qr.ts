/** Beacon QR codes drawn with @paulmillr/qr (reading them is qr-scanner's job: camera-scan.ts). */
import type encodeQRType from '@paulmillr/qr';
import {decodeBeacon} from '../../core/beacon.js';
import {normaliseBeacon} from './beacon-check.js';

export interface QrShape {
  /** Modules per side, quiet zone included. */
  size: number;
  /** One SVG path drawing every dark module. */
  path: string;
}

/** The 4-module light margin scanners need around a code (ISO/IEC 18004). */
const QUIET_ZONE = 4;

/**
 * The text to put in a beacon's QR code. A valid beacon is encoded in upper
 * case: bech32 is case-insensitive and every decoder (ours included) accepts
 * it, and upper case fits QR's alphanumeric mode (5.5 bits a character
 * instead of 8), so a typical 126-character beacon needs a version 6 code
 * (41 modules) instead of version 8 (49): bigger modules, easier scans.
 */
export function qrPayload(beacon: string): string {
  return decodeBeacon(beacon).ok ? normaliseBeacon(beacon).toUpperCase() : beacon;
}

let encoder: Promise<typeof encodeQRType> | undefined;

/**
 * The encoder is about 7 kB gzipped, a quarter of the browser bundle: it is
 * loaded on first use (a chunk of its own), so pages that never draw a QR
 * code do not pay for it.
 */
function loadEncoder(): Promise<typeof encodeQRType> {
  encoder ??= import('@paulmillr/qr').then((module) => module.default);
  return encoder;
}

/** Draws `text` as a QR code; one path of horizontal runs keeps the SVG small. */
export async function qrShape(text: string): Promise<QrShape> {
  const encodeQR = await loadEncoder();
  const rows = encodeQR(text, 'raw', {ecc: 'medium', border: QUIET_ZONE});
  let path = '';
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      path += `M${start} ${y}h${x - start + 1}v1H${start}z`;
    }
  });
  return {size: rows.length, path};
}
