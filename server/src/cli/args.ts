// Command-line parsing for `lockorder`: turns argv into a command and its options.
// It only checks the shape of the arguments; rule codes are checked in codes.ts.

/** The output formats `lockorder check` can write. */
export type OutputFormat = 'text' | 'json' | 'sarif';

/** The formats, in the order `--help` lists them. */
export const outputFormats: OutputFormat[] = ['text', 'json', 'sarif'];

/** The options of `lockorder check`. */
export interface CheckArgs {
  command: 'check';
  /** Files or directories as given; empty means the current directory. */
  paths: string[];
  format: OutputFormat;
  /** Codes (or rule names) from every `--select`, split on commas. */
  select: string[];
  /** Codes (or rule names) from every `--ignore`, split on commas. */
  ignore: string[];
  /** Globs from every `--exclude`, split on commas. */
  exclude: string[];
  /** `--order-file PATH`: the declared lock hierarchy (default: ./lockorder.order if present). */
  orderFile?: string;
  /** `--write-order`: write the inferred global order to the order file. */
  writeOrder: boolean;
}

/** What the command line asks for. */
export type ParsedArgs = { command: 'help' } | { command: 'version' } | CheckArgs;

/** A mistake in the command line; main prints it with a hint and exits 2. */
export class UsageError extends Error {}

const listOptions = new Set(['--select', '--ignore', '--exclude']);

/** Parse `argv` (without the node and script paths). Throws UsageError on a mistake. */
export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv.includes('--version') || argv.includes('-V')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command');
  if (command === 'help') return { command: 'help' };
  if (command !== 'check') throw new UsageError(`unknown command: ${command}`);
  return parseCheck(rest);
}

/** Parse the arguments after `check`. */
function parseCheck(argv: string[]): CheckArgs {
  const args: CheckArgs = {
    command: 'check', paths: [], format: 'text', select: [], ignore: [], exclude: [], writeOrder: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.paths.push(arg);
      continue;
    }
    if (arg === '--write-order') {
      args.writeOrder = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name !== '--format' && name !== '--order-file' && !listOptions.has(name)) {
      throw new UsageError(`unknown option: ${name}`);
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
    }
    applyOption(args, name, value);
  }
  return args;
}

/** Record one option's value. */
function applyOption(args: CheckArgs, name: string, value: string): void {
  if (name === '--order-file') {
    args.orderFile = value;
    return;
  }
  if (name === '--format') {
    if (!(outputFormats as string[]).includes(value)) {
      throw new UsageError(`unknown format: ${value} (expected one of: ${outputFormats.join(', ')})`);
    }
    args.format = value as OutputFormat;
    return;
  }
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${name} needs a value`);
  if (name === '--select') args.select.push(...items);
  else if (name === '--ignore') args.ignore.push(...items);
  else args.exclude.push(...items);
}
