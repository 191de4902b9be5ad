// The argument scan `check` and `graph` share: paths, flags without a value, and options
// given as `--name value` or `--name=value`. After `--` every argument is a path.

import { UsageError } from './args';

/** What one command accepts, and how it names itself in an error. */
export interface OptionSpec {
  /** Options that take no value (`--cycles`). */
  flags: Set<string>;
  /** Options that take a value (`--format dot`). */
  valued: Set<string>;
  /** The message for an option the command does not know. */
  unknown: (name: string) => string;
}

/** One argument, scanned. */
export type Scanned = { path: string } | { flag: string } | { name: string; value: string };

/** Scan `argv` (the arguments after the command). Throws UsageError on a mistake. */
export function scanOptions(argv: string[], spec: OptionSpec): Scanned[] {
  const out: Scanned[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      for (const path of argv.slice(i + 1)) out.push({ path });
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.push({ path: arg });
      continue;
    }
    if (spec.flags.has(arg)) {
      out.push({ flag: arg });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!spec.valued.has(name)) throw new UsageError(spec.unknown(name));
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    out.push({ name, value });
  }
  return out;
}
