// The Python front end: one pass of tree-sitter query captures over a file, in document
// order, turned into language-neutral facts (lock creations, acquisitions, releases, calls
// made while holding locks, thread starts). Held locks are tracked with a scope stack.

import type { Node, Query, QueryCapture, Tree } from './syntax';
import type { FileFacts } from '../events';
import { compileQuery } from './parser';
import { rangeOf } from './refs';
import { onAllocation, WalkState } from './walkState';
import type { GuessedReads } from '../frontEnd';
import { mayRead } from '../propertyReads';
import { onWith } from './withItems';
import { onCall, onReleaseReference } from './calls';
import { parseImport } from './imports';
import { maySuppress, parseSuppression } from './suppressions';
import { onReturn } from './returns';
import { currentFunction, onCleanupClause, onFor, onYield } from './generators';
import { onReturnedCalls } from './returnedCalls';
import { onElementCall, onForElements } from './elements';
import { mergeCaptures, onPropertyRead, propertyCaptures, propertyNames } from './properties';
import { onAssignment } from './assignments';
import { onGuard } from './guards';
import { openClass, openFunction } from './definitions';

/** The walker's query: one pattern a line, each capturing what one handler of `walkCaptures` reads. */
const QUERY_SOURCE = `
(function_definition) @fn
(class_definition) @cls
(with_statement) @with
(call) @call
(assignment) @asg
(import_statement) @import
(import_from_statement) @import
(comment) @comment
(global_statement) @global
(ERROR) @error
(lambda) @lambda
(list) @alloc
(dictionary) @alloc
(set) @alloc
(list_comprehension) @alloc
(dictionary_comprehension) @alloc
(set_comprehension) @alloc
(delete_statement) @alloc
(return_statement) @return
(yield) @yield
(for_statement) @for
(finally_clause) @cleanup
(except_clause) @cleanup
(if_statement condition: (identifier)) @guard
(if_statement condition: (not_operator argument: (identifier))) @guard
(if_statement condition: (call function: (attribute attribute: (identifier) @_try (#eq? @_try "acquire")))) @guard
(argument_list (attribute attribute: (identifier) @release.name (#eq? @release.name "release")) @release.ref)
`;

/**
 * Patterns that capture nothing in a file whose text lacks their word, left out of the query for
 * such files (most): comments matter only with a suppression comment, and the two patterns
 * looking for `acquire`/`release` match every `if x.f(...)` and every attribute passed as an
 * argument (a Node object each) before their text test drops all but a few.
 */
const OPTIONAL_PATTERNS: { line: RegExp; needed: (text: string) => boolean }[] = [
  { line: /^\(comment\) @comment$/, needed: maySuppress },
  { line: /"(?:acquire|release)"/, needed: (text) => text.includes('acquire') || text.includes('release') },
];

/** The query per set of optional patterns kept (bit i: `OPTIONAL_PATTERNS[i]`). */
const queries: (Query | undefined)[] = [];

/**
 * The captures of the walker's query within a node (the whole file, or one top-level statement).
 * With the text of the whole file, patterns that cannot match in it are left out of the query:
 * the same captures, fewer nodes (see `OPTIONAL_PATTERNS`).
 */
export function capturesOf(node: Node, text?: string): QueryCapture[] {
  let kept = 0;
  for (let i = 0; i < OPTIONAL_PATTERNS.length; i++) if (text === undefined || OPTIONAL_PATTERNS[i].needed(text)) kept |= 1 << i;
  return (queries[kept] ??= compileQuery(queryWith(kept))).captures(node);
}

/** The query's source without the optional patterns not in `kept`. */
function queryWith(kept: number): string {
  const dropped = OPTIONAL_PATTERNS.filter((_, i) => !(kept & (1 << i)));
  return QUERY_SOURCE.split('\n').filter((line) => !dropped.some((o) => o.line.test(line))).join('\n');
}

/**
 * Extract the facts of one parsed Python file (`text` is its source, when the caller has it
 * at hand; `properties` are lock-taking properties of other files whose reads count).
 */
export function walkPython(path: string, tree: Tree, text = tree.rootNode.text, properties?: ReadonlySet<string>): FileFacts {
  const st = new WalkState(path);
  walkWhole(st, tree, text, propertyNames(text, properties));
  return st.facts;
}

/**
 * `walkPython`, also looking out for reads of `guesses` (names of other files' properties that
 * may take a lock): they are kept apart from the facts, so that facts with any reads among
 * `guessed.names` are these facts plus the guessed reads of those names, without a second walk.
 */
export function walkPythonGuessing(path: string, tree: Tree, text: string, properties: ReadonlySet<string> | undefined,
  guesses: readonly string[]): { facts: FileFacts; guessed: GuessedReads } {
  const st = new WalkState(path);
  const names = propertyNames(text, properties);
  const extra = guesses.filter((n) => !names.has(n) && mayRead(text, n));
  const all = extra.length ? new Set([...names, ...extra]) : names;
  if (extra.length) st.guessed = new Set(extra);
  walkWhole(st, tree, text, all);
  return { facts: st.facts, guessed: { names: [...all], reads: st.guessedReads } };
}

/** Walk a whole file, recording reads of the property names `properties`. */
function walkWhole(st: WalkState, tree: Tree, text: string, properties: ReadonlySet<string>): void {
  st.text = text;
  const captures = mergeCaptures(capturesOf(tree.rootNode, text), propertyCaptures(tree.rootNode, properties, text));
  for (const c of captures) if (c.name === 'import') addImport(st, c.node);
  st.facts.importInsertLine = importInsertLine(tree.rootNode);
  walkCaptures(st, captures);
  finishWalk(st, tree);
}

/** Turn captures, in document order, into facts of the walk state (imports already known). */
export function walkCaptures(st: WalkState, captures: QueryCapture[]): void {
  for (const c of captures) {
    const node = c.node;
    st.advance(node.startIndex);
    switch (c.name) {
      case 'fn': openFunction(st, node); break;
      case 'cls': openClass(st, node); break;
      case 'with': onWith(st, node); break;
      case 'call': onElementCall(st, node, st.handled.has(node.id) ? undefined : onCall(st, node)); break;
      case 'asg': onAssignment(st, node); break;
      case 'comment': onComment(st, node); break;
      case 'global': onGlobal(st, node); break;
      case 'error': st.facts.syntaxErrors.push(rangeOf(node)); break;
      case 'lambda': st.lambdas.push(node.endIndex); break;
      case 'alloc': onAllocation(st, node); break;
      case 'return': {
        const value = node.namedChild(0);
        const type = value?.type;
        onReturn(st, value, type);
        onReturnedCalls(st, node, value, type, currentFunction(st));
        break;
      }
      case 'yield': onYield(st, node); break;
      case 'for': onFor(st, node); onForElements(st, node); break;
      case 'cleanup': onCleanupClause(st, node); break;
      case 'release.ref': onReleaseReference(st, node); break;
      case 'prop': onPropertyRead(st, node); break;
      case 'guard': onGuard(st, node); break;
    }
  }
}

/** A file the parser could not fully make sense of gets at least one syntax-error range. */
export function finishWalk(st: WalkState, tree: Tree): void {
  if (tree.rootNode.hasError && st.facts.syntaxErrors.length === 0) st.facts.syntaxErrors.push(rangeOf(tree.rootNode));
}

/** After the last top-level import, else after a module docstring, else the first line. */
export function importInsertLine(root: Node): number {
  let line = 0;
  // Child by child (most files stop after their imports): not all top-level statements as nodes.
  const count = root.namedChildCount;
  for (let i = 0; i < count; i++) {
    const child = root.namedChild(i);
    if (!child) continue;
    const type = child.type;
    const isImport = type === 'import_statement' || type === 'import_from_statement' || type === 'future_import_statement';
    const isDocstring = type === 'expression_statement' && child.namedChild(0)?.type === 'string' && line === 0;
    if (isImport || isDocstring) line = child.endPosition.row + 1;
    else if (type !== 'comment') break;
  }
  return line;
}

/** Record an import statement's names. */
export function addImport(st: WalkState, node: Node): void {
  for (const imp of parseImport(node)) {
    st.facts.imports.push(imp);
    st.imports.set(imp.local, imp);
  }
}

function onComment(st: WalkState, node: Node): void {
  const codes = parseSuppression(node.text);
  if (codes) st.facts.suppressions.set(node.startPosition.row, codes);
}

function onGlobal(st: WalkState, node: Node): void {
  const fn = st.functionId();
  const set = st.facts.globalsDeclared.get(fn) ?? new Set<string>();
  for (const n of node.namedChildren) if (n?.type === 'identifier') set.add(n.text);
  st.facts.globalsDeclared.set(fn, set);
}
