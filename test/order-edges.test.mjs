// Unit test of `Project.orderEdges()`: the static lock-order graph as named edges with creation
// and acquisition lines, the form `bench:recall` compares with the runtime's graph record.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const { Project } = createRequire(import.meta.url)('../dist/analysis.js');

const shop = `import threading

class Shop:
    def __init__(self):
        self._stock = threading.Lock()
        self._orders = threading.RLock()

    def restock(self):
        with self._stock:
            self._log()

    def _log(self):
        with self._orders:
            pass

    def again(self):
        with self._stock:
            with self._orders:
                pass
`;

test('orderEdges names each edge once, with creation lines and where the inner lock is taken', async () => {
  const project = await Project.create();
  try {
    await project.addFiles([{ path: '/proj/app/shop.py', text: shop }]);
    const edges = project.orderEdges();
    assert.equal(edges.length, 1, JSON.stringify(edges));
    const [edge] = edges;
    assert.deepEqual(edge.from, { name: 'shop.Shop._stock', file: '/proj/app/shop.py', line: 5 });
    assert.deepEqual(edge.to, { name: 'shop.Shop._orders', file: '/proj/app/shop.py', line: 6 });
    assert.equal(edge.site.file, '/proj/app/shop.py');
    assert.ok([13, 18].includes(edge.site.line), `site line ${edge.site.line}`);
  } finally {
    project.dispose();
  }
});

/** The static edges of a project made of `files`, as `from -> to` (plus ` @line` of the site with `withSite`), sorted. */
async function edgeNames(files, withSite = false) {
  const project = await Project.create();
  try {
    await project.addFiles(files);
    return project.orderEdges().map((e) => `${e.from.name} -> ${e.to.name}${withSite ? ` @${e.site.line}` : ''}`).sort();
  } finally {
    project.dispose();
  }
}

// A stand-in for the stdlib's queue module (module name `queue`): its Queue takes its own mutex.
const queueModule = `import threading

class Queue:
    def __init__(self):
        self.mutex = threading.Lock()
        self.items = []

    def put(self, item):
        with self.mutex:
            self.items.append(item)
`;

const pool = `import threading
import queue

class Pool:
    def __init__(self):
        self._shutdown_lock = threading.Lock()
        self._jobs = queue.Queue()
        self._results = queue.Queue()

    def submit(self, job):
        with self._shutdown_lock:
            self._jobs.put(job)

    def finish(self, result):
        with self._shutdown_lock:
            self._results.put(result)
`;

test("a queue.Queue of the analysed stdlib is named where it is stored, as the runtime names its lock", async () => {
  const names = await edgeNames([{ path: '/lib/queue.py', text: queueModule }, { path: '/lib/pool.py', text: pool }]);
  assert.deepEqual(names, ['pool.Pool._shutdown_lock -> pool.Pool._jobs', 'pool.Pool._shutdown_lock -> pool.Pool._results']);
});

test('a Queue class of a module not named queue keeps one lock class for all its objects', async () => {
  const names = await edgeNames([{ path: '/lib/jobqueue.py', text: queueModule }, { path: '/lib/pool.py', text: pool.replace('import queue', 'import jobqueue as queue') }]);
  assert.deepEqual(names, ['pool.Pool._shutdown_lock -> jobqueue.Queue.mutex']);
});

const tracker = `import threading

class Tracker:
    def __init__(self):
        self._lock = threading.Lock()

    def ensure_running(self):
        with self._lock:
            pass

_tracker = Tracker()
ensure_running = _tracker.ensure_running
`;

const server = `import threading
import tracker
from tracker import ensure_running

class Server:
    def __init__(self):
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._restart_lock = threading.Lock()

    def start(self):
        with self._lock:
            tracker.ensure_running()

    def start_imported(self):
        with self._start_lock:
            ensure_running()

    def restart(self, ensure_running):
        with self._restart_lock:
            ensure_running()
`;

test("a module-level name bound to an object's method is that method where it is called", async () => {
  const names = await edgeNames([{ path: '/lib/tracker.py', text: tracker }, { path: '/lib/server.py', text: server }], true);
  // restart() calls its parameter, not the module's bound method: no edge from _restart_lock.
  assert.deepEqual(names,
    ['server.Server._lock -> tracker.Tracker._lock @8', 'server.Server._start_lock -> tracker.Tracker._lock @8']);
});

// A stand-in for the stdlib's threading module (file threading.py): its Event holds a
// Condition(Lock()), its Thread an Event it waits on in start().
const threadingModule = `from _thread import allocate_lock as Lock

class Condition:
    def __init__(self, lock=None):
        self._lock = lock

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

class Event:
    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def set(self):
        with self._cond:
            self._flag = True

    def wait(self):
        with self._cond:
            return self._flag

class Thread:
    def __init__(self, target=None):
        self._target = target
        self._started = Event()

    def start(self):
        self._started.wait()
`;

const app = `import threading

class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._done = threading.Event()
        self._worker = threading.Thread(target=print)

    def ready(self):
        with self._lock:
            self._ready.set()

    def start(self):
        with self._lock:
            self._worker.start()

    def spawn(self):
        with self._lock:
            t = threading.Thread(target=print)
            t.start()
`;

test('Events and Threads of the analysed stdlib are lock classes named where they are stored, as the runtime names them', async () => {
  const names = await edgeNames([{ path: '/lib/threading.py', text: threadingModule }, { path: '/lib/app.py', text: app }]);
  // _done is never set or waited on under a lock: no edge to it.
  assert.deepEqual(names, ['app.Pool._lock -> app.Pool._ready', 'app.Pool._lock -> app.Pool._worker', 'app.Pool._lock -> app.Pool.spawn.t']);
});

// Each future's condition taken in a loop and kept (sorted in AcquireFutures, list order in TakeEach).
const futures = readFileSync(new URL('./fixtures/python/LO101_family_each_element_clean.py', import.meta.url), 'utf8');

test("a loop taking each element's lock and keeping it is a self-edge of the lock class, sorted or not", async () => {
  assert.deepEqual(await edgeNames([{ path: '/lib/futures.py', text: futures }], true), ['futures.Future._condition -> futures.Future._condition @25']);
  const unsorted = futures.replace('sorted(futures, key=id)', 'list(futures)');
  assert.deepEqual(await edgeNames([{ path: '/lib/futures.py', text: unsorted }], true), ['futures.Future._condition -> futures.Future._condition @25']);
  const byKey = futures.replace('for future in self.futures:\n            future._condition', 'for i in range(3):\n            self.conds[i]')
    .replace('self.futures = sorted(futures, key=id)', 'self.conds = [threading.Condition() for _ in range(3)]');
  assert.deepEqual(await edgeNames([{ path: '/lib/futures.py', text: byKey }]), ['futures.AcquireFutures.conds[] -> futures.AcquireFutures.conds[]']);
});

test('a loop that releases each lock in the same iteration, leaves after the first, or takes one lock nests nothing', async () => {
  const variants = [
    futures.replace('future._condition.acquire()', 'future._condition.acquire()\n            future._condition.release()'),
    futures.replace('future._condition.acquire()', 'future._condition.acquire()\n            break'),
    futures.replace('for future in self.futures:\n            future._condition', 'for future in self.futures:\n            self.futures[0]._condition'),
  ];
  for (const text of variants) assert.deepEqual(await edgeNames([{ path: '/lib/futures.py', text }]), [], text);
});

test('two instances nested in sorted order are a self-edge (the fixture, which reports nothing)', async () => {
  const text = readFileSync(new URL('./fixtures/python/LO101_sorted_order_clean.py', import.meta.url), 'utf8');
  assert.deepEqual(await edgeNames([{ path: '/app/accounts.py', text }]), ['accounts.Account.lock -> accounts.Account.lock']);
});

const manager = `import threading

class Worker(threading.Thread):
    def __init__(self, pool):
        self.pool = pool
        self._own = threading.Lock()
        super().__init__()

    def stop(self):
        with self._own:
            pass

class Job:
    def __init__(self):
        self._done = threading.Event()

    def start(self):
        pass

class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._manager = None
        self._job = Job()

    def start(self):
        with self._lock:
            self._manager = Worker(self)
            self._manager.start()
            self._job.start()

    def stop(self):
        with self._lock:
            self._manager.stop()
`;

test("a subclass of the analysed stdlib's Thread is a lock class named where it is stored; its own locks keep their names", async () => {
  const names = await edgeNames([{ path: '/lib/threading.py', text: threadingModule }, { path: '/lib/manager.py', text: manager }]);
  // Job has a start() but is no Thread: nothing is taken through self._job.
  assert.deepEqual(names, ['manager.Pool._lock -> manager.Pool._manager', 'manager.Pool._lock -> manager.Worker._own']);
});

// A stand-in for multiprocessing: contexts bind `Process` to process classes, each of whose
// `_Popen` imports its own `Popen` class inside the method; `BaseProcess.start` calls the
// abstract `self._Popen(self)`; the spawning Popen's `_launch` (an override reached from the
// base `__init__`) takes the tracker's lock.
const mpFiles = {
  '/proj/mp/__init__.py': '',
  '/proj/mp/process.py': `class BaseProcess:
    def _Popen(self):
        raise NotImplementedError

    def start(self):
        self._popen = self._Popen(self)
`,
  '/proj/mp/context.py': `from . import process

class ForkProcess(process.BaseProcess):
    @staticmethod
    def _Popen(process_obj):
        from .popen_fork import Popen
        return Popen(process_obj)

class SpawnProcess(process.BaseProcess):
    @staticmethod
    def _Popen(process_obj):
        from .popen_spawn import Popen
        return Popen(process_obj)

class ForkContext:
    Process = ForkProcess

class SpawnContext:
    Process = SpawnProcess
`,
  '/proj/mp/popen_fork.py': `import os

class Popen:
    def __init__(self, process_obj):
        self._launch(process_obj)

    def _launch(self, process_obj):
        self.pid = os.fork()
`,
  '/proj/mp/popen_spawn.py': `from . import popen_fork
from . import tracker

class Popen(popen_fork.Popen):
    def __init__(self, process_obj):
        super().__init__(process_obj)

    def _launch(self, process_obj):
        tracker.ensure_running()
`,
  '/proj/mp/tracker.py': tracker,
  '/proj/pool.py': `import threading

class Pool:
    def __init__(self, ctx):
        self._ctx = ctx
        self._lock = threading.Lock()

    def grow(self):
        with self._lock:
            p = self._ctx.Process(target=None)
            p.start()
`,
};

test("a process class chosen through a context's class attribute reaches its Popen's _launch", async () => {
  const files = Object.entries(mpFiles).map(([path, text]) => ({ path, text }));
  assert.deepEqual(await edgeNames(files), ['pool.Pool._lock -> mp.tracker.Tracker._lock']);
  // Without a context binding `Process` to SpawnProcess, nothing reaches the tracker.
  const forkOnly = files.map((f) => (f.path.endsWith('context.py') ? { ...f, text: f.text.replace('Process = SpawnProcess', 'Process = ForkProcess') } : f));
  assert.deepEqual(await edgeNames(forkOnly), []);
});

// At-fork hooks: `logmod` registers `_acquire` (takes its `_lock`); `futures` imports `logmod`
// and registers `_glock.acquire`, so its hook runs first at a fork; `other` imports neither.
const hookFiles = {
  '/proj/logmod.py': `import os
import threading

_lock = threading.RLock()

def _acquire():
    _lock.acquire()

def _release():
    _lock.release()

os.register_at_fork(before=_acquire, after_in_parent=_release, after_in_child=_release)
`,
  '/proj/futures.py': `import os
import threading
import logmod

_glock = threading.Lock()
os.register_at_fork(before=_glock.acquire, after_in_parent=_glock.release)
`,
  '/proj/other.py': `import os
import threading

_olock = threading.Lock()
os.register_at_fork(before=_olock.acquire, after_in_parent=_olock.release)
`,
  '/proj/spawner.py': `import os
import threading

_state = threading.Lock()

def spawn():
    with _state:
        return os.fork()
`,
};

test('os.fork() runs every before= hook under the locks held there, later-registered hooks first', async () => {
  const files = Object.entries(hookFiles).map(([path, text]) => ({ path, text }));
  assert.deepEqual(await edgeNames(files), [
    'futures._glock -> logmod._lock',
    'spawner._state -> futures._glock',
    'spawner._state -> logmod._lock',
    'spawner._state -> other._olock',
  ]);
  // A fork that holds nothing orders only the hooks whose registration order is known.
  const unlocked = files.map((f) => (f.path.endsWith('spawner.py') ? { ...f, text: 'import os\n\ndef spawn():\n    return os.fork()\n' } : f));
  assert.deepEqual(await edgeNames(unlocked), ['futures._glock -> logmod._lock']);
});
