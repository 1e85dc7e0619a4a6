/** The `moneysocket` command: tools for people debugging connections. */
import {runBeacon} from './beacon-command.js';
import {runFrame} from './frame-command.js';
import {runRelay} from './relay-command.js';
import {unknownOption} from './args.js';
import {errorLine, processIo, UsageError, type Io} from './output.js';
import {packageVersion} from './version.js';

export const MAIN_HELP = `Usage: moneysocket <command> [options]

Commands:
  beacon new | encode | decode   make and read beacons
  frame decode                   decrypt and validate one WebSocket frame
  relay                          run a Moneysocket relay

Options:
  -h, --help                     show this help
  -v, --version                  print the version

Run "moneysocket <command> --help" for a command's options.`;

type Command = (args: string[], io: Io) => number | Promise<number>;

const commands = new Map<string, Command>([
  ['beacon', runBeacon],
  ['frame', runFrame],
  ['relay', runRelay],
]);

export function registerCommand(name: string, command: Command): void {
  commands.set(name, command);
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(MAIN_HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(packageVersion());
    return 0;
  }
  try {
    if (name.startsWith('-')) throw unknownOption(name, 'moneysocket');
    const command = commands.get(name);
    if (command === undefined) throw new UsageError(`unknown command "${name}" (try: moneysocket --help)`);
    return await command(rest, io);
  } catch (error) {
    io.err(errorLine(error));
    return 1;
  }
}
