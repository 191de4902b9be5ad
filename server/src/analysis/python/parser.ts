// Loads a Python parser and parses Python text with it, reusing an old tree after an edit.
// Two parsers read the same grammar (tree-sitter-python 0.25) and give the same facts: the
// wasm build (wasmParser.ts), the default, and the native N-API binding (nativeParser.ts).
// LOCKORDER_PARSER=auto uses the native one where its binaries load, =native requires it.
//
// The native parser parses the standard library about a fifth faster, but each node the walk
// reads crosses into the binary through N-API, several times dearer than a call into wasm: its
// walk takes about twice as long, and a whole run about a quarter more CPU time. Hence the default.

import { setFlagsFromString } from 'node:v8';
import type { Query, TextEdit, Tree } from './syntax';
import { loadNativeParser } from './nativeParser';
import { loadWasmParser } from './wasmParser';

/** One of the two parsers, as parsePython uses it. */
export interface ParserBackend {
  /** Says which parser it is (--verbose, the benchmark). */
  readonly name: string;
  /** Whether it is the native binding. */
  readonly native: boolean;
  /** Parse `text`, reusing `old` (already told of the edit) where it can. */
  parse(text: string, old?: Tree): Tree | null;
  /** Tell a tree where its text changed. */
  edit(tree: Tree, edit: TextEdit): void;
  /** Free a tree now (the wasm parser's trees live outside the garbage-collected heap). */
  free(tree: Tree): void;
  /** Compile a query against the Python grammar. */
  query(source: string): Query;
}

/** Which parser to load: the native one where it loads (`auto`), or one of them. */
export type ParserChoice = 'auto' | 'native' | 'wasm';

let ready: Promise<ParserBackend> | undefined;
let backend: ParserBackend | undefined;
/** Why the native parser did not load, when it did not. */
let nativeFailure: string | undefined;

/** A run over fewer characters of source than this (about 40,000 lines) is short: see `initParser`. */
const SHORT_RUN_CHARS = 1_500_000;

/** Whether a one-shot run over these texts is short enough to keep the parser's baseline code. */
export function isShortRun(texts: Iterable<string>): boolean {
  let chars = 0;
  for (const t of texts) if ((chars += t.length) >= SHORT_RUN_CHARS) return false;
  return true;
}

/** The parser asked for by LOCKORDER_PARSER, else the wasm one. */
function choiceFromEnvironment(): ParserChoice {
  const asked = process.env.LOCKORDER_PARSER;
  return asked === 'native' || asked === 'auto' ? asked : 'wasm';
}

/**
 * Load the parser once; later calls share the same promise. With `auto` or `native` the
 * native binding is tried first; when its binaries do not load here, `auto` falls back to the
 * wasm build (--verbose says why) and `native` fails.
 *
 * V8 compiles the wasm grammar with a quick baseline compiler, then compiles its hot
 * functions again with an optimizing one. A short run (`shortRun`: a few files, from the
 * command line) ends before that second compile pays for itself, so it keeps the baseline
 * code (ten stdlib files: 0.58 s → 0.44 s end to end; past about 2 MB of source the optimized
 * code wins). The setting is the process's, so only the first call decides.
 */
export function initParser(options: { shortRun?: boolean; parser?: ParserChoice } = {}): Promise<ParserBackend> {
  if (!ready) {
    const choice = options.parser ?? choiceFromEnvironment();
    ready = (async () => {
      if (choice !== 'wasm') {
        try {
          return (backend = loadNativeParser());
        } catch (err) {
          nativeFailure = (err as Error).message;
          if (choice === 'native') throw new Error(`lockorder: the native parser did not load: ${nativeFailure}`);
        }
      }
      if (options.shortRun) setFlagsFromString('--liftoff-only');
      return (backend = await loadWasmParser());
    })();
  }
  return ready;
}

/** Which parser is loaded (and, for the wasm one, why the native one is not), for --verbose. */
export function parserDescription(): string {
  if (!backend) return 'no parser loaded yet';
  return backend.native || !nativeFailure ? backend.name : `${backend.name}; the native parser did not load: ${nativeFailure}`;
}

/** The loaded parser; `initParser()` must have completed. */
function loadedParser(): ParserBackend {
  if (!backend) throw new Error('lockorder: the Python parser is not loaded yet (call initParser first)');
  return backend;
}

/** Compile a query against the Python grammar. */
export function compileQuery(source: string): Query {
  return loadedParser().query(source);
}

/** Free a tree (a no-op for the native parser, whose trees the garbage collector frees). */
export function freeTree(tree: Tree): void {
  loadedParser().free(tree);
}

/** How many characters `diffEdit` compares at once (string comparison is much faster than a loop). */
const BLOCK = 2048;

/** Where the old and new texts differ: one edit covering the changed middle. */
function diffEdit(oldText: string, newText: string) {
  let start = 0;
  const max = Math.min(oldText.length, newText.length);
  while (start + BLOCK <= max && oldText.slice(start, start + BLOCK) === newText.slice(start, start + BLOCK)) start += BLOCK;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd - BLOCK >= start && newEnd - BLOCK >= start
    && oldText.slice(oldEnd - BLOCK, oldEnd) === newText.slice(newEnd - BLOCK, newEnd)) {
    oldEnd -= BLOCK;
    newEnd -= BLOCK;
  }
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** Row/column of an offset (UTF-16 units, as both parsers count for string input). */
function pointAt(text: string, offset: number) {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Parse `text`. With an old tree and its text, the old tree is edited and reused, so only
 * the changed region is re-parsed. The caller owns the returned tree and must free it (`freeTree`).
 *
 * Only a tree without syntax errors is reused, and only a result without them is kept: how
 * tree-sitter recovers from an error depends on the subtrees it reuses, so an incremental
 * parse of broken code can differ from a fresh parse of the same text (an unclosed `"""`
 * then swallows, or not, the statements after it), and the editor would show other findings
 * than the CLI. Broken code is parsed from scratch instead (about ten times an incremental
 * parse: some 10 ms for 2,000 lines); clean code keeps the cheap incremental parse.
 */
export function parsePython(text: string, old?: { tree: Tree; text: string }): Tree {
  const parser = loadedParser();
  if (old && !old.tree.rootNode.hasError) {
    const reused = parser.parse(text, edited(parser, old.tree, old.text, text));
    if (reused && !reused.rootNode.hasError) return reused;
    if (reused) parser.free(reused);
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error('lockorder: the parser returned no tree');
  return tree;
}

/** `tree` (of `oldText`) told where `newText` differs from its text. */
function edited(parser: ParserBackend, tree: Tree, oldText: string, newText: string): Tree {
  const d = diffEdit(oldText, newText);
  parser.edit(tree, {
    startIndex: d.start,
    oldEndIndex: d.oldEnd,
    newEndIndex: d.newEnd,
    startPosition: pointAt(oldText, d.start),
    oldEndPosition: pointAt(oldText, d.oldEnd),
    newEndPosition: pointAt(newText, d.newEnd),
  });
  return tree;
}
