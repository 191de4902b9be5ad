// What the parts of the TS/JS walk share: where the walk is (the function whose facts it
// records, and the locks held there), and what the lock operations ask of the walker.

import type { Node } from 'ts-morph';
import type { FileFacts, HeldFact, Ref } from '../events';
import type { RefBook } from './refs';
import type { Subst } from './wrappers';

/** Where the walk is: the function whose facts it records, and the locks held there. */
export interface Ctx {
  fn: string;
  /** The function node walked (absent at module level). */
  node?: Node;
  /** Qualified name prefix for functions defined here. */
  qual: string;
  held: HeldFact[];
  /** Limiters whose task this code runs in, with the function that asked for the task (see limiterTasks.ts). */
  tasks?: { fn: Node; lock: Ref }[];
  /** Set while a wrapper's lock operation is replayed at a call of it (wrappers.ts). */
  subst?: Subst;
}

/** What lock operations need from the walker. */
export interface WalkHost {
  readonly facts: FileFacts;
  readonly refs: RefBook;
  /** Walk a callback's body where it is passed, with `held` held. */
  inline(fn: Node, ctx: Ctx, held: HeldFact[]): void;
  /** What a callee is, as the checker resolves it. */
  calleeRef(callee: Node, ctx: Ctx): Ref;
}
