// Language-neutral facts a front end extracts from one file: lock creations, acquisitions,
// releases and calls made while holding locks, plus the scopes that name them. The linker
// (program.ts) resolves the symbolic references; rules read only resolved facts.

import type { LockKind, Position, Range } from './types';

/**
 * A symbolic reference to a value, as written: `x`, `self._lock`, `mod.lock`, `locks[i]`.
 * Resolution to lock classes or functions happens later, in the linker.
 */
export type Ref =
  | { kind: 'name'; name: string }
  | { kind: 'attr'; base: Ref; attr: string }
  | { kind: 'index'; base: Ref; index: string }
  | { kind: 'call'; callee: Ref }
  | { kind: 'other'; text: string };

/** An import binding a local name: `import a.b as c` or `from a.b import x as y`. */
export interface ImportFact {
  local: string;
  module: string;
  /** Imported name for `from` imports; undefined for plain module imports. */
  name?: string;
  /** Leading dots of a relative import. */
  level: number;
  /** Python: the 0-based line of an import made inside a function body (it binds the name in that function only). */
  line?: number;
}

/** A class definition. */
export interface ClassFact {
  qualname: string;
  name: string;
  bases: Ref[];
  range: Range;
  /** Python: class attributes bound to a name in the class body (`Process = ForkProcess`). */
  names?: Record<string, Ref>;
}

/** A function or method definition. */
export interface FunctionFact {
  /** Unique within the file: the qualified name, plus `@line` for redefinitions. */
  id: string;
  qualname: string;
  name: string;
  /** Enclosing class for methods. */
  className?: string;
  /** Enclosing function for nested functions. */
  parent?: string;
  params: string[];
  /** Parameter annotations that name a class (`src: Account`, `Optional[Account]`, `"Account"`). */
  paramTypes?: Record<string, Ref>;
  /** Decorators, as written: `@synchronized(lock)` is a call ref with its arguments. */
  decorators?: { ref: Ref; args: Ref[] }[];
  isAsync?: boolean;
  /** Instance attributes the method sets straight from a parameter (`self._lock = lock`): attribute → parameter. */
  paramAttrs?: Record<string, string>;
  /** Local names bound in a sorted order (`first, second = sorted(...)`): locks taken through them keep one order. */
  sortedNames?: string[];
  /** Set for generators (the function contains `yield`). */
  generator?: boolean;
  /** A generator's `finally:` / `except GeneratorExit:` clauses after its first `yield`: run when it is closed. */
  cleanup?: Range[];
  /** Local names whose object never leaves the call (made here, only taken, compared or printed): no other thread can take it. */
  confined?: string[];
  /** Its `for x in f(...):` loops: the call iterated and the loop's body. */
  loops?: { over: Range; body: Range }[];
  /** Its `for x in obj.attr:` loops: the loop variable and the container attribute iterated. */
  loopVars?: { name: string; over: Ref }[];
  /** A generator's `yield`s: the locks held there, and the calls it is iterating over there. */
  yields?: YieldFact[];
  /** The calls whose result it may return (`return f()`, or `x = f()` reaching `return x`). */
  returnsCalls?: Range[];
  range: Range;
  nameRange: Range;
}

/**
 * A `yield` of a generator: the locks its function holds there, and the calls whose results are
 * being iterated there (the iterable of each enclosing `for` whose body has it, or `yield from f()`),
 * which are suspended at one of their own `yield`s whenever this one is.
 */
export interface YieldFact {
  range: Range;
  held: HeldFact[];
  within: Range[];
}

/** An object put in a container attribute (`f._waiters.append(waiter)`): the container and the value. */
export interface ElementFact {
  functionId: string;
  /** The container, an attribute (`f._waiters`). */
  container: Ref;
  /** The value put there: a local or a constructor call. */
  value: Ref;
}

/** What class a name or attribute holds: `self.db = Database()`, `db: Database`, `x = Pool()`. */
export interface TypeFact {
  owner: 'instance' | 'class' | 'local' | 'module';
  className?: string;
  functionId?: string;
  name: string;
  /** The class expression (the constructor called, or the annotation). */
  type: Ref;
  /** The constructor call, when the value is built right here (a lock wrapper stored here is named by it). */
  range?: Range;
  /** Only what the value plainly is (a literal, a stdlib or module function's result): a class type wins over it. */
  plain?: boolean;
  /** That call's arguments, as written (`Guard(threading.Lock())`: a lock handed to a wrapper). */
  args?: Ref[];
  kwargs?: Record<string, Ref>;
}

/** Where a created lock is stored. */
export type LockTarget =
  | { scope: 'module'; name: string }
  | { scope: 'class'; className: string; name: string }
  | { scope: 'instance'; className: string; name: string }
  | { scope: 'local'; functionId: string; name: string };

/** A lock constructor call stored somewhere: the `created` event. */
export interface LockDefFact {
  target: LockTarget;
  kind: LockKind;
  /** A list, dict or comprehension of locks: each element is one lock of the family. */
  container: boolean;
  /** A semaphore created with a count above one: re-taking it need not block. */
  counting?: boolean;
  /** How many holders it admits at once, when written as a number (a semaphore's permits, a limiter's concurrency). */
  slots?: number;
  /** `Condition(lock)`: the lock the condition wraps. */
  wraps?: Ref;
  /** The constructor call, and its callee (for the Lock → RLock fix). */
  range: Range;
  calleeRange: Range;
  calleeText: string;
  /** The whole assignment statement. */
  statementRange: Range;
  /**
   * A lock named by the same key in every file that uses it (a Web Locks name, a key of an
   * AsyncLock another module exports): one lock, whichever file defines it first; `name` is its
   * full name (messages, the order file). Families carry the `[]` in both.
   */
  sharedAs?: { key: string; name: string; family?: string };
  /**
   * A lock named by a literal key of a family whose other keys are computed (`mutexes['accounts']`
   * of `mutexes[k]`): the family's target name in this module (`mutexes`); with `sharedAs`, its
   * full name is `sharedAs.family`. A batch over the family's keys may take this lock.
   */
  keyOf?: string;
}

/** A local name bound to another expression: `lk = self._lock`. */
export interface AliasFact {
  functionId: string;
  name: string;
  value: Ref;
}

/** How a lock is taken. */
export type AcquireVia = 'with' | 'async with' | 'acquire' | 'ordered';

/** A lock held at some point, with where it was taken. */
export interface HeldFact {
  lock: Ref;
  range: Range;
  via: AcquireVia;
  /** Index of the acquisition in `FileFacts.acquires`. */
  acquireIndex: number;
  /** Queued in the same synchronous step as the acquisition that holds it (a `Promise.all` batch). */
  batch?: boolean;
  /**
   * One of the locks a loop took for each element, held after that loop: which element `lock`
   * names there is not known, so it orders other lock classes only, not its own.
   */
  afterEachLoop?: boolean;
}

/** Structure of a `with` statement around an acquisition, for fixes. */
export interface WithShape {
  statementRange: Range;
  /** Ranges of the items' values, in order, and the item range of this acquisition. */
  items: Range[];
  itemIndex: number;
  /** The statement is the only statement in its enclosing `with`'s body (nested directly). */
  nestedDirectlyIn?: { statementRange: Range; items: Range[]; bodyOnlyThis: boolean };
  indent: string;
  bodyRange: Range;
}

/**
 * A fix the front end writes itself, in its own language, for a rule to offer as is: the edits
 * are in the file the fact comes from (the rule adds the file).
 */
export interface PreparedFix {
  title: string;
  safe: boolean;
  edits: { range: Range; newText: string }[];
}

/** Whether an explicit `acquire()` is released on every path to the function's end. */
export interface ReleaseCheck {
  released: boolean;
  /** Where a path leaves without releasing (a return, a raise, or the function's end). */
  leak?: Range;
  leakKind?: 'return' | 'raise' | 'end' | 'branch';
  /** The matching release statement for the `with`-block fix, when straight-line. */
  releaseStatement?: Range;
  acquireStatement?: Range;
  /**
   * Taken in a loop for each element and kept (`for a in ordered: a.lock.acquire()`): that loop's
   * header as written (`for a in ordered`), for advice on releasing them all.
   */
  eachLoop?: string;
  /** When not released on every path: the front end's own fix (TS/JS: `try { … } finally { release(); }`). */
  fix?: PreparedFix;
}

/** A lock acquisition: the `acquire` event. */
export interface AcquireFact {
  functionId: string;
  lock: Ref;
  range: Range;
  via: AcquireVia;
  /** False for try-locks (`blocking=False`), which cannot wait and order nothing. */
  blocking: boolean;
  /** Gives up after a time (TS/JS: `withTimeout(m, ms)`, async-lock's `timeout`): a hang becomes an error. */
  timeout?: boolean;
  /** Locks already held at this point in the same function. */
  held: HeldFact[];
  /** Members of one `lockorder.acquire(...)` share a group number. */
  group?: number;
  /** A lock constructed inline (`with threading.Lock():`): fresh, orders nothing. */
  inline?: boolean;
  withShape?: WithShape;
  release?: ReleaseCheck;
  /**
   * While it is held, the code may run a finalizer without calling anything: it builds a container
   * (a literal or comprehension: a garbage collection may start) or drops a reference (`x = None`, `del x`).
   */
  mayCollect?: boolean;
  /**
   * Takes several locks of its family in one batch (`Promise.all(keys.map((k) => locks[k].acquire()))`),
   * queued at once: each may be taken while the batch already holds another.
   */
  manyAtOnce?: boolean;
  /**
   * Taken in a `for` loop for each element and kept past the iteration (`for f in fs: f.lock.acquire()`):
   * each iteration after the first takes another instance while holding the earlier ones.
   */
  eachIteration?: boolean;
}

/** A `release()` call: the `release` event. */
export interface ReleaseFact {
  functionId: string;
  lock: Ref;
  range: Range;
  /** `lock.release` passed as a callback: someone else releases it later. */
  deferred?: boolean;
}

/** A call: the `call-while-holding` event (recorded for every call, held or not, for summaries). */
export interface CallFact {
  functionId: string;
  callee: Ref;
  range: Range;
  held: HeldFact[];
  /** Positional arguments (for binding parameters), and keyword `timeout`/`block` if given. */
  args: Ref[];
  keywords?: string[];
  /** Keyword arguments that are plain references (`worker(first=a)`). */
  kwargs?: Record<string, Ref>;
  /** Not a call but a read of a `@property`, which runs its getter. */
  property?: boolean;
  /** A `q.get()` made only after checking `q` is not empty (`while not q.empty():`). */
  nonEmpty?: boolean;
  /** TS/JS: a call of a stored promise resolver, which settles the promises awaited with this key (AwaitFact.settledBy). */
  settles?: string;
  /**
   * TS/JS: a call the caller goes on from without waiting (a statement of its own, or
   * `start().then(…)`): a lock the callee leaves held is not the caller's afterwards.
   */
  detached?: boolean;
  /**
   * TS/JS: the classes whose method of the callee's name the call may run instead (an interface
   * method, or a class method that subclasses override, called on a value of that type): the
   * linker follows the call into each class's method too.
   */
  dispatch?: Ref[];
  /**
   * Python: a call on the method's own receiver (`self.m()`), which runs the override of the
   * receiver's class: the linker also follows the overrides of analysed subclasses.
   */
  onSelf?: boolean;
  /** `os.fork()`/`os.forkpty()`: runs every `before=` hook registered with `os.register_at_fork` (ForkHookFact) first. */
  forks?: boolean;
}

/** `os.register_at_fork(before=hook, ...)`: `hook` runs in the forking thread at every `os.fork()`. */
export interface ForkHookFact {
  functionId: string;
  /** The `before=` hook as written: a function, or a lock's bound `acquire`. */
  before: Ref;
  /** The `after_in_parent=`/`after_in_child=` hooks: they give back what `before` took (not signals). */
  after?: Ref[];
  range: Range;
}

/** TS/JS: an `await` of a promise made elsewhere, made with locks held: what it waits for. */
export interface AwaitFact {
  functionId: string;
  range: Range;
  held: HeldFact[];
  /** The wait as written, for messages: `await this.ready`. */
  text: string;
  /** The keys of the stored resolver (and rejecter) whose calls alone settle the promise (`new Promise((r) => { this.resolveReady = r; })`). */
  settledBy?: string[];
  /**
   * The call that started the promise with none of these locks held (`const p = load()`): the
   * promise settles when that function returns. `suspends`: where, in the called function's file,
   * it first suspends (the end of its first `await`); what it does before runs at the call.
   */
  started?: { callee: Ref; suspends: Position };
  /**
   * A blocking `Atomics.wait` (not an `await`) whose `settledBy` calls are `Atomics.notify`s of
   * the same cell; the lock it holds is the waiting thread's event loop, which the notifying code
   * needs (it waits for a reply from that thread first).
   */
  notify?: boolean;
}

/** A thread (or task) entry point started somewhere. */
export interface ThreadStartFact {
  target: Ref;
  /** `name=` given to the thread, if a string literal. */
  threadName?: string;
  how: 'Thread' | 'Timer' | 'submit' | 'run';
  /** A `multiprocessing.Process` target: it runs in a child process, with its own copy of every lock. */
  process?: boolean;
  range: Range;
  /** Arguments the target is called with (`args=(a, b)`, or `submit(f, a, b)`). */
  args: Ref[];
  /** The name the thread or future is assigned to (`t = Thread(...)`, `self._t = ...`). */
  boundTo?: string;
}

/**
 * A branch that runs only when a plain name is truthy or falsy: the body of `if flag:` (truthy),
 * of `if not flag:` (falsy), and their `elif`/`else` clauses (the other way).
 */
export interface GuardFact {
  functionId: string;
  name: string;
  truthy: boolean;
  range: Range;
}

/**
 * The body of `if lock.acquire(False):` (or `blocking=False`, `acquire(0)`): it runs only when
 * the try-lock succeeded, so never in a thread that already holds that lock.
 */
export interface TryGuardFact {
  functionId: string;
  lock: Ref;
  range: Range;
}

/** `# lockorder: ignore` comments: line → codes (empty set = every code). */
export type Suppressions = Map<number, Set<string>>;

/** Everything one front end pass extracts from one file. */
export interface FileFacts {
  path: string;
  imports: ImportFact[];
  classes: ClassFact[];
  functions: FunctionFact[];
  lockDefs: LockDefFact[];
  aliases: AliasFact[];
  types: TypeFact[];
  acquires: AcquireFact[];
  releases: ReleaseFact[];
  calls: CallFact[];
  /** TS/JS: awaits of promises made elsewhere, made with locks held (for LO105). */
  awaits?: AwaitFact[];
  threads: ThreadStartFact[];
  /** Branches taken only on a name's truth value (for binding constant arguments along calls). */
  guards?: GuardFact[];
  /** Bodies that run only when a try-lock succeeded. */
  tryGuards?: TryGuardFact[];
  /** Objects put in a container attribute: `f._waiters.append(waiter)`, `self.listeners.add(cb)`. */
  elements?: ElementFact[];
  /** At-fork hooks registered in the file (`os.register_at_fork(before=...)`). */
  forkHooks?: ForkHookFact[];
  suppressions: Suppressions;
  /** Global names declared with `global x` inside functions. */
  globalsDeclared: Map<string, Set<string>>;
  /** Ranges where the parser found errors (the rest is still analyzed). */
  syntaxErrors: Range[];
  /** The 0-based line where a new top-level import goes (after the last one, or the docstring). */
  importInsertLine: number;
  /** The file's language when it is not Python: rules word their messages and fixes for it. */
  language?: 'typescript';
  /** The module name the front end gives the file (else it is named after its path, as Python does). */
  module?: string;
}

/** The id of the pseudo-function holding a module's top-level code. */
export const MODULE_FUNCTION = '<module>';

/** The alias name under which a function's returned reference is recorded (a keyword in Python and TS, so never a local). */
export const RETURN_ALIAS = 'return';
