"""Benchmark of the lockorder Python runtime (``npm run bench:runtime``).

Prints ns per acquire/release pair and the ratios the targets are set on:
  - instrumented ``with lock:`` vs a plain threading.Lock        (target <= 4x)
  - ``lockorder.acquire(a, b)`` vs the classic recipe's acquire  (target <= 0.6x)
  - ``python3 -m lockorder run -m unittest test.test_queue`` vs a plain run (<= 1.5x)
and then the whole-program scenarios of bench/runtime_scenarios.py (as_completed
over 10,000 futures, a 20,000-line order file, the contention stress, and
CPython's threading suites, wall time <= 1.3x).
The recipe is re-implemented here as the reference: sort by id(), a
thread-local list, raise on out-of-order nesting.
Usage: PYTHONPATH=runtime/python python3 bench/runtime_bench.py [--quick] [--no-queue]
       [--no-stdlib] [--all-pythons]   (--all-pythons: the suites on 3.10, 3.11 and 3.13)
"""

import os
import subprocess
import sys
import threading
import time
import timeit
from contextlib import contextmanager

import lockorder
import runtime_scenarios

ROUNDS = 15
_recipe_state = threading.local()


@contextmanager
def recipe_acquire(*locks):
    """Reference: the classic ordered-acquire recipe (ranks by id())."""
    ordered = sorted(locks, key=id)
    held = getattr(_recipe_state, "held", None)
    if held is None:
        held = _recipe_state.held = []
    if held and max(id(l) for l in held) >= id(ordered[0]):
        raise RuntimeError("Lock Order Violation")
    held.extend(ordered)
    try:
        for lock in ordered:
            lock.acquire()
        yield
    finally:
        for lock in reversed(ordered):
            lock.release()
        del held[-len(ordered):]


def measure(cases, env, number, rounds):
    """Best time in ns per execution of each statement; rounds interleave the cases
    so that load from other processes hits every case alike."""
    best = {name: float("inf") for name, _stmt, _scale in cases}
    timers = [(name, timeit.Timer(stmt, globals=env), scale) for name, stmt, scale in cases]
    for _ in range(rounds):
        for name, timer, scale in timers:
            count = max(1, int(number * scale))
            best[name] = min(best[name], timer.timeit(count) / count * 1e9)
    return best


def micro(number):
    """Micro-benchmarks; returns a dict name -> ns."""
    plain_a, plain_b = threading.Lock(), threading.Lock()
    plain_r = threading.RLock()
    lockorder.install(report_dir=os.environ.get("BENCH_REPORT_DIR", "/tmp/lockorder-bench"),
                      summary=False)
    inst_a, inst_b = threading.Lock(), threading.Lock()
    inst_r = threading.RLock()
    env = {"pa": plain_a, "pb": plain_b, "pr": plain_r, "ia": inst_a, "ib": inst_b,
           "ir": inst_r, "recipe": recipe_acquire, "acq": lockorder.acquire}
    exec("with ia:\n    with ib: pass", env)   # steady state: the edge is seen
    cases = [
        ("plain with Lock", "with pa: pass", 1),
        ("instrumented with Lock", "with ia: pass", 1),
        ("plain with RLock", "with pr: pass", 1),
        ("instrumented with RLock", "with ir: pass", 1),
        ("plain nested a,b", "with pa:\n    with pb: pass", 0.5),
        ("instrumented nested a,b", "with ia:\n    with ib: pass", 0.5),
        ("recipe acquire(a)", "with recipe(pa): pass", 0.2),
        ("recipe acquire(a, b)", "with recipe(pa, pb): pass", 0.2),
        ("lockorder.acquire(a) plain locks", "with acq(pa): pass", 0.2),
        ("lockorder.acquire(a, b) plain locks", "with acq(pa, pb): pass", 0.2),
        ("lockorder.acquire(a, b) instrumented", "with acq(ia, ib): pass", 0.2),
    ]
    results = measure(cases, env, number, ROUNDS)
    lockorder.uninstall()
    return results


def wall(cmd, env):
    """Wall-clock seconds of a command (its output is discarded)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-2000:])
    return elapsed, proc.returncode


def queue_suite():
    """test.test_queue plain vs under ``python3 -m lockorder run``; returns (plain, recorded)."""
    env = dict(os.environ)
    env.pop("LOCKORDER", None)
    plain, rc1 = wall([sys.executable, "-m", "unittest", "test.test_queue"], env)
    recorded, rc2 = wall([sys.executable, "-m", "lockorder", "run", "--report-dir",
                          "/tmp/lockorder-bench", "-m", "unittest", "test.test_queue"], env)
    if rc1 or rc2:
        print("warning: test_queue exit codes plain=%d recorded=%d" % (rc1, rc2))
    return plain, recorded


def main(argv):
    """Run everything and print the table."""
    number = 10000 if "--quick" in argv else 40000
    r = micro(number)
    print("lockorder runtime benchmark (python %s, ns per acquire/release pair, best of %d rounds)"
          % (sys.version.split()[0], ROUNDS))
    for name, ns in r.items():
        print("  %-40s %8.0f ns" % (name, ns))
    ratio_with = r["instrumented with Lock"] / r["plain with Lock"]
    ratio_pair = r["lockorder.acquire(a, b) plain locks"] / r["recipe acquire(a, b)"]
    ratio_pair_i = r["lockorder.acquire(a, b) instrumented"] / r["recipe acquire(a, b)"]
    print("ratios:")
    print("  instrumented with Lock / plain           %5.2fx  (target <= 4x)" % ratio_with)
    print("  instrumented with RLock / plain RLock    %5.2fx"
          % (r["instrumented with RLock"] / r["plain with RLock"]))
    print("  recipe acquire(a) / plain with           %5.2fx"
          % (r["recipe acquire(a)"] / r["plain with Lock"]))
    print("  lockorder.acquire(a, b) / recipe         %5.2fx  (target <= 0.6x)" % ratio_pair)
    print("  ... on instrumented locks / recipe       %5.2fx" % ratio_pair_i)
    ok = ratio_with <= 4 and ratio_pair <= 0.6
    if "--no-queue" not in argv:
        plain, recorded = queue_suite()
        ratio_q = recorded / plain
        print("  test.test_queue under lockorder run      %5.2fx  (%.1fs vs %.1fs plain; target <= 1.5x)"
              % (ratio_q, recorded, plain))
        ok = ok and ratio_q <= 1.5
    print("scenarios:")
    ok = runtime_scenarios.as_completed_futures() and ok
    ok = runtime_scenarios.long_order_file() and ok
    ok = runtime_scenarios.contention() and ok
    if "--no-stdlib" not in argv:
        ok = runtime_scenarios.stdlib_suites("--all-pythons" in argv) and ok
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
