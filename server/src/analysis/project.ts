// A long-lived analysis project: per-file parse trees and facts are cached, so an edit
// re-parses one file (with tree.edit) and re-links the program. Used by the CLI and the server.

import type { FileFacts } from './events';
import type { FrontEnd, GuessedReads, KeptParse, WalkRequest, Walked } from './frontEnd';
import { defaultFrontEnd, frontEndFor } from './frontEnds';
import { withLineFeeds } from './lineBreaks';
import { Program } from './program';
import { lockAt, neighbours } from './queries';
import { rules } from './rules/registry';
import { applySettings } from './settings';
import { suppressionNotes, type UsedSuppressions } from './suppressionCheck';
import { checkOrderFile, inferredOrderText } from './orderCheck';
import { lockGraph, type GraphInputs, type GraphSelection, type LockGraph } from './lockGraphView';
import { parseInWorkers, workerScript, type PoolFile, type PoolResult } from './parallel/pool';
import type { AnalysisCache } from './cache/analysisCache';
import { likelyReads, lockingProperties, mayRead, PropertyIndex, sameNames, withGuessedReads } from './propertyReads';
import type { AnalysisResult, AnalyzeOptions, FileProblem, LockClass, Location, Position, Range, SourceFile, SuppressionNote } from './types';

/** A lock seen before or after another one, with how many acquisition sites say so. */
export interface OrderNeighbour {
  lock: LockClass;
  count: number;
}

/** What hover shows for a lock expression. */
export interface LockHover {
  lock: LockClass;
  /** The expression hovered. */
  range: Range;
  /** Locks held when this one is taken (`before`), and locks taken while it is held (`after`). */
  before: OrderNeighbour[];
  after: OrderNeighbour[];
  /** 1-based rank in the inferred global order, if the lock is in no cycle. */
  rank?: number;
  /** How many locks the inferred order ranks. */
  ranked: number;
  /** The lock lies on a lock-order cycle (which is why it has no rank). */
  cycle: boolean;
  /** Sites where the lock (another instance, for a family) is taken while it is held: nestings and re-entries. */
  selfNested: number;
}

interface FileEntry {
  text: string;
  /** What the front end keeps of an open document (its tree, facts per statement), for re-walking only what an edit touched. */
  kept?: KeptParse;
  facts: FileFacts;
  problem?: string;
  /** The lock-taking properties of other files whose reads the walk recorded. */
  reads?: ReadonlySet<string>;
}

const NO_READS: ReadonlySet<string> = new Set();

/** A set of source files analyzed together. */
/** A file and 1-based line. */
export interface LineSite {
  file: string;
  line: number;
}

/** One end of a static order edge: a lock class by name, and where it is created. */
export interface EdgeLock extends LineSite {
  name: string;
}

/** A lock-order edge as `Project.orderEdges` gives it. */
export interface StaticOrderEdge {
  from: EdgeLock;
  to: EdgeLock;
  /** Where `to` is taken (in the function that takes it). */
  site: LineSite;
}

/** The name and creation line of a lock class. */
function lockEnd(lock: LockClass): EdgeLock {
  return { name: lock.name, ...lineOf(lock.created) };
}

/** A location's file and 1-based start line. */
function lineOf(where: Location): LineSite {
  return { file: where.file, line: where.range.start.line + 1 };
}

/**
 * The files of one analysis (a CLI run, or the editor's workspace), each with its text and
 * facts; `setFile`/`removeFile` keep it current and `analyze()` links them and runs the rules.
 */
export class Project {
  private files = new Map<string, FileEntry>();
  private program: Program | undefined;
  /** Files whose facts changed since the program was linked (re-linked in place when possible). */
  private pending = new Set<string>();
  private inPlace = 0;
  private whole = 0;
  /** Lock-taking `@property` getters by file: reading one in any file counts as a call. */
  private properties = new PropertyIndex();

  private constructor(private readonly cache?: AnalysisCache) {}

  /**
   * Create a project; loads the parser (wasm) on first use. A long-lived project (the
   * language server) warms the parser up so the first opened file is fast; a one-shot run
   * (`warm: false`, the CLI) skips that, since its own files warm the parser just as well.
   * A one-shot run over little source (`shortRun`, see `isShortRun`) starts faster (see `initParser`).
   */
  static async create(options: { warm?: boolean; shortRun?: boolean; cache?: AnalysisCache } = {}): Promise<Project> {
    const fe = defaultFrontEnd();
    await fe.load({ shortRun: options.shortRun });
    if (options.warm !== false) fe.warmUp();
    return new Project(options.cache);
  }

  /**
   * Walk a file, or take its facts from the cache when it is not kept for edits and its front end
   * walks each file on its own (a file's facts then depend only on its path, text and reads).
   */
  private walkFile(path: string, request: Omit<WalkRequest, 'path'>): Walked {
    const fe = frontEndFor(path);
    const cacheable = this.cache && fe.parallel && !request.keep && !request.previous;
    const reads = request.reads ?? NO_READS;
    const cached = cacheable ? this.cache!.facts(path, request.text, reads) : undefined;
    if (cached) return { facts: cached };
    const walked = fe.walk({ path, ...request });
    if (cacheable) this.cache!.storeFacts(path, request.text, reads, walked.facts);
    return walked;
  }

  /**
   * Add or replace a file's text. A file set with `editing` (an open document) keeps its
   * tree and per-statement facts, so its next edit re-parses and re-walks only what changed.
   * Either way, a file the linked program already has is re-linked in place when possible.
   */
  setFile(path: string, source: string, editing = false): void {
    const text = withLineFeeds(source);
    const old = this.files.get(path);
    if (old && old.text === text && (old.kept !== undefined) === editing) return;
    if (old && old.text === text && !editing) return this.closeEditing(path, old);
    if (old) this.pending.add(path);
    else this.dropProgram();
    const reads = this.properties.readsIn(text);
    try {
      // An open document is being edited: its front end keeps its parse for the next edit.
      const walked = this.walkFile(path, { text, reads, previous: old?.kept && { text: old.text, kept: old.kept }, keep: editing });
      const facts = walked.facts;
      const problem = problemOf(facts);
      this.files.set(path, { text, kept: walked.kept, facts, problem, reads });
    } catch (err) {
      this.files.set(path, { text, facts: emptyFacts(path), problem: `could not be analyzed: ${(err as Error).message}` });
    }
    this.noteProperties([path]);
    if (old && old.text !== text) this.rewalkAll(frontEndFor(path).dependentsOf?.(path));
  }

  /** Walk again files whose facts depended on one that changed (a lock or wrapper declared there). */
  private rewalkAll(paths: string[] | undefined): void {
    for (const p of paths ?? []) {
      const entry = this.files.get(p);
      if (entry) this.rewalk(p, entry, entry.reads ?? NO_READS);
    }
  }

  /**
   * After files were walked: when the project's set of lock-taking properties changed, walk
   * again the files that may read a name that joined or left it.
   */
  private noteProperties(paths: string[]): void {
    for (const r of this.staleReaders(paths)) this.rewalk(r.path, r.entry, r.reads);
  }

  /** Record the lock-taking properties of files just walked; returns the files to walk again, with what they read. */
  private staleReaders(paths: string[]): { path: string; entry: FileEntry; reads: ReadonlySet<string> }[] {
    const changed = new Set<string>();
    for (const path of paths) {
      const facts = this.files.get(path)?.facts;
      for (const n of this.properties.update(path, facts ? lockingProperties(facts) : [])) changed.add(n);
    }
    if (changed.size === 0) return [];
    const out = [];
    for (const [path, entry] of this.files) {
      if (!frontEndFor(path).usesReads || ![...changed].some((n) => mayRead(entry.text, n))) continue;
      const reads = this.properties.readsIn(entry.text);
      if (!sameNames(reads, entry.reads ?? NO_READS)) out.push({ path, entry, reads });
    }
    return out;
  }

  /** Walk a file again, recording reads of `reads` (a file not being edited is parsed again). */
  private rewalk(path: string, entry: FileEntry, reads: ReadonlySet<string>): void {
    try {
      const walked = this.cache && !entry.kept && frontEndFor(path).parallel
        ? this.walkFile(path, { text: entry.text, reads, keep: false }) : frontEndFor(path).rewalk(path, entry.text, entry.kept, reads);
      entry.facts = walked.facts;
      entry.kept = walked.kept;
      entry.problem = problemOf(walked.facts);
      entry.reads = reads;
    } catch (err) {
      entry.facts = emptyFacts(path);
      entry.problem = `could not be analyzed: ${(err as Error).message}`;
    }
    if (this.program) this.pending.add(path);
  }

  /**
   * Get an open document ready for fast edits (per-statement facts, and the program re-linked
   * with them); returns false when there was nothing to do. Meant for idle time after its
   * first diagnostics.
   */
  prepareEdits(path: string): boolean {
    const entry = this.files.get(path);
    const walked = entry?.kept && frontEndFor(path).prepareEdits(path, entry.text, entry.kept, entry.reads);
    if (!entry || !walked) return false;
    entry.facts = walked.facts;
    entry.kept = walked.kept;
    if (this.program) this.pending.add(path);
    this.linked();
    return true;
  }

  /** A document is no longer edited: free its tree and statement facts. */
  private closeEditing(path: string, entry: FileEntry): void {
    if (entry.kept) frontEndFor(path).release(entry.kept);
    entry.kept = undefined;
  }

  /**
   * Add many files at once, parsing them in worker threads when the bundle has its worker
   * and their front end allows it (large workspaces, the CLI). Trees are not kept; an edit
   * later re-parses that file. A front end that resolves across files sees the whole batch first.
   */
  async addFiles(sources: SourceFile[], onProgress?: (done: number, total: number) => void): Promise<void> {
    const files = sources.map((f) => (f.text.includes('\r') ? { ...f, text: withLineFeeds(f.text) } : f));
    const split = splitByFrontEnd(files);
    const script = split.parallel.length >= 40 ? workerScript() : undefined;
    if (!script) {
      files.forEach((f, i) => {
        this.setFile(f.path, f.text);
        onProgress?.(i + 1, files.length);
      });
      return;
    }
    const parallel = split.parallel;
    // Files are walked looking out for reads of guessed lock-taking properties, which spares most second walks below.
    const guesses = likelyReads(parallel, frontEndFor);
    const results = await this.walkMany(script, guesses ? parallel.map((f) => ({ ...f, guesses })) : parallel,
      onProgress && ((done) => onProgress(done, files.length)));
    this.dropProgram();
    const guessed = new Map<string, GuessedReads>();
    results.forEach((r, i) => {
      const { path, text } = parallel[i];
      this.releaseKept(path);
      const facts = r.facts ?? emptyFacts(path);
      this.files.set(path, { text, facts, problem: r.error ? `could not be analyzed: ${r.error}` : problemOf(facts) });
      if (r.guessed) guessed.set(path, r.guessed);
    });
    split.serial.forEach((f, i) => {
      this.setFile(f.path, f.text);
      onProgress?.(parallel.length + i + 1, files.length);
    });
    // Files that read a lock-taking property of another file are walked again, knowing it.
    const stale = this.staleReaders(parallel.map((f) => f.path)).filter((r) => !this.addGuessedReads(r, guessed.get(r.path)));
    if (stale.length < 8) return stale.forEach((r) => this.rewalk(r.path, r.entry, r.reads));
    const again = await this.walkMany(script, stale.map((r) => ({ path: r.path, text: r.entry.text, properties: [...r.reads] })));
    this.dropProgram();
    again.forEach((r, i) => {
      const { path, entry, reads } = stale[i];
      if (this.files.get(path) !== entry) return; // set again meanwhile, walked with what it reads
      entry.facts = r.facts ?? emptyFacts(path);
      entry.problem = r.error ? `could not be analyzed: ${r.error}` : problemOf(entry.facts);
      entry.reads = reads;
    });
  }

  /** Give a file its reads of `r.reads` from what its walk saw of the guesses, if it looked out for them all; true when done. */
  private addGuessedReads(r: { path: string; entry: FileEntry; reads: ReadonlySet<string> }, guessed: GuessedReads | undefined): boolean {
    const facts = withGuessedReads(r.entry.facts, guessed, r.reads);
    if (!facts) return false;
    r.entry.facts = facts;
    r.entry.problem = problemOf(facts);
    r.entry.reads = r.reads;
    this.cache?.storeFacts(r.path, r.entry.text, r.reads, facts);
    return true;
  }

  /**
   * Walk files in worker threads, each with the reads given (none by default); with a cache,
   * only the files it does not hold, and in this thread when they are few.
   */
  private async walkMany(script: string, files: PoolFile[],
    onProgress?: (done: number) => void): Promise<PoolResult[]> {
    const cache = this.cache;
    if (!cache) return parseInWorkers(script, files, onProgress);
    const results: PoolResult[] = files.map((f) => {
      const facts = cache.facts(f.path, f.text, new Set(f.properties));
      return facts ? { facts } : undefined;
    }) as PoolResult[];
    const missing = files.map((_, i) => i).filter((i) => !results[i]);
    let done = files.length - missing.length;
    onProgress?.(done);
    const inThread = (f: typeof files[number]): PoolResult => {
      try {
        const walked = frontEndFor(f.path).walk({ path: f.path, text: f.text, reads: f.properties && new Set(f.properties), keep: false, guesses: f.guesses });
        return { facts: walked.facts, guessed: walked.guessed };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    const store = (i: number, facts: FileFacts, encoded?: string) => {
      cache.storeFacts(files[i].path, files[i].text, new Set(files[i].properties), facts, encoded);
    };
    // From workers, each file's facts are stored as they arrive, in the form they travelled in.
    const walked = missing.length >= 8
      ? await parseInWorkers(script, missing.map((i) => files[i]), () => onProgress?.(++done), (j, facts, encoded) => store(missing[j], facts, encoded))
      : missing.map((i) => {
        const r = inThread(files[i]);
        if (r.facts) store(i, r.facts);
        onProgress?.(++done);
        return r;
      });
    missing.forEach((i, j) => { results[i] = walked[j]; });
    return results;
  }

  /** Free what the front end kept of a file, if anything. */
  private releaseKept(path: string): void {
    const kept = this.files.get(path)?.kept;
    if (kept) frontEndFor(path).release(kept);
  }

  /** Forget a file. */
  removeFile(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    const fe = frontEndFor(path);
    if (old.kept) fe.release(old.kept);
    fe.forget?.(path);
    this.files.delete(path);
    this.dropProgram();
    this.noteProperties([path]);
    this.rewalkAll(fe.dependentsOf?.(path));
  }

  /** The facts of a file as last walked (tests compare an edited document's with a cold walk's). */
  factsOf(path: string): FileFacts | undefined {
    return this.files.get(path)?.facts;
  }

  /** Whether the project holds this file. */
  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  /** The text the project holds for a file. */
  textOf(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  /** The linked program, built on demand after changes. */
  private linked(): Program {
    for (const path of this.pending) {
      const facts = this.files.get(path)?.facts;
      if (this.program && !(facts && this.program.update(facts))) this.dropProgram();
    }
    this.pending.clear();
    if (!this.program) {
      this.whole++;
      const facts = [...this.files.values()].map((f) => f.facts);
      this.program = new Program(facts, (file) => this.files.get(file)?.text ?? '');
    }
    return this.program;
  }

  /** Forget the linked program (keeping its count of in-place updates). */
  private dropProgram(): void {
    this.inPlace += this.program?.inPlaceUpdates ?? 0;
    this.program = undefined;
  }

  /** Analyze the whole program. */
  analyze(options: AnalyzeOptions = {}): AnalysisResult {
    const program = this.linked();
    const problems: FileProblem[] = [];
    program.declared = undefined;
    if (options.orderFile) {
      const checked = checkOrderFile(options.orderFile, [...program.symbols.locks.values()]);
      program.declared = checked.declared;
      for (const p of checked.problems) problems.push(p); // no spread: one problem per line of a big file
    }
    const raw = rules.flatMap((r) => r.check(program));
    const used: UsedSuppressions = new Map();
    const findings = applySettings(raw, options, (file) => this.files.get(file)?.facts.suppressions, used);
    for (const [file, entry] of this.files) if (entry.problem) problems.push({ file, message: entry.problem });
    return { findings, locks: [...program.symbols.locks.values()], problems, suppressionNotes: this.suppressionNotes(used, options) };
  }

  /** Every file's suppression comments that name unknown codes or suppressed nothing. */
  private suppressionNotes(used: UsedSuppressions, options: AnalyzeOptions): SuppressionNote[] {
    const notes: SuppressionNote[] = [];
    for (const [file, entry] of this.files) {
      if (entry.facts.suppressions.size === 0) continue;
      let lines: string[] | undefined;
      const lineText = (line: number) => (lines ??= entry.text.split(/\r\n|\r|\n/))[line] ?? '';
      for (const n of suppressionNotes(file, entry.facts.suppressions, used.get(file), options, lineText)) notes.push(n);
    }
    return notes;
  }

  /** Describe the lock expression at a position, for hover. */
  lockAt(path: string, pos: Position): LockHover | undefined {
    const program = this.linked();
    const hit = lockAt(program, path, pos);
    if (!hit) return undefined;
    const count = (pairs: [LockClass, number][]) => pairs.map(([lock, n]) => ({ lock, count: n }));
    return {
      lock: hit.lock,
      range: hit.range,
      before: count(neighbours(program, hit.lock.id, 'before')),
      after: count(neighbours(program, hit.lock.id, 'after')),
      rank: program.graph.rank(hit.lock.id),
      ranked: program.graph.ranked,
      cycle: program.graph.inCycle(hit.lock.id),
      selfNested: program.graph.witnesses(hit.lock.id, hit.lock.id).length
        + program.reacquires.filter((r) => r.held.lock.id === hit.lock.id).length,
    };
  }

  /**
   * Every distinct lock-order edge of the program, "`to` taken while `from` is held", with both
   * lock classes' names and creation sites and the site of one witness's acquisition of `to`
   * (used by `bench:recall` to compare with the edges the runtime saw). Two instances of one
   * lock class nested make a self-edge (`from` and `to` the same class), also where no rule
   * weighs the nesting (`Program.quietNestings`: a loop taking each element's lock, a sorted order).
   */
  orderEdges(): StaticOrderEdge[] {
    const seen = new Map<string, StaticOrderEdge>();
    const program = this.linked();
    for (const e of [...program.edges, ...program.quietNestings]) {
      const key = `${e.from.lock.id}\u0000${e.to.lock.id}`;
      if (seen.has(key)) continue;
      seen.set(key, { from: lockEnd(e.from.lock), to: lockEnd(e.to.lock), site: lineOf(e.to.site) });
    }
    return [...seen.values()];
  }

  /** The lock-order graph to draw (`lockorder graph`, the editor's view); see lockGraphView.ts. */
  graph(selection: GraphSelection = {}, inputs: GraphInputs = {}): LockGraph {
    return lockGraph(this.linked(), selection, inputs);
  }

  /** The inferred global order as the text of an order file (`lockorder check --write-order`). */
  writeOrder(previous?: string): string {
    return inferredOrderText(this.linked(), previous);
  }

  /** How many edits were re-linked in place, and how many needed the whole program linked again. */
  get relinks(): { inPlace: number; whole: number } {
    return { inPlace: this.inPlace + (this.program?.inPlaceUpdates ?? 0), whole: this.whole };
  }

  /** Free every parse tree. */
  dispose(): void {
    for (const [path, f] of this.files) {
      const fe = frontEndFor(path);
      if (f.kept) fe.release(f.kept);
      fe.forget?.(path);
    }
    this.files.clear();
    this.program = undefined;
  }
}

/**
 * Split a batch into the files that may be walked in worker threads and the others, after
 * showing each front end that wants it its part of the batch (a type checker resolves across files).
 */
function splitByFrontEnd(files: SourceFile[]): { parallel: SourceFile[]; serial: SourceFile[] } {
  const parallel: SourceFile[] = [];
  const serial = new Map<FrontEnd, SourceFile[]>();
  for (const f of files) {
    const fe = frontEndFor(f.path);
    if (fe.parallel) parallel.push(f);
    else {
      const group = serial.get(fe) ?? [];
      group.push(f);
      serial.set(fe, group);
    }
  }
  for (const [fe, group] of serial) fe.prepare?.(group);
  return { parallel, serial: [...serial.values()].flat() };
}

function problemOf(facts: FileFacts): string | undefined {
  return facts.syntaxErrors.length
    ? `syntax error near line ${facts.syntaxErrors[0].start.line + 1}; analyzed as far as the parse allows`
    : undefined;
}

function emptyFacts(path: string): FileFacts {
  return {
    path, imports: [], classes: [], functions: [], lockDefs: [], aliases: [], types: [], acquires: [], releases: [], calls: [],
    threads: [], suppressions: new Map(), globalsDeclared: new Map(), syntaxErrors: [], importInsertLine: 0,
  };
}
