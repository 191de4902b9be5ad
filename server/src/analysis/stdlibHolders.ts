// Synchronisation objects of the standard library's `queue` and `threading` modules, when their
// source is analysed (as bench:recall analyses the stdlib): every attribute or global holding
// one (`self._work_ids = queue.Queue()`) is a lock class of its own, named where it is stored,
// as the runtime names the locks inside them. Otherwise every queue of the program would share
// one lock class, `queue.Queue.mutex`, and the two graphs would name one edge differently.
// Analysed subclasses of `threading.Thread` are holders of the Thread's own locks likewise.

import type { ClassInfo, ResolvedLock, Symbols } from './symbols';
import type { LockClass } from './types';
import type { WrapperInner } from './wrapperStores';

/** Per module, the classes whose inner locks are named after where their objects are stored (as the runtime's). */
const HOLDERS = new Map([
  ['queue', new Set(['Queue', 'LifoQueue', 'PriorityQueue', '_PySimpleQueue'])],
  ['threading', new Set(['Event', 'Semaphore', 'BoundedSemaphore', 'Barrier', 'Thread', 'Timer'])],
]);

/** Whether a class is one of those stdlib synchronisation objects. */
function isStdlibHolder(cls: ClassInfo): boolean {
  return !!HOLDERS.get(cls.module.name)?.has(cls.qualname);
}

/**
 * The stdlib synchronisation class whose inner locks a class's objects carry: the class itself,
 * or for an analysed subclass of `threading.Thread` (concurrent.futures' `_ExecutorManagerThread`),
 * the `threading` base it reaches (its `_started` Event is made by `Thread.__init__`). The
 * subclass's own locks keep their own names, as at run time.
 */
export function stdlibHolderOf(symbols: Symbols, cls: ClassInfo): ClassInfo | undefined {
  if (isStdlibHolder(cls)) return cls;
  return symbols.findInClass(cls, (c) => (c !== cls && c.module.name === 'threading' && THREADS.has(c.qualname) ? c : undefined));
}

/** The `threading` classes whose analysed subclasses are holders too. */
const THREADS = new Set(['Thread', 'Timer']);

/**
 * The instance's own locks (made in `__init__`, `madeInInit` tells) that any of its methods
 * takes, and the holders `__init__` stores (`initStores`), as a wrapper's inner locks; undefined
 * when there are none.
 */
export function holderInner(
  symbols: Symbols, cls: ClassInfo, madeInInit: (lockId: string) => boolean, initStores: () => LockClass[],
): WrapperInner | undefined {
  const own = new Map<string, ResolvedLock>();
  symbols.findInClass(cls, (c) => {
    for (const m of c.methods.values()) {
      for (const a of m.module.facts.acquires) {
        if (a.functionId !== m.fact.id || !a.blocking) continue;
        const r = symbols.resolveLock(a.lock, { module: m.module, fn: m });
        if (r && r.inst === m.selfName && !own.has(r.lock.id) && madeInInit(r.lock.id)) own.set(r.lock.id, r);
      }
    }
    return undefined;
  });
  // The holders it builds in `__init__` (a Thread's `_started` Event) are its locks too.
  for (const lock of initStores()) if (!own.has(lock.id)) own.set(lock.id, { lock, inst: 'self' });
  const locks = [...own.values()];
  if (locks.length === 0) return undefined;
  return { lock: locks[0], reentrant: locks.every((l) => l.lock.reentrant), ids: new Set(own.keys()) };
}
