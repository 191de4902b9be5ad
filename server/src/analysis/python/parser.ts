// Loads web-tree-sitter and the Python grammar (both wasm files sit next to the bundle)
// and parses Python text, reusing an old tree after an edit.

import { Parser, Language, Query, Edit } from 'web-tree-sitter';
import type { Tree } from 'web-tree-sitter';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';

let ready: Promise<Language> | undefined;
let language: Language | undefined;
let parser: Parser | undefined;

/** Find a wasm file next to the bundle, or in node_modules when run from source. */
function wasmPath(file: string, pkg: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  return path.join(path.dirname(require.resolve(pkg === 'web-tree-sitter' ? pkg : `${pkg}/package.json`)), file);
}

/** A run over fewer characters of source than this (about 40,000 lines) is short: see `initParser`. */
const SHORT_RUN_CHARS = 1_500_000;

/** Whether a one-shot run over these texts is short enough to keep the parser's baseline code. */
export function isShortRun(texts: Iterable<string>): boolean {
  let chars = 0;
  for (const t of texts) if ((chars += t.length) >= SHORT_RUN_CHARS) return false;
  return true;
}

/**
 * Load the parser and the Python grammar once; later calls share the same promise.
 *
 * V8 compiles the grammar's wasm with a quick baseline compiler, then compiles its hot
 * functions again with an optimizing one. A short run (`shortRun`: a few files, from the
 * command line) ends before that second compile pays for itself, so it keeps the baseline
 * code (ten stdlib files: 0.58 s → 0.44 s end to end; past about 2 MB of source the optimized
 * code wins). The setting is the process's, so only the first call decides.
 */
export function initParser(options: { shortRun?: boolean } = {}): Promise<Language> {
  if (!ready) {
    if (options.shortRun) setFlagsFromString('--liftoff-only');
    ready = (async () => {
      const runtimeWasm = wasmPath('web-tree-sitter.wasm', 'web-tree-sitter');
      await Parser.init({ locateFile: () => runtimeWasm });
      language = await Language.load(fs.readFileSync(wasmPath('tree-sitter-python.wasm', 'tree-sitter-python')));
      parser = new Parser();
      parser.setLanguage(language);
      return language;
    })();
  }
  return ready;
}

/** The loaded Python language; `initParser()` must have completed. */
export function pythonLanguage(): Language {
  if (!language) throw new Error('lockorder: the Python parser is not loaded yet (call initParser first)');
  return language;
}

/** Compile a query against the Python grammar. */
export function compileQuery(source: string): Query {
  return new Query(pythonLanguage(), source);
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

/** Row/column of an offset (UTF-16 units, as web-tree-sitter counts for string input). */
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
 * the changed region is re-parsed. The caller owns the returned tree and must delete it.
 *
 * Only a tree without syntax errors is reused, and only a result without them is kept: how
 * tree-sitter recovers from an error depends on the subtrees it reuses, so an incremental
 * parse of broken code can differ from a fresh parse of the same text (an unclosed `"""`
 * then swallows, or not, the statements after it), and the editor would show other findings
 * than the CLI. Broken code is parsed from scratch instead (about ten times an incremental
 * parse: some 10 ms for 2,000 lines); clean code keeps the cheap incremental parse.
 */
export function parsePython(text: string, old?: { tree: Tree; text: string }): Tree {
  if (!parser) throw new Error('lockorder: the Python parser is not loaded yet (call initParser first)');
  if (old && !old.tree.rootNode.hasError) {
    const reused = parser.parse(text, edited(old.tree, old.text, text));
    if (reused && !reused.rootNode.hasError) return reused;
    reused?.delete();
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error('lockorder: the parser returned no tree');
  return tree;
}

/** `tree` (of `oldText`) told where `newText` differs from its text. */
function edited(tree: Tree, oldText: string, newText: string): Tree {
  const d = diffEdit(oldText, newText);
  tree.edit(new Edit({
    startIndex: d.start,
    oldEndIndex: d.oldEnd,
    newEndIndex: d.newEnd,
    startPosition: pointAt(oldText, d.start),
    oldEndPosition: pointAt(oldText, d.oldEnd),
    newEndPosition: pointAt(newText, d.newEnd),
  }));
  return tree;
}
