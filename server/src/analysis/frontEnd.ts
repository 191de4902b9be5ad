// The contract between the language-neutral engine and a language front end (Python,
// TypeScript/JavaScript): which files it claims, how it parses a text and walks it into the
// neutral facts of events.ts, and the few language questions the linker asks. The engine
// reaches front ends only through the registry (frontEnds.ts).

import type { CallFact, FileFacts } from './events';
import type { LockKind, SourceFile } from './types';

/**
 * What a front end keeps of an open document between edits (a parse tree, per-statement
 * facts), so the next edit re-parses only what changed. Opaque to the engine: it hands it back.
 */
export interface KeptParse {
  readonly frontEnd: string;
}

/** One walk of one file. */
export interface WalkRequest {
  path: string;
  text: string;
  /** Lock-taking properties of other files whose reads count as calls. */
  reads?: ReadonlySet<string>;
  /** What the previous walk of this file kept, with the text it was walked from. */
  previous?: { text: string; kept: KeptParse };
  /** Keep the parse for the next edit (the file is an open document). */
  keep: boolean;
  /**
   * Property names whose reads the walk also looks out for without recording them in the
   * facts (`Walked.guessed`), in case they turn out to be lock-taking: see `likelyReads`.
   */
  guesses?: readonly string[];
}

/** A read of a guessed property name: the call fact that recording it would have put at `at` in `facts.calls`. */
export interface GuessedRead {
  name: string;
  at: number;
  call: CallFact;
}

/** What a walk saw of the guessed names: the facts with `reads` ⊆ `names` are its facts plus the reads of those names. */
export interface GuessedReads {
  /** Every name the walk looked out for (recorded or not). */
  names: string[];
  /** The reads it did not record, in document order. */
  reads: GuessedRead[];
}

/** The facts of a walked file, and what the front end keeps of it (only when asked to). */
export interface Walked {
  facts: FileFacts;
  kept?: KeptParse;
  /** With `WalkRequest.guesses`: the reads of guessed names, apart from the facts. */
  guessed?: GuessedReads;
}

/** What a front end tells the registry before it is loaded: which files are its own. */
export interface FrontEndClaim {
  /** Names the language in messages and settings: `python`, `typescript`. */
  readonly language: string;
  /** File name endings it reads, with the dot: `.py`, `.ts`. */
  readonly extensions: readonly string[];
  /** Whether it reads this file (by name: `.d.ts` files are not TypeScript sources to check). */
  claims(path: string): boolean;
}

/** A loaded front end. */
export interface FrontEnd extends FrontEndClaim {
  /** Load its parser; later calls share the first one's work. `shortRun`: a one-shot run over little source. */
  load(options?: { shortRun?: boolean }): Promise<void>;
  /** Warm the parser up for a long-lived project, so the first real file is fast. */
  warmUp(): void;
  /** Whether files may be walked one by one in worker threads (false when a walk needs every file, as a type checker does). */
  readonly parallel: boolean;
  /** Whether a walk reads `reads` (other files' lock-taking properties): only then is a file walked again when they change. */
  readonly usesReads: boolean;
  /**
   * Guess, from the texts alone, the names of the lock-taking properties (`usesReads`) that a
   * batch defines: walking each file with them as `guesses` spares a second walk of the files
   * that read them. A wrong guess costs only speed.
   */
  likelyReads?(texts: readonly string[]): string[];
  /** See every file of a batch before any of them is walked (a type checker resolves across them). */
  prepare?(files: SourceFile[]): void;
  /** Parse and walk a file (it throws when the text cannot be analyzed at all). */
  walk(request: WalkRequest): Walked;
  /** Walk a file again with other `reads`, reusing what it kept (nothing kept: parse it again). */
  rewalk(path: string, text: string, kept: KeptParse | undefined, reads: ReadonlySet<string> | undefined): Walked;
  /** Fill what an open document keeps for fast edits; undefined when there is nothing to do. */
  prepareEdits(path: string, text: string, kept: KeptParse, reads: ReadonlySet<string> | undefined): Walked | undefined;
  /** Free what was kept of a file. */
  release(kept: KeptParse): void;
  /** The file is gone from the project. */
  forget?(path: string): void;
  /** After a file's text changed (or before it is removed): the other files whose facts may have changed with it, to walk again. */
  dependentsOf?(path: string): string[];
  /** The kind of lock a constructor makes, by the dotted name a reference resolves to (`threading.Lock`). */
  lockKindOf(dotted: string | undefined): LockKind | undefined;
}
