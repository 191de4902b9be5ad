// The `lockorder check` command: collect files, read them, analyze them as one program,
// print the report in the chosen format, and return the exit code.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isShortRun, parserDescription, Project } from '../analysis/index';
import type { AnalyzeOptions, Finding, RuleCode } from '../analysis/index';
import type { CheckArgs } from './args';
import { resolveCodes } from './codes';
import { collectFiles } from './files';
import type { SkippedPath } from './files';
import { compileGlob } from './glob';
import { displayPath } from './paths';
import { Progress } from './progress';
import { defaultMaxFileBytes } from './read';
import { allTexts, readSources, textFor } from './sources';
import { escapeControl } from './escape';
import { CheckError, exitClean, exitFindings } from './failure';
import { readRegularFile } from '../shared/readRegularFile';
import { sortFindings } from './report';
import type { CheckReport } from './report';
import { formatText } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { cacheNote, openCache } from './cacheOpen';
import type { AnalysisCache } from '../analysis/cache/analysisCache';

/** Where the command writes; tests and main pass process streams. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether `err` reaches a terminal (progress is drawn only then); default: process.stderr's. */
  errIsTTY?: boolean;
}

/** Run `lockorder check` and return the exit code. */
export async function runCheck(args: CheckArgs, cwd: string, output: Output): Promise<number> {
  const options: AnalyzeOptions = { select: codesOrUndefined('--select', args.select),
    ignore: codesOrUndefined('--ignore', args.ignore) };
  const collected = await collectFiles(args.paths, cwd, args.exclude.map(compileGlob));
  if (collected.missing.length > 0) {
    throw new CheckError(`no such file or directory: ${collected.missing.join(', ')}`,
      'Check the path, or run lockorder check without a PATH to check the current directory.');
  }
  const run: RunContext = { cwd, maxBytes: args.maxFileBytes ?? defaultMaxFileBytes, output, cache: openCache(args, cwd, output), verbose: args.verbose };
  const order = await readOrderFile(args, run);
  if (order) options.orderFile = order;
  const report = await analyzeFiles(collected.files, run, options, collected.skipped,
    args.writeOrder ? order ?? { path: path.resolve(cwd, args.orderFile ?? 'lockorder.order'), text: '' } : undefined);
  if (args.verbose) output.err(cacheNote(run.cache, run.cache?.stats(), report.fileCount, cwd));
  for (const s of report.skipped) output.err(escapeControl(`lockorder: skipped ${displayPath(s.file, cwd)}: ${s.reason}`) + '\n');
  for (const p of report.problems) {
    const line = p.line !== undefined ? `:${p.line + 1}` : '';
    output.err(escapeControl(`lockorder: warning: ${displayPath(p.file, cwd)}${line}: ${p.message}`) + '\n');
  }
  for (const n of report.suppressionNotes) {
    output.err(escapeControl(`lockorder: warning: ${displayPath(n.file, cwd)}:${n.line + 1}: ${n.message}`) + '\n');
  }
  if (report.fileCount === 0 && report.skipped.length === 0) output.err(noSourcesWarning);
  output.out(render(args.format, report));
  return report.findings.length > 0 ? exitFindings : exitClean;
}

/** Where a run reads from and writes to. */
export interface RunContext {
  cwd: string;
  /** Files larger than this many bytes are skipped. */
  maxBytes: number;
  output: Output;
  /** The analysis cache, unless --no-cache. */
  cache?: AnalysisCache;
  /** `--verbose`: notes about the run on stderr. */
  verbose?: boolean;
}

/** Read every file and analyze the readable ones as one program. */
async function analyzeFiles(files: string[], run: RunContext, options: AnalyzeOptions,
  skipped: SkippedPath[], writeOrderTo: { path: string; text: string } | undefined): Promise<CheckReport> {
  const { cwd, output } = run;
  const progress = new Progress(files.length, 'lockorder: parsing',
    { isTTY: output.errIsTTY ?? process.stderr.isTTY, write: (text) => output.err(text) });
  const sources = await readSources(files, run.maxBytes, run.cache, skipped);
  // Nothing changed since a run with the same options: its result is this run's (not with --write-order, which needs the program).
  const cached = writeOrderTo ? undefined : run.cache?.result(sources.hashed, options);
  const inputs = cached ? [] : await allTexts(sources, run.maxBytes, skipped);
  const project = cached ? undefined : await createProject(inputs.map((f) => f.text), run.cache);
  if (run.verbose) output.err(`lockorder: parser: ${cached ? 'none (the whole result came from the cache)' : parserDescription()}\n`);
  try {
    let result = cached;
    if (project) {
      await project.addFiles(inputs, (done) => progress.update(done));
      progress.note(`lockorder: analyzing ${files.length} files`);
      if (writeOrderTo) options.orderFile = { path: writeOrderTo.path, text: await writeOrder(project, writeOrderTo, cwd, output) };
      result = project.analyze(options);
      if (!writeOrderTo) run.cache?.storeResult(inputs.map((f) => run.cache!.hashed(f)), options, result);
    }
    result = result!;
    return {
      cwd,
      findings: sortFindings(keepSelected(result.findings, options)),
      problems: sortByFile(result.problems),
      suppressionNotes: sortByFile(result.suppressionNotes),
      skipped: sortByFile(skipped),
      fileCount: cached ? sources.hashed.length : inputs.length,
      sources: { get: (file) => textFor(sources, file) },
      locks: new Map(result.locks.map((lock) => [lock.id, lock])),
    };
  } finally {
    progress.finish();
    project?.dispose();
    run.cache?.finish();
  }
}

/** What `check` and `graph` say when the paths hold nothing to analyze. */
export const noSourcesWarning = 'lockorder: warning: no Python, TypeScript or JavaScript files found'
  + ' (node_modules, .d.ts files and build output such as dist/ are not read)\n';

/**
 * A one-shot project for these texts. The native parser asked for with LOCKORDER_PARSER=native
 * failing to load is the user's to fix (its message says why), not an internal error.
 */
export async function createProject(texts: Iterable<string>, cache?: AnalysisCache): Promise<Project> {
  try {
    return await Project.create({ warm: false, shortRun: isShortRun(texts), cache });
  } catch (err) {
    if (process.env.LOCKORDER_PARSER !== 'native') throw err;
    throw new CheckError((err as Error).message.replace(/^lockorder: /, ''),
      'Set LOCKORDER_PARSER=auto to fall back to the wasm parser where the native one does not load, or leave it unset.');
  }
}

/**
 * The order file: --order-file, or ./lockorder.order when it exists. Like a source file it
 * is read only when it is a regular file within the size limit. A named file, or one that
 * --write-order would overwrite, that cannot be read stops the run; ./lockorder.order is
 * skipped with a message.
 */
export async function readOrderFile(args: Pick<CheckArgs, 'orderFile' | 'writeOrder'>, run: RunContext): Promise<{ path: string; text: string } | undefined> {
  const file = path.resolve(run.cwd, args.orderFile ?? 'lockorder.order');
  const read = await readRegularFile(file, run.maxBytes);
  if ('bytes' in read) return { path: file, text: read.bytes.toString('utf8') };
  if (read.missing && (args.orderFile === undefined || args.writeOrder)) return undefined;
  if (args.orderFile === undefined && !args.writeOrder) {
    run.output.err(escapeControl(`lockorder: skipped ${displayPath(file, run.cwd)}: ${read.error}`) + '\n');
    return undefined;
  }
  throw new CheckError(`cannot read order file ${args.orderFile ?? displayPath(file, run.cwd)}: ${read.error}`,
    'Give the path of a lockorder.order file (see docs/order-file.md), or leave --order-file out.');
}

/** Write the inferred global order to the order file (keeping its relations and groups). */
async function writeOrder(project: Project, order: { path: string; text: string }, cwd: string, output: Output): Promise<string> {
  const text = project.writeOrder(order.text);
  try {
    await fs.writeFile(order.path, text);
  } catch (err) {
    throw new CheckError(`cannot write ${displayPath(order.path, cwd)}: ${(err as Error).message}`);
  }
  const count = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  output.err(escapeControl(`lockorder: wrote ${count} declarations to ${displayPath(order.path, cwd)}`) + '\n');
  return text;
}

/** Apply --select and --ignore to findings (the engine does too; this keeps the CLI's promise). */
function keepSelected(findings: Finding[], options: AnalyzeOptions): Finding[] {
  return findings.filter((f) => (!options.select || options.select.includes(f.code))
    && !(options.ignore ?? []).includes(f.code));
}

function sortByFile<T extends { file: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function codesOrUndefined(option: string, items: string[]): RuleCode[] | undefined {
  return items.length > 0 ? resolveCodes(option, items) : undefined;
}

/** Render a report in the chosen format. */
function render(format: CheckArgs['format'], report: CheckReport): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return formatSarif(report);
  return formatText(report);
}
