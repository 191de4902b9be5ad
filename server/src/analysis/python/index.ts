// The Python front end as the engine sees it (frontEnd.ts): claims `.py` files (and reads any
// file no other front end claims),
// parses them with tree-sitter (reusing an open document's tree after an edit) and walks
// them into facts, whole or statement by statement.

import type { Tree } from './syntax';
import type { FrontEnd, KeptParse, Walked, WalkRequest } from '../frontEnd';
import { freeTree, initParser, isShortRun, parsePython, parserDescription } from './parser';
import { walkPython, walkPythonGuessing } from './walker';
import { likelyLockingProperties } from './properties';
import { walkPythonCached, type WalkCache } from './chunkedWalk';
import { lockKindOf } from './refs';

export { initParser, isShortRun, parserDescription };

/** What an open Python document keeps: its tree, and its per-statement facts once prepared. */
interface PythonKept extends KeptParse {
  frontEnd: 'python';
  tree: Tree;
  cache?: WalkCache;
}

/** The Python front end. */
export const pythonFrontEnd: FrontEnd = {
  language: 'python',
  extensions: ['.py'],
  parallel: true,
  usesReads: true,
  claims: (path) => path.endsWith('.py'),
  load: async (options = {}) => { await initParser(options); },
  warmUp,
  walk,
  rewalk,
  prepareEdits,
  release: (kept) => freeTree((kept as PythonKept).tree),
  likelyReads: likelyLockingProperties,
  lockKindOf,
};

/** Parse (with the previous tree, if any) and walk; the previous tree is freed either way. */
function walk(req: WalkRequest): Walked {
  const prev = req.previous && { text: req.previous.text, kept: req.previous.kept as PythonKept };
  let tree: Tree | undefined;
  try {
    tree = parsePython(req.text, prev ? { tree: prev.kept.tree, text: prev.text } : undefined);
    // The first walk of a document is a whole-file walk (the quickest); `prepareEdits` fills the cache later.
    if (!req.keep && req.guesses?.length) {
      const guessing = walkPythonGuessing(req.path, tree, req.text, req.reads, req.guesses);
      freeTree(tree);
      return guessing;
    }
    const walked = req.keep && prev?.kept.cache
      ? walkPythonCached(req.path, tree, req.text, prev.kept.cache, req.reads)
      : { facts: walkPython(req.path, tree, req.text, req.reads), cache: undefined };
    if (!req.keep) {
      freeTree(tree);
      return { facts: walked.facts };
    }
    const kept: PythonKept = { frontEnd: 'python', tree, cache: walked.cache };
    return { facts: walked.facts, kept };
  } catch (err) {
    if (tree) freeTree(tree);
    throw err;
  } finally {
    if (prev) freeTree(prev.kept.tree);
  }
}

/** Walk again with other reads: a kept tree is reused (statement by statement when prepared), else the text is parsed again. */
function rewalk(path: string, text: string, keptParse: KeptParse | undefined, reads: ReadonlySet<string> | undefined): Walked {
  const kept = keptParse as PythonKept | undefined;
  let tree: Tree | undefined;
  try {
    tree = kept?.tree ?? parsePython(text);
    const walked = kept?.cache
      ? walkPythonCached(path, tree, text, kept.cache, reads) : { facts: walkPython(path, tree, text, reads), cache: undefined };
    return { facts: walked.facts, kept: kept && withCache(kept, walked.cache) };
  } finally {
    if (tree && tree !== kept?.tree) freeTree(tree);
  }
}

/** Walk an open document statement by statement, filling its cache (once). */
function prepareEdits(path: string, text: string, keptParse: KeptParse, reads: ReadonlySet<string> | undefined): Walked | undefined {
  const kept = keptParse as PythonKept;
  if (kept.cache) return undefined;
  const walked = walkPythonCached(path, kept.tree, text, undefined, reads);
  return { facts: walked.facts, kept: withCache(kept, walked.cache) };
}

/** The same tree with other statement facts. */
function withCache(kept: PythonKept, cache: WalkCache | undefined): PythonKept {
  return { ...kept, cache };
}

let warm = false;

/**
 * Parse and walk a generated file of a few hundred lines once, so the first real file does
 * not pay for compiling the query and for the parser's coldest code.
 */
function warmUp(): void {
  if (warm) return;
  warm = true;
  const lines = ['import threading', 'from queue import Queue', 'lock = threading.Lock()', ''];
  for (let i = 0; i < 60; i++) {
    lines.push(
      `class Worker${i}(object):`, '    """A worker."""', '    def __init__(self, q: Queue, n=1, *args, **kw):',
      '        self._lock = threading.RLock()', `        self.items = [x * 2 for x in range(n) if x % 3 == ${i % 3}]`, '',
      '    async def run(self, item):', '        with lock, self._lock:', "            self.items.append({'k': item, 'v': f'{item!r}'})",
      '        try:', '            lock.acquire()', '        finally:', '            lock.release()', '        return lambda: None', '',
    );
  }
  const tree = parsePython(lines.join('\n'));
  walkPython('<warm-up>', tree);
  freeTree(tree);
}
