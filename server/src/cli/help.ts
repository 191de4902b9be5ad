// The text of `lockorder --help`.

import { buildOutputDirectories, skippedDirectories } from './files';
import { outputFormats } from './args';
import { graphFormats } from './graphArgs';

/** The usage text. */
export function helpText(): string {
  return `Usage: lockorder check [PATH...] [options]
       lockorder graph [PATH...] [--format dot|mermaid|json] [--cycles] [--focus LOCK [--depth N]]
       lockorder run [--report-dir DIR] [--raise] [--order-file PATH] script.js [args]

Find lock-order inversions, self-deadlocks, unreleased locks, blocking waits under locks
and declared-order violations in threaded Python and in async TypeScript/JavaScript.

Each PATH is a file or a directory (default: the current directory). Directories are
walked recursively for .py, .ts, .tsx, .mts, .cts, .js, .jsx, .mjs and .cjs files,
skipping ${skippedDirectories.join(', ')}.
Not checked there: .d.ts files, and TS/JS files below a build output folder
(${buildOutputDirectories.join(', ')}).

Options:
  --format FORMAT   Output format: ${outputFormats.join(', ')} (default: text)
  --select CODES    Only report these rules (comma-separated codes or names, repeatable)
  --ignore CODES    Never report these rules (comma-separated, repeatable)
  --exclude GLOB    Skip files and directories matching GLOB (comma-separated, repeatable).
                    A pattern without '/' matches a name at any depth ('build/', '*_pb2.py');
                    otherwise it matches the path relative to the current directory
                    ('**/tests/**', 'src/gen/*.py'). A trailing '/' matches directories only.
                    Applies to paths given on the command line too.
  --order-file PATH The declared lock hierarchy to check against (LO106); by default
                    ./lockorder.order when it exists. Format: docs/order-file.md
  --write-order     Write the inferred global lock order to the order file (cycles are
                    left out and explained in comments), then check as usual
  --max-file-size SIZE
                    Skip files larger than SIZE (default 10MB; e.g. 512KB, 20MB, 1GB).
                    Only regular files are read: FIFOs and devices are skipped with a message
  --cache-dir DIR   Keep the analysis cache in DIR (default .lockorder/cache): each file's
                    facts by content hash, so the next run parses only changed files, and
                    the last result, so an unchanged tree is not analyzed again
  --no-cache        Neither read nor write the cache
  --cache-size MB   Bound the cache folder (default 200); the least recently used entries go
  --verbose         Say on stderr how many files came from the cache, and which Python
                    parser ran (wasm, or native with LOCKORDER_PARSER=auto where its
                    binary loads; see docs/cli.md)
  --                Everything after it is a path, even if it starts with '-'
  -h, --help        Show this help
  -V, --version     Show the version

lockorder graph draws the lock-order graph (lock classes, and "taken while holding" edges)
of the same files, top to bottom in the inferred order. Cycles are red; edges against the
declared order (LO106) are dashed; each lockorder.acquire() group is one cluster. It takes
--exclude, --order-file, --max-file-size and the cache options as check does, and:
  --format FORMAT   ${graphFormats.join(', ')} (default: dot). json is described in docs/cli.md
  --cycles          Only the locks and edges on a lock-order cycle
  --focus LOCK      Only LOCK (as hover names it, module.Class.attr, or Class.attr) and its
                    neighbours, up to --depth N edges away either way (default 1)
It exits 0 whether or not there are cycles (check is the gate), 2 on bad input.
lockorder run runs a Node script with the Node runtime preloaded (node --import): it records
the lock order of async-mutex locks per async call chain and writes run-time findings
(LO101, LO102, LO103, LO104, LO110) to DIR/lockorder-<pid>.jsonl (default DIR .lockorder).
--raise rejects the offending acquire with DeadlockError instead of letting it hang. The
script keeps its arguments, stdout and exit code. NODE_OPTIONS=--import=lockorder/register
does the same for any node process (test runners).

Suppress one finding with a comment on its line: # lockorder: ignore[LO101] (Python),
// lockorder: ignore[LO101] (TypeScript, JavaScript)

Exit status: 0 no problems, 1 problems found, 2 usage error, missing path, unreadable
order file, out of memory or internal error.
`;
}

/** The hint printed after a usage error. */
export const usageHint = "Run 'lockorder --help' for usage.";
