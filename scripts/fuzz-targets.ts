/**
 * The decoder targets: beacons, frames (with and without a seed), message
 * JSON and BOLT11 invoices. Each input is random, structured garbage (deep
 * nesting, long runs) or a valid example mutated.
 */
import {readFileSync} from 'node:fs';
import {createBeacon, decodeBeacon, encodeBeacon} from '../src/core/beacon.js';
import {decodeBolt11} from '../src/core/bolt11.js';
import {utf8DecodeLenient, utf8Encode} from '../src/core/bytes.js';
import {DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame} from '../src/core/frame.js';
import {decodeMessage, type Message} from '../src/core/message-codec.js';
import {createNotification, createRequest, defaultRegistry} from '../src/core/message-types.js';
import {SharedSeed} from '../src/core/seed.js';
import {rendezvousIdOf} from '../src/core/seed-keys.js';
import {mutate, type FuzzTarget, type Rng} from './fuzz-engine.js';

const FIXED_SEED = unwrapSeed(SharedSeed.fromHex('000102030405060708090a0b0c0d0e0f'));

function unwrapSeed(result: ReturnType<typeof SharedSeed.fromHex>): SharedSeed {
  if (!result.ok) throw result.error;
  return result.value;
}

/** Fixed time and uuids, so the corpus is the same in every run. */
function fixed<M extends Message>(message: M, n: number): M {
  const uuid = `00000000-0000-4000-8000-00000000000${n}`;
  return 'request_uuid' in message ? {...message, timestamp: 1_700_000_000, request_uuid: uuid} : {...message, timestamp: 1_700_000_000, notification_uuid: uuid};
}

/** Messages of every shape the stacks exchange, as seeds for mutation. */
export function sampleMessages(): Message[] {
  const rid = rendezvousIdOf(FIXED_SEED);
  return [
    createRequest('REQUEST_RENDEZVOUS', {rendezvous_id: rid}),
    createNotification('NOTIFY_RENDEZVOUS', null, {rendezvous_id: rid}),
    createNotification('NOTIFY_RENDEZVOUS_END', null, {rendezvous_id: rid}),
    createRequest('REQUEST_PING', {}),
    createRequest('REQUEST_INVOICE', {msats: 1000}),
  ].map((m, i) => fixed<Message>(m, i));
}

/** A fixed IV keeps the corpus, and so a seeded run, the same from run to run. */
const FIXED_IV = new Uint8Array(16).fill(7);

function encoded(message: Message, seed: SharedSeed | null): Uint8Array {
  const frame = encodeFrame(message, seed, {iv: FIXED_IV});
  if (!frame.ok) throw frame.error;
  return frame.value;
}

/** Deeply nested or long JSON-looking text: what once cost the relay a core. */
function structured(rng: Rng, max: number): Uint8Array {
  const depth = rng.size(max / 8);
  const open = rng.pick(['[', '{"a":', '{"request_name":', '[{"x":[', ' ']);
  const middle = rng.pick(['1', '"', '{}', '[]', 'null', '"\\u0000"', '1e999999', '-0.0e-9999']);
  const close = open === '[' ? ']' : open === ' ' ? '' : open === '[{"x":[' ? ']}]' : '}';
  const text = open.repeat(depth) + middle + (rng.chance(0.5) ? close.repeat(depth) : '');
  return utf8Encode(text).subarray(0, max);
}

/** Random bytes, structured text, or a mutated example, in that order of rarity. */
function generator(corpus: Uint8Array[], max: number): (rng: Rng) => Uint8Array {
  return (rng) => {
    const roll = rng.int(10);
    if (roll === 0) return rng.bytes(rng.size(max));
    if (roll === 1) return structured(rng, max);
    return mutate(rng, rng.pick(corpus), corpus, max);
  };
}

function beaconTarget(): FuzzTarget {
  const beacons = [
    createBeacon([{type: 'WebSocket', host: 'relay.socket.money', port: 443, use_tls: true}], FIXED_SEED),
    createBeacon([{type: 'WebSocket', host: '127.0.0.1', port: 11060, use_tls: false}, {type: 'WebSocket', host: 'example.com', port: 8080, use_tls: false}], FIXED_SEED),
  ].map((b) => encodeBeacon(b));
  const corpus = [...beacons, ...beacons.map((b) => b.toUpperCase()), `moneysocket:${beacons[0]}`].map(utf8Encode);
  return {name: 'beacon', generate: generator(corpus, 4096), run: (input) => void decodeBeacon(utf8DecodeLenient(input))};
}

function frameTarget(): FuzzTarget {
  const messages = sampleMessages();
  const corpus = [...messages.map((m) => encoded(m, FIXED_SEED)), ...messages.slice(0, 3).map((m) => encoded(m, null))];
  return {
    name: 'frame',
    generate: generator(corpus, DEFAULT_MAX_FRAME_BYTES + 64),
    run: (input) => {
      decodeFrame(input, FIXED_SEED);
      decodeFrame(input, null);
    },
  };
}

function messageTarget(): FuzzTarget {
  const corpus = sampleMessages().map((m) => utf8Encode(JSON.stringify(m)));
  return {name: 'message', generate: generator(corpus, DEFAULT_MAX_FRAME_BYTES), run: (input) => void decodeMessage(utf8DecodeLenient(input), defaultRegistry)};
}

function bolt11Target(): FuzzTarget {
  const file = new URL('../test/vectors/invoices.json', import.meta.url);
  const vectors = (JSON.parse(readFileSync(file, 'utf8')) as {vectors: Array<{bolt11?: string}>}).vectors;
  const invoices = vectors.flatMap((v) => (typeof v.bolt11 === 'string' ? [v.bolt11] : []));
  const corpus = [...invoices, ...invoices.slice(0, 2).map((i) => i.toUpperCase())].map(utf8Encode);
  return {name: 'bolt11', generate: generator(corpus, 8192), run: (input) => void decodeBolt11(utf8DecodeLenient(input))};
}

export const DECODER_TARGETS: Record<string, () => FuzzTarget> = {
  beacon: beaconTarget,
  frame: frameTarget,
  message: messageTarget,
  bolt11: bolt11Target,
};
