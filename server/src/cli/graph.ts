// The `lockorder graph` command: collect and read files as `check` does, analyze them as one
// program, and print the lock-order graph as Graphviz dot, Mermaid or JSON. Exits 0 whether
// or not there are cycles (`check` is the gate); bad input is exit 2, as for `check`.

import { UnknownLockError } from '../analysis/index';
import type { LockGraph } from '../analysis/index';
import { createProject, noSourcesWarning, readOrderFile, type Output, type RunContext } from './check';
import { escapeControl } from './escape';
import { CheckError, exitClean } from './failure';
import { collectFiles } from './files';
import { compileGlob } from './glob';
import type { GraphArgs } from './graphArgs';
import { displayPath } from './paths';
import { defaultMaxFileBytes, readSource } from './read';
import { formatDot } from './format/dot';
import { formatMermaid } from './format/mermaid';
import { displayGraph } from './format/graphJson';
import { cacheNote, openCache } from './cacheOpen';
import type { AnalysisCache } from '../analysis/cache/analysisCache';

/** Run `lockorder graph` and return the exit code. */
export async function runGraph(args: GraphArgs, cwd: string, output: Output): Promise<number> {
  const collected = await collectFiles(args.paths, cwd, args.exclude.map(compileGlob));
  if (collected.missing.length > 0) {
    throw new CheckError(`no such file or directory: ${collected.missing.join(', ')}`,
      'Check the path, or run lockorder graph without a PATH to draw the current directory.');
  }
  const run: RunContext = { cwd, maxBytes: args.maxFileBytes ?? defaultMaxFileBytes, output };
  const order = await readOrderFile({ orderFile: args.orderFile, writeOrder: false }, run);
  const sources = new Map<string, string>();
  for (const file of collected.files) {
    const read = await readSource(file, run.maxBytes);
    if ('error' in read) collected.skipped.push({ file, reason: read.error });
    else sources.set(file, read.text);
  }
  for (const s of collected.skipped) output.err(escapeControl(`lockorder: skipped ${displayPath(s.file, cwd)}: ${s.reason}`) + '\n');
  if (sources.size === 0 && collected.skipped.length === 0) output.err(noSourcesWarning);
  const cache = openCache(args, cwd, output);
  const graph = await buildGraph(sources, args, order, cache);
  if (args.verbose) output.err(cacheNote(cache, cache?.stats(), sources.size, cwd));
  output.out(render(args.format, displayGraph(graph, cwd)));
  return exitClean;
}

/** Analyze the sources and build the selected graph; an unknown --focus is a usage mistake. */
async function buildGraph(sources: Map<string, string>, args: GraphArgs, order: { path: string; text: string } | undefined,
  cache: AnalysisCache | undefined): Promise<LockGraph> {
  const project = await createProject(sources.values(), cache);
  try {
    await project.addFiles([...sources].map(([path, text]) => ({ path, text })));
    const result = project.analyze(order ? { orderFile: order } : {});
    return project.graph({ cyclesOnly: args.cyclesOnly, focus: args.focus, depth: args.depth }, { findings: result.findings });
  } catch (err) {
    if (err instanceof UnknownLockError) {
      throw new CheckError(`--focus: ${err.message}`, 'Name a lock as hover shows it (module.Class.attr) or by its short name (Class.attr).');
    }
    throw err;
  } finally {
    project.dispose();
    cache?.finish();
  }
}

/** The graph in the chosen format. */
function render(format: GraphArgs['format'], graph: LockGraph): string {
  if (format === 'json') return JSON.stringify(graph, null, 2) + '\n';
  if (format === 'mermaid') return formatMermaid(graph);
  return formatDot(graph);
}
