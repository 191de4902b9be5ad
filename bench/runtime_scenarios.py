"""Whole-program benchmarks of the Python runtime, each against a stated bound.

Used by bench/runtime_bench.py (``npm run bench:runtime``); each function
prints its lines and returns True when its bound is met:
  - as_completed over 10,000 futures: time <= 2x plain, peak RSS <= plain + 50 MB
  - a 20,000-line lockorder.order loads in <= 1 s
  - the contention stress (200 threads, timed inner acquires): plain vs recorded
    wall time and timed-out acquires (bound: none time out)
  - CPython's test_threading, test_queue, test_logging, test_concurrent_futures:
    wall time under ``lockorder run`` <= 1.3x plain, per interpreter
"""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNTIME = os.path.join(ROOT, "runtime", "python")
STRESS = os.path.join(ROOT, "test", "runtime", "contention_stress.py")
SUITE_DRIVER = os.path.join(ROOT, "test", "runtime", "stdlib_suite.py")   # unittest minus
# CPython's own known hangs for the exact interpreter version (see that file)
STDLIB_SUITES = ["test.test_threading", "test.test_queue", "test.test_logging",
                 "test.test_concurrent_futures"]

AS_COMPLETED = """
import gc, json, resource, sys, time
if sys.argv[1] == "lockorder":
    import lockorder
    lockorder.install(report_dir=sys.argv[3], summary=False)
from concurrent.futures import ThreadPoolExecutor, as_completed
count = int(sys.argv[2])
times, cpu = [], []
for _ in range(int(sys.argv[4])):
    start, start_cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(pow, 2, n) for n in range(count)]
        done = sum(1 for _ in as_completed(futures))
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    del futures
    gc.collect()
print(json.dumps({"first": times[0], "seconds": min(times), "cpu": min(cpu), "done": done,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))
"""


def child_env():
    """Environment for a child Python that can import lockorder and is not recording."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCKORDER")}
    env["PYTHONPATH"] = RUNTIME
    return env


def run_json(args, python=None):
    """Run a child Python; returns the JSON object of its last stdout line."""
    proc = subprocess.run([python or sys.executable] + args, env=child_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def as_completed_futures(count=10000, repeats=5):
    """as_completed over ``count`` futures, plain vs recorded: each child runs it ``repeats``
    times; the bound is on the best run, the first (cold: imports, source lines read for
    stacks) is printed too."""
    with tempfile.TemporaryDirectory() as reports:
        plain = run_json(["-c", AS_COMPLETED, "plain", str(count), reports, str(repeats)])
        recorded = run_json(["-c", AS_COMPLETED, "lockorder", str(count), reports, str(repeats)])
    ratio = recorded["seconds"] / plain["seconds"]
    extra = recorded["rss_mb"] - plain["rss_mb"]
    print("  as_completed over %d futures: %.2fs vs %.2fs plain = %.2fx (best of %d; bound <= 2x; "
          "first run %.2fs vs %.2fs = %.2fx; CPU time %.2fs vs %.2fs = %.2fx, which a busy "
          "machine disturbs less); peak RSS %.0f MB vs %.0f MB = %+.0f MB "
          "(bound <= +50 MB)" % (
              count, recorded["seconds"], plain["seconds"], ratio, repeats, recorded["first"],
              plain["first"], recorded["first"] / plain["first"], recorded["cpu"], plain["cpu"],
              recorded["cpu"] / plain["cpu"], recorded["rss_mb"], plain["rss_mb"], extra))
    return ratio <= 2 and extra <= 50 and recorded["done"] == count


def long_order_file(lines=20000):
    """Load a ``lines``-line order file (one-lock lines, relations, groups, families)."""
    sys.path.insert(0, RUNTIME)
    from lockorder import order_file
    text = []
    for i in range(lines):
        kind = i % 4
        if kind == 0:
            text.append("app.m%d.C%d._lock" % (i, i))
        elif kind == 1:
            text.append("app.m%d.a < app.m%d.b < app.m%d.c" % (i, i, i + 1))
        elif kind == 2:
            text.append("app.g%d.x = app.g%d.y" % (i, i))
        else:
            text.append("app.f%d.Account.lock ascending by id" % i)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "lockorder.order")
        with open(path, "w") as handle:
            handle.write("\n".join(text) + "\n")
        start = time.perf_counter()
        order = order_file.load(path)
        seconds = time.perf_counter() - start
        order_file.load(None)
    print("  %d-line lockorder.order (%d names) loads in %.2fs (bound <= 1 s)" % (
        lines, len(order.entries), seconds))
    return seconds <= 1.0


def contention(threads=200, pairs=1000, count=1000, timeout=5.0):
    """The contention stress plainly and recorded: wall time and timed-out acquires."""
    with tempfile.TemporaryDirectory() as reports:
        args = [str(threads), str(pairs), str(count), str(timeout), reports]
        plain = run_json([STRESS, "plain"] + args)
        recorded = run_json([STRESS, "lockorder"] + args)
    print("  contention stress (%d threads x %d timed nested acquires over %d locks, timeout "
          "%gs): %.2fs vs %.2fs plain = %.2fx; timed out %d vs %d plain (bound: 0); longest "
          "inner wait %.2fs vs %.2fs plain" % (
              threads, pairs, count, timeout, recorded["seconds"], plain["seconds"],
              recorded["seconds"] / plain["seconds"], recorded["timeouts"], plain["timeouts"],
              recorded["worst_wait"], plain["worst_wait"]))
    return recorded["timeouts"] == 0


def interpreters(all_versions):
    """(label, path) of the Pythons to time the stdlib suites on."""
    if not all_versions:
        return [("python3 %s" % sys.version.split()[0], sys.executable)]
    found = []
    for version in ("3.10", "3.11", "3.13"):
        paths = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python3"
                                                    % version)))
        paths = [p for p in paths if re.search(r"/%s\.\d+/bin" % re.escape(version), p)]
        if paths:
            found.append(("python %s" % paths[-1].split("/")[-3], paths[-1]))
        else:
            print("  (no Python %s found under ~/.pyenv)" % version)
    return found


def stdlib_suites(all_versions=False):
    """Wall time of each suite under ``lockorder run`` vs plain (bound <= 1.3x)."""
    ok = True
    for label, python in interpreters(all_versions):
        for suite in STDLIB_SUITES:
            check = subprocess.run([python, "-c", "import %s" % suite], env=child_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if check.returncode != 0:
                print("  %s %-29s not shipped with this interpreter" % (label, suite))
                continue
            plain = _wall([python, SUITE_DRIVER, suite])
            with tempfile.TemporaryDirectory() as reports:
                recorded = _wall([python, "-m", "lockorder", "run", "--report-dir", reports,
                                  SUITE_DRIVER, suite])
            ratio = recorded / plain
            ok = ok and ratio <= 1.3
            print("  %s %-29s %6.1fs vs %6.1fs plain = %.2fx (bound <= 1.3x)" % (
                label, suite, recorded, plain, ratio))
    return ok


def _wall(cmd):
    """Wall-clock seconds of a command (output discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=3600)
    return time.perf_counter() - start
