/** `moneysocket beacon new | encode | decode` */
import {beaconToJson, createBeacon, decodeBeacon, encodeBeacon} from '../core/beacon.js';
import {toHex} from '../core/bytes.js';
import {unwrap} from '../core/errors.js';
import {parseWebSocketUrl, type Location} from '../core/location.js';
import {SharedSeed} from '../core/seed.js';
import {aesKeyOf, rendezvousIdOf} from '../core/seed-keys.js';
import {parseCommandArgs, unknownOption} from './args.js';
import {UsageError, type Io} from './output.js';

export const BEACON_HELP = `Usage: moneysocket beacon <command>

Commands:
  new --ws <url> [--ws <url> ...]              print a beacon with a fresh random shared seed
  encode --seed <32 hex> --ws <url> [...]      print the beacon for a given seed (deterministic)
  decode <beacon>                              print the beacon's seed, key, rendezvous id and locations as JSON

<url> is ws://host[:port] or wss://host[:port]; default ports (80, 443) are left out of the beacon.`;

const NEW_HELP = `Usage: moneysocket beacon new --ws <ws://host[:port] | wss://host[:port]> [--ws ...]

Prints a new beacon with a fresh random 16-byte shared seed and the given locations, in order.`;

const ENCODE_HELP = `Usage: moneysocket beacon encode --seed <32 hex> --ws <ws://host[:port] | wss://host[:port]> [--ws ...]

Prints the beacon for this shared seed and these locations. The same input always gives the same beacon.`;

const DECODE_HELP = `Usage: moneysocket beacon decode <beacon>

Prints one JSON object: {"shared_seed", "aes_key", "rendezvous_id", "locations"}.
Accepts lower- or upper-case beacons and a leading "moneysocket:".`;

const help = {type: 'boolean', short: 'h'} as const;
const ws = {type: 'string', multiple: true} as const;

function locationsFrom(values: string[] | undefined): Location[] {
  if (!values || values.length === 0) throw new UsageError('give at least one --ws <ws://host[:port] | wss://host[:port]>');
  return values.map((url) => unwrap(parseWebSocketUrl(url)));
}

export function runBeacon(args: string[], io: Io): number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(BEACON_HELP);
    return 0;
  }
  if (sub.startsWith('-')) throw unknownOption(sub, 'beacon');
  // Each subcommand takes only its own flags: `beacon decode --ws …` is an unknown option, not ignored.
  switch (sub) {
    case 'new': {
      const {values, positionals} = parseCommandArgs('beacon new', rest, {ws, help});
      if (values.help) return showHelp(io, NEW_HELP);
      noPositionals(positionals);
      io.out(encodeBeacon(createBeacon(locationsFrom(values.ws))));
      return 0;
    }
    case 'encode': {
      const {values, positionals} = parseCommandArgs('beacon encode', rest, {ws, seed: {type: 'string'}, help});
      if (values.help) return showHelp(io, ENCODE_HELP);
      noPositionals(positionals);
      if (values.seed === undefined) throw new UsageError('give the shared seed with --seed <32 hex characters>');
      const seed = unwrap(SharedSeed.fromHex(values.seed));
      io.out(encodeBeacon(createBeacon(locationsFrom(values.ws), seed)));
      return 0;
    }
    case 'decode': {
      const {values, positionals} = parseCommandArgs('beacon decode', rest, {help});
      if (values.help) return showHelp(io, DECODE_HELP);
      if (positionals.length !== 1) throw new UsageError('give exactly one beacon to decode');
      const beacon = unwrap(decodeBeacon(positionals[0]!));
      const {shared_seed, locations} = beaconToJson(beacon);
      const seed = beacon.sharedSeed;
      io.out(JSON.stringify({shared_seed, aes_key: toHex(aesKeyOf(seed)), rendezvous_id: rendezvousIdOf(seed), locations}));
      return 0;
    }
    default:
      throw new UsageError(`unknown beacon command "${sub}" (try: moneysocket beacon --help)`);
  }
}

function showHelp(io: Io, text: string): number {
  io.out(text);
  return 0;
}

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}
