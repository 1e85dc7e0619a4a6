/** `moneysocket frame decode --seed <hex> <frame hex>` */
import {parseArgs} from 'node:util';
import {fromHex} from '../core/bytes.js';
import {unwrap} from '../core/errors.js';
import {decodeFrame} from '../core/frame.js';
import {SharedSeed} from '../core/seed.js';
import {UsageError, type Io} from './output.js';

export const FRAME_HELP = `Usage: moneysocket frame decode --seed <32 hex> <frame as hex>

Decrypts (when encrypted) and validates one WebSocket frame exactly as a
receiving peer would, and prints the message that was on the wire as JSON.
Without --seed, the frame is read as the relay reads it: clear frames only.`;

export function runFrame(args: string[], io: Io): number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(FRAME_HELP);
    return 0;
  }
  if (sub !== 'decode') throw new UsageError(`unknown frame command "${sub}" (try: moneysocket frame --help)`);
  const {values, positionals} = parseArgs({
    args: rest,
    options: {seed: {type: 'string'}, help: {type: 'boolean', short: 'h'}},
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.out(FRAME_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one frame, as hex');
  const seed = values.seed === undefined ? null : unwrap(SharedSeed.fromHex(values.seed));
  const frame = unwrap(fromHex(positionals[0]!.trim()));
  io.out(JSON.stringify(unwrap(decodeFrame(frame, seed))));
  return 0;
}
