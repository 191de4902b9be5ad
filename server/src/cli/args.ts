// Command-line parsing for `lockorder`: turns argv into a command and its options.
// It only checks the shape of the arguments; rule codes are checked in codes.ts.

import { parseGraph, type GraphArgs } from './graphArgs';
import { scanOptions, type OptionSpec } from './optionScan';

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
  /** `--max-file-size SIZE` in bytes: larger files are skipped (default: defaultMaxFileBytes). */
  maxFileBytes?: number;
  /** `--verbose`: say on stderr how the run went (which parser read the Python files). */
  verbose?: boolean;
}

/** The options of `lockorder run`: a Node script run with the Node runtime preloaded. */
export interface RunArgs {
  command: 'run';
  /** The script, as given. */
  script: string;
  /** The script's own arguments, passed through untouched. */
  scriptArgs: string[];
  /** `--report-dir DIR` (default `.lockorder`). */
  reportDir?: string;
  /** `--raise`: reject the offending acquire with DeadlockError / LockOrderViolation. */
  raise: boolean;
  /** `--order-file PATH`: the declared lock hierarchy for the ordered acquire. */
  orderFile?: string;
}

/** What the command line asks for. */
export type ParsedArgs = { command: 'help' } | { command: 'version' } | CheckArgs | GraphArgs | RunArgs;

/** A command that runs in the worker thread: `check` or `graph`. */
export type WorkerArgs = CheckArgs | GraphArgs;

/** A mistake in the command line; main prints it with a hint and exits 2. */
export class UsageError extends Error {}

const listOptions = new Set(['--select', '--ignore', '--exclude']);
const valueOptions = new Set(['--format', '--order-file', '--max-file-size']);

/**
 * Parse `argv` (without the node and script paths). Throws UsageError on a mistake.
 * After `--` every argument is a path, even `--help`.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  if (argv[0] === 'run') return parseRun(argv.slice(1));
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) return { command: 'help' };
  if (options.includes('--version') || options.includes('-V')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command');
  if (command === 'help') return { command: 'help' };
  if (command === 'graph') return parseGraph(rest);
  if (command !== 'check') throw new UsageError(`unknown command: ${command} (expected check, graph or run)`);
  return parseCheck(rest);
}

const checkSpec: OptionSpec = {
  flags: new Set(['--write-order', '--verbose']),
  valued: new Set([...valueOptions, ...listOptions]),
  unknown: (name) => `unknown option: ${name}`,
};

/** Parse the arguments after `check`. */
function parseCheck(argv: string[]): CheckArgs {
  const args: CheckArgs = {
    command: 'check', paths: [], format: 'text', select: [], ignore: [], exclude: [], writeOrder: false,
  };
  for (const item of scanOptions(argv, checkSpec)) {
    if ('path' in item) args.paths.push(item.path);
    else if ('flag' in item && item.flag === '--verbose') args.verbose = true;
    else if ('flag' in item) args.writeOrder = true;
    else applyOption(args, item.name, item.value);
  }
  return args;
}

const runValueOptions = new Set(['--report-dir', '--order-file']);

/**
 * Parse the arguments after `run`: options, then the script; everything after the script is
 * the script's own (even `--help`). Returns help for `run --help`.
 */
function parseRun(argv: string[]): RunArgs | { command: 'help' } {
  const args: Partial<RunArgs> & { raise: boolean } = { raise: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    if (arg === '--') {
      if (i + 1 >= argv.length) break;
      return { ...args, command: 'run', script: argv[i + 1], scriptArgs: argv.slice(i + 2) };
    }
    if (!arg.startsWith('-') || arg === '-') return { ...args, command: 'run', script: arg, scriptArgs: argv.slice(i + 1) };
    if (arg === '--raise') {
      args.raise = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!runValueOptions.has(name)) throw new UsageError(`unknown option for run: ${name}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (name === '--report-dir') args.reportDir = value;
    else args.orderFile = value;
  }
  throw new UsageError('run needs a script: lockorder run [--report-dir DIR] [--raise] script.js [args]');
}

/** Record one option's value. */
function applyOption(args: CheckArgs, name: string, value: string): void {
  if (name === '--order-file') {
    args.orderFile = value;
    return;
  }
  if (name === '--max-file-size') {
    args.maxFileBytes = parseSize(value);
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

const sizeUnits: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** A size such as `20MB`, `512KB`, `1.5GB` or `4096` (bytes); units are 1024-based. */
export function parseSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? sizeUnits[match[2].toLowerCase()] : undefined;
  const bytes = match && unit ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) {
    throw new UsageError(`bad --max-file-size: ${value} (expected a size such as 20MB, 512KB or 1GB)`);
  }
  return bytes;
}
