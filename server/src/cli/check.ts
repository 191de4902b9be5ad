// The `lockorder check` command: collect files, read them, analyze them as one program,
// print the report in the chosen format, and return the exit code.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isShortRun, Project } from '../analysis/index';
import type { AnalyzeOptions, FileProblem, Finding, RuleCode } from '../analysis/index';
import type { CheckArgs } from './args';
import { resolveCodes } from './codes';
import { collectFiles } from './files';
import type { SkippedPath } from './files';
import { compileGlob } from './glob';
import { displayPath } from './paths';
import { Progress } from './progress';
import { readSource } from './read';
import { readRegularFile } from '../shared/regularFile';
import { sortFindings } from './report';
import type { CheckReport } from './report';
import { formatText } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';

/** Where the command writes; tests and main pass process streams. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Exit code: no findings. */
export const exitClean = 0;
/** Exit code: at least one finding. */
export const exitFindings = 1;
/** Exit code: usage error, missing path, or internal error. */
export const exitError = 2;

/** A failure the user can act on (a missing path); printed without a stack trace. */
export class CheckError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
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
  const order = await readOrderFile(args, cwd, output);
  if (order) options.orderFile = order;
  const report = await analyzeFiles(collected.files, cwd, options, collected.skipped, args.writeOrder ? order ?? {
    path: path.resolve(cwd, args.orderFile ?? 'lockorder.order'), text: '' } : undefined, output);
  for (const s of report.skipped) output.err(`lockorder: skipped ${displayPath(s.file, cwd)}: ${s.reason}\n`);
  for (const p of report.problems) {
    const line = p.line !== undefined ? `:${p.line + 1}` : '';
    output.err(`lockorder: warning: ${displayPath(p.file, cwd)}${line}: ${p.message}\n`);
  }
  if (report.fileCount === 0 && report.skipped.length === 0) output.err('lockorder: warning: no Python files found\n');
  output.out(render(args.format, report));
  return report.findings.length > 0 ? exitFindings : exitClean;
}

/** Read every file and analyze the readable ones as one program. */
async function analyzeFiles(files: string[], cwd: string, options: AnalyzeOptions,
  skipped: SkippedPath[], writeOrderTo: { path: string; text: string } | undefined, output: Output): Promise<CheckReport> {
  const sources = new Map<string, string>();
  const progress = new Progress(files.length, 'lockorder: parsing');
  for (const file of files) {
    const read = await readSource(file);
    if ('error' in read) skipped.push({ file, reason: read.error });
    else sources.set(file, read.text);
  }
  const project = await Project.create({ warm: false, shortRun: isShortRun(sources.values()) });
  try {
    await project.addFiles([...sources].map(([path, text]) => ({ path, text })), (done) => progress.update(done));
    progress.note(`lockorder: analyzing ${files.length} files`);
    if (writeOrderTo) options.orderFile = { path: writeOrderTo.path, text: await writeOrder(project, writeOrderTo, cwd, output) };
    const result = project.analyze(options);
    return {
      cwd,
      findings: sortFindings(keepSelected(result.findings, options)),
      problems: sortProblems(result.problems),
      skipped,
      fileCount: sources.size,
      sources,
      locks: new Map(result.locks.map((lock) => [lock.id, lock])),
    };
  } finally {
    progress.finish();
    project.dispose();
  }
}

/** The order file: --order-file, or ./lockorder.order when it exists (a regular file, size-capped). */
async function readOrderFile(args: CheckArgs, cwd: string, output: Output): Promise<{ path: string; text: string } | undefined> {
  const file = path.resolve(cwd, args.orderFile ?? 'lockorder.order');
  const read = await readRegularFile(file);
  if ('text' in read) return { path: file, text: read.text };
  if ((args.orderFile !== undefined && !args.writeOrder) || (args.writeOrder && !read.missing)) {
    throw new CheckError(`cannot read order file ${displayPath(file, cwd)}: ${read.error}`,
      'Give the path of a lockorder.order file (see docs/order-file.md), or leave --order-file out.');
  }
  if (!read.missing) output.err(`lockorder: skipped order file ${displayPath(file, cwd)}: ${read.error}\n`);
  return undefined;
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
  output.err(`lockorder: wrote ${count} declarations to ${displayPath(order.path, cwd)}\n`);
  return text;
}

/** Apply --select and --ignore to findings (the engine does too; this keeps the CLI's promise). */
function keepSelected(findings: Finding[], options: AnalyzeOptions): Finding[] {
  return findings.filter((f) => (!options.select || options.select.includes(f.code))
    && !(options.ignore ?? []).includes(f.code));
}

function sortProblems(problems: FileProblem[]): FileProblem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
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
