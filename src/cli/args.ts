/** Command-line parsing shared by the commands: node:util's parseArgs, with its errors turned into usage errors. */
import {parseArgs, type ParseArgsConfig} from 'node:util';
import {UsageError} from './output.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type CommandArgs<O extends Options> = ReturnType<typeof parseArgs<{args: string[]; options: O; allowPositionals: true; strict: true}>>;

/** Why parseArgs refused, as one line naming the option and the command (its own text suggests `--` tricks). */
function usageErrorFrom(error: unknown, command: string): unknown {
  if (!(error instanceof Error) || !('code' in error)) return error;
  // Node quotes the option: '--foo', '--foo=bar', '--seed <value>' or '-h, --help'. Name its long form.
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const name = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,=]/)[0]!;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${name} for "${command}"`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(error.message)
        ? new UsageError(`option ${name} needs a value for "${command}"`)
        : new UsageError(`option ${name} takes no value for "${command}"`);
    default:
      return error;
  }
}

/** node:util's parseArgs for `command` (e.g. "beacon new"): a bad flag is a UsageError naming it and the command. */
export function parseArgsFor<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw usageErrorFrom(error, command);
  }
}

/** parseArgsFor with positionals allowed and strict flags, the way every command reads its arguments. */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O): CommandArgs<O> {
  return parseArgsFor(command, {args, options, allowPositionals: true, strict: true});
}

/** A flag given where a subcommand was expected (`moneysocket beacon --foo`), as a usage error. */
export function unknownOption(option: string, command: string): UsageError {
  return new UsageError(`unknown option ${option.replace(/=.*$/, '')} for "${command}"`);
}
