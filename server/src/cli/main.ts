// Entry point of the `lockorder` command line (bundled to dist/cli.js). Parses the
// arguments, runs the command, and turns every failure into a one-line message and exit 2.

import { parseArgs, UsageError } from './args';
import { CheckError, exitError, runCheck } from './check';
import type { Output } from './check';
import { helpText, usageHint } from './help';
import { bugsUrl, version } from './version';

const output: Output = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
};

/** Run the CLI with `argv` and return the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      output.out(helpText());
      return 0;
    }
    if (args.command === 'version') {
      output.out(`lockorder ${version}\n`);
      return 0;
    }
    return await runCheck(args, process.cwd(), output);
  } catch (err) {
    return reportFailure(err);
  }
}

/** Print a failure as one clear line (plus a hint) and return exit code 2. */
function reportFailure(err: unknown): number {
  if (err instanceof UsageError) {
    output.err(`lockorder: ${err.message}\n${usageHint}\n`);
  } else if (err instanceof CheckError) {
    output.err(`lockorder: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    output.err(`lockorder: internal error: ${message}\n`
      + `Please report this at ${bugsUrl}\n`);
  }
  return exitError;
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
