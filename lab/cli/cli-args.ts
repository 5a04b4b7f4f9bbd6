// Shared argument handling: every command parses strictly and prints its usage on --help or misuse.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.ts';

export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(
  command: Command,
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${unknownOptionHint(error as Error, options)}\n\n${command.usage}`);
  }
}

/** parseArgs's message, with the closest known flag when the option was unknown (a typo, usually). */
function unknownOptionHint(error: Error, options: Options): string {
  const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(error.message)?.[1];
  if ((error as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !unknown)
    return error.message;
  const known = ['--help', ...Object.keys(options).map((name) => `--${name}`)];
  // Node's own advice (put it after `--`) is for a positional that starts with '-'; a typo needs the flag.
  const hint = didYouMean(unknown.split('=')[0], known);
  return hint ? `unknown option ${unknown}${hint}` : error.message;
}

export function intOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}
