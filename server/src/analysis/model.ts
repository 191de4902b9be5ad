// The linked program's data model: locks taken and held, order edges, re-acquisitions,
// explicit acquisitions and resolved calls, shared by the linker, the analyses and the rules.

import type { AcquireFact, AcquireVia, FileFacts } from './events';
import type { ClassInfo, FunctionInfo } from './symbols';
import type { LockClass, Location } from './types';

/** A lock a function may take, directly or through calls. */
export interface Taken {
  lock: LockClass;
  inst: string;
  /** Where the lock is acquired, in the function that acquires it. */
  site: Location;
  via: AcquireVia;
  /** The function that acquires it. */
  fn: FunctionInfo;
  /** Call sites from the summarised function down to `fn`, outermost first. */
  chain: Location[];
  /** Some step (a receiver's class, a lock attribute) was resolved by name only. */
  byName?: boolean;
  /** For locks reached through parameters: the call that binds them (`worker(a, b)`). */
  boundAt?: Location;
  /** Taken by a context manager or decorator rather than named directly. */
  hidden?: boolean;
  /** Taken only when the summarised function's `this` is an instance of one of these classes (calls on `this` dispatched to their methods: dispatch.ts). */
  selfClasses?: ClassInfo[];
  /**
   * `selfClasses` came from a Python override followed on `self.m()` (virtualCalls.ts): through a
   * call on another object the lock is kept only when that object's class is known to be one of them.
   */
  strictSelf?: boolean;
  /** Taken by an at-fork hook that is a lock's bound `acquire` (`_lock.acquire`), when `os.fork()` runs it: its text. */
  forkHook?: string;
}

/** A lock held when another is taken. */
export interface Holding {
  lock: LockClass;
  inst: string;
  site: Location;
  via: AcquireVia;
  byName?: boolean;
  hidden?: boolean;
  /** A sibling of the same `Promise.all` batch of acquisitions (events.ts HeldFact.batch). */
  batch?: boolean;
  /** The batch takes many keys of this family at once (events.ts AcquireFact.manyAtOnce). */
  batchOf?: LockClass;
  /** Held after a loop that took one for each element (events.ts HeldFact.afterEachLoop): orders other classes only. */
  afterEachLoop?: boolean;
  /**
   * Two members of a family nested whose instances the walk cannot tell apart (computed keys):
   * kept out of the graph unless a batch over the family's keys makes it an inversion (familyBatches.ts).
   */
  unsure?: boolean;
}

/** One witness of "`to` taken while `from` is held", in function `fn`. */
export interface OrderEdge {
  from: Holding;
  to: Taken;
  /** The function in which `from` is held. */
  fn: FunctionInfo;
  /** Other lock classes held at the same time (candidate gate locks). */
  alsoHeld: string[];
}

/** A non-reentrant lock taken again by the thread holding it. */
export interface Reacquire {
  held: Holding;
  again: Taken;
  fn: FunctionInfo;
  /** Where, in `fn`, the re-acquisition starts: the acquisition itself or the call leading to it. */
  at: Location;
  /** Held by a generator `fn` iterates, suspended at a `yield` (FN3): the generator and the loop's call. */
  iterated?: { generator: FunctionInfo; loop: Location };
}

/** An explicit `acquire()` call, resolved, for the unreleased-lock rule. */
export interface ExplicitAcquire {
  fact: AcquireFact;
  lock: LockClass;
  fn: FunctionInfo;
  file: string;
}

/** A call resolved to the function it reaches. */
export interface ResolvedCall {
  caller: FunctionInfo;
  callee: FunctionInfo;
  receiver: string;
  fact: FileFacts['calls'][number];
  file: string;
  byName?: boolean;
  /** The class whose method a dispatched call (CallFact.dispatch) runs here. */
  dispatchedTo?: ClassInfo;
  /** The dispatch was found from the class hierarchy, not listed by the front end (strict: Taken.strictSelf). */
  strictSelf?: boolean;
  /** The callee's receiver is an instance of exactly one of these classes (a constructor call `C()`, or an object built by one). */
  exactSelf?: ClassInfo[];
}

