/**
 * What the relay makes of one binary frame, at a bounded cost: ciphertext is
 * recognised without parsing it, and only small clear frames are ever handed
 * to JSON.parse. Rendezvous messages are a few hundred bytes, so a clear
 * frame far larger than that is refused unread.
 */
import {decodeFrame} from '../core/frame.js';
import {isRequest} from '../core/message-types.js';

/** Clear frames above this are dropped unread; REQUEST_RENDEZVOUS is about 250 bytes. */
export const DEFAULT_MAX_CLEAR_FRAME_BYTES = 2048;

export type RelayFrame =
  /** Ciphertext by the spec's rule (3.5): forwarded once paired, never parsed. */
  | {kind: 'opaque'}
  | {kind: 'rendezvous'; rendezvousId: string; requestUuid: string}
  /** A valid clear message other than REQUEST_RENDEZVOUS. */
  | {kind: 'clear'}
  | {kind: 'invalid'; reason: string};

export interface RelayFrameLimits {
  maxFrameBytes: number;
  maxClearFrameBytes: number;
}

// Bytes a JSON text can start with (RFC 8259 whitespace and value starts).
const JSON_START_CHARS = ' \t\n\r{["-tfn0123456789';
const JSON_START = Uint8Array.from({length: 256}, (_, byte) => (JSON_START_CHARS.includes(String.fromCharCode(byte)) ? 1 : 0));

/**
 * False when the frame cannot be JSON: empty, a first byte no JSON text
 * starts with, or a raw control byte JSON never holds (and UTF-8 never
 * makes). The same pre-check the core's classifier makes before it parses,
 * so "false" here means the core would call the frame ciphertext too (a test
 * holds the two together). One pass over the bytes, no allocation.
 */
export function mayBeJson(frame: Uint8Array): boolean {
  if (frame.length === 0 || JSON_START[frame[0]!] === 0) return false;
  for (let i = 0; i < frame.length; i++) {
    const b = frame[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/**
 * Classifies a frame. Work is linear in its size and JSON.parse sees at most
 * `maxClearFrameBytes`. A frame that passes `mayBeJson` yet is larger than
 * that is called invalid, not ciphertext: random bytes pass the pre-check
 * with a probability of about (227/256)^n, nil for any n in the kilobytes,
 * so no real ciphertext is lost by it.
 */
export function readRelayFrame(frame: Uint8Array, limits: RelayFrameLimits): RelayFrame {
  if (frame.length > limits.maxFrameBytes) return {kind: 'invalid', reason: 'frame too large'};
  if (!mayBeJson(frame)) return {kind: 'opaque'};
  if (frame.length > limits.maxClearFrameBytes) return {kind: 'invalid', reason: 'clear frame too large'};
  const decoded = decodeFrame(frame, null, {maxFrameBytes: limits.maxClearFrameBytes});
  if (decoded.ok) {
    const message = decoded.value;
    if (!isRequest(message, 'REQUEST_RENDEZVOUS')) return {kind: 'clear'};
    return {kind: 'rendezvous', rendezvousId: message.rendezvous_id, requestUuid: message.request_uuid};
  }
  // FRAME_NO_SEED is the decoder saying "not JSON after all, so ciphertext".
  if (decoded.error.code === 'FRAME_NO_SEED') return {kind: 'opaque'};
  return {kind: 'invalid', reason: `invalid clear frame (${decoded.error.code})`};
}
