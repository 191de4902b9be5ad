// Entry point of the `lockorder` command line (bundled to dist/cli.js). Parses the
// arguments, runs the command (`check`, or `run` for a Node script under the runtime), and turns every failure into a one-line message and exit 2.
// The check itself runs in a worker thread (see guard.ts), so that even running out of
// memory ends with a message and a documented exit status; this file loads no engine code.

import { parseArgs } from './args';
import type { Output } from './check';
import { describeFailure, exitError } from './failure';
import { runInWorker } from './guard';
import { helpText } from './help';
import { runScript } from './run';
import { version } from './version';

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
    if (args.command === 'run') return await runScript(args, process.cwd());
    return await runInWorker(args, process.cwd(), output);
  } catch (err) {
    output.err(describeFailure(err));
    return exitError;
  }
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
