/** `moneysocket frame decode --seed <hex> <frame hex>` */
import {fromHex} from '../core/bytes.js';
import {MoneysocketError, unwrap} from '../core/errors.js';
import {decodeFrame} from '../core/frame.js';
import {SharedSeed} from '../core/seed.js';
import {parseCommandArgs, unknownOption} from './args.js';
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
  if (sub.startsWith('-')) throw unknownOption(sub, 'frame');
  if (sub !== 'decode') throw new UsageError(`unknown frame command "${sub}" (try: moneysocket frame --help)`);
  const {values, positionals} = parseCommandArgs('frame decode', rest, {seed: {type: 'string'}, help: {type: 'boolean', short: 'h'}});
  if (values.help) {
    io.out(FRAME_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one frame, as hex');
  const seed = values.seed === undefined ? null : unwrap(SharedSeed.fromHex(values.seed));
  const frame = unwrap(fromHex(positionals[0]!.trim()));
  const message = decodeFrame(frame, seed);
  if (!message.ok && message.error.code === 'FRAME_NO_SEED') throw needsSeed();
  io.out(JSON.stringify(unwrap(message)));
  return 0;
}

/** An encrypted frame read without --seed: say where the seed comes from. */
function needsSeed(): MoneysocketError {
  return new MoneysocketError(
    'FRAME_NO_SEED',
    'this frame is encrypted: give the shared seed with --seed <32 hex> ("moneysocket beacon decode <beacon>" prints it as shared_seed)',
  );
}
