// The mutable state of one walk over a Python file in document order: open scopes,
// `with` bodies and explicit acquisitions, used to know which locks are held where.

import type { Node } from './syntax';
import { MODULE_FUNCTION, type FileFacts, type HeldFact, type ImportFact, type Ref } from '../events';
import { dottedName, refOf } from './refs';
import type { EachLoop } from './eachIteration';
import type { GuessedRead } from '../frontEnd';

/** An open scope (function or class) while walking in document order. */
export interface Scope {
  kind: 'function' | 'class';
  id: string;
  qualname: string;
  end: number;
  className?: string;
  selfName?: string;
}

/** A `with` statement whose body is being walked. */
export interface OpenWith {
  functionId: string;
  bodyStart: number;
  end: number;
  held: HeldFact[];
  /** Acquisitions of `held` released by hand in the body (`lock.release()` to call out): no longer held from there on. */
  released?: Set<number>;
  /** `with self.assertRaises(...)` / `pytest.raises(...)`: the body is expected to fail. */
  expectsError?: boolean;
}

/** An explicit `acquire()` still in force (until its release or the end of its block). */
export interface OpenAcquire {
  key: string;
  scopeEnd: number;
  held: HeldFact;
  /** Taken in a loop for each element: held past it, until a loop over the same elements releases them. */
  each?: EachLoop;
}

/** The stdlib's own `threading.py` (and a module of that name): its bare `Condition(Lock())` makes locks. */
const THREADING_FILE = /(^|[\\/])threading\.py$/;
/** The names `threading.py` defines and uses bare to build the locks inside its Event, Semaphore and Barrier. */
const THREADING_OWN = ['Condition', 'Lock'];

/** An assignment to a plain name (`x = ...`) directly in a function's body (not in a nested scope). */
export interface LocalAssignment {
  node: Node;
  left: Node;
  right: Node;
  rightType: string;
  /** The name assigned, once read. */
  name?: string;
}

/** Mutable state of one walk. */
export class WalkState {
  scopes: Scope[] = [];
  withs: OpenWith[] = [];
  linear = new Map<string, OpenAcquire[]>();
  handled = new Set<number>();
  functionIds = new Set<string>();
  /** Function id → its annotated parameter types. */
  paramTypes = new Map<string, Record<string, Ref>>();
  /** End offsets of open lambdas: their bodies run later (callbacks, thread targets). */
  lambdas: number[] = [];
  groups = 0;
  /** Function id → its definition node (for checks over a whole body). */
  functionNodes = new Map<string, Node>();
  /** `function id\nname` pairs already checked for confinement. */
  confinedChecked = new Set<string>();
  imports = new Map<string, ImportFact>();
  /** Function id → the assignments to plain names in its body so far, in document order. */
  localAssignments = new Map<string, LocalAssignment[]>();
  /** Property names whose reads go to `guessedReads`, not to the facts (see `WalkRequest.guesses`). */
  guessed?: ReadonlySet<string>;
  guessedReads: GuessedRead[] = [];
  /** The file's text, when the walk has it (some checks read it instead of nodes). */
  text?: string;
  facts: FileFacts;
  constructor(path: string) {
    if (THREADING_FILE.test(path)) for (const name of THREADING_OWN) this.imports.set(name, { local: name, module: 'threading', name, level: 0 });
    this.facts = {
      path, imports: [], classes: [], functions: [], lockDefs: [], aliases: [], types: [], acquires: [], releases: [],
      calls: [], threads: [], suppressions: new Map(), globalsDeclared: new Map(), syntaxErrors: [],
      importInsertLine: 0,
    };
  }

  /** Pop scopes and withs that end before `pos`. */
  advance(pos: number): void {
    while (this.scopes.length && this.scopes[this.scopes.length - 1].end <= pos) this.scopes.pop();
    while (this.withs.length && this.withs[this.withs.length - 1].end <= pos) this.withs.pop();
    while (this.lambdas.length && this.lambdas[this.lambdas.length - 1] <= pos) this.lambdas.pop();
  }

  /** The innermost scope, if any. */
  scope(): Scope | undefined {
    return this.scopes[this.scopes.length - 1];
  }

  /** The innermost enclosing function's id, or the module pseudo-function. */
  functionId(): string {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i].kind === 'function') return this.scopes[i].id;
    return MODULE_FUNCTION;
  }

  /** Locks held at `pos` in the current function: enclosing `with` bodies and open acquires. */
  heldAt(pos: number): HeldFact[] {
    if (this.lambdas.length) return [];
    const fn = this.functionId();
    const held: HeldFact[] = [];
    for (const w of this.withs) {
      if (w.functionId === fn && w.bodyStart <= pos) held.push(...(w.released ? w.held.filter((h) => !w.released!.has(h.acquireIndex)) : w.held));
    }
    const open = this.linear.get(fn);
    if (open) for (const a of open) if (a.scopeEnd > pos) held.push(a.each && pos >= a.each.loop.endIndex ? { ...a.held, afterEachLoop: true } : a.held);
    return held;
  }
}

/** Whether a callee is `lockorder.acquire` (the ordered group acquire). */
export function isOrderedAcquire(st: WalkState, callee: Node): boolean {
  const dotted = dottedName(refOf(callee), st.imports);
  return dotted === 'lockorder.acquire';
}

/** Whether `pos` is inside a block that expects an exception (so an acquire there may fail fast). */
export function expectsError(st: WalkState, pos: number): boolean {
  const fn = st.functionId();
  return st.withs.some((w) => w.expectsError && w.functionId === fn && w.bodyStart <= pos);
}

/**
 * A container built, or a reference dropped, while locks are held: a garbage collection may start,
 * or the last reference to an object with a finalizer go, in their regions.
 */
export function onAllocation(st: WalkState, node: Node): void {
  if (st.withs.length === 0 && st.linear.size === 0) return;
  for (const h of st.heldAt(node.startIndex)) {
    const a = st.facts.acquires[h.acquireIndex];
    if (a) a.mayCollect = true;
  }
}
