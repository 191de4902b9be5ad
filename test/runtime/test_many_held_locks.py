"""One thread holding thousands of locks at once: the runtime's memory stays O(edges).

Beyond 48 held locks (lockdep's limit too) acquires are not checked for order, and the
summary counts them.

``concurrent.futures.as_completed`` and ``wait`` hold every future's condition
at the same time.  Each run happens in a child process with a 1 GB address
space limit, so a runtime whose memory grew with the square (or cube) of the
number of held locks gets a MemoryError instead of taking the machine.
"""

import json
import tempfile
import unittest

from runtime_helpers import run_python

FUTURES = 1500

AS_COMPLETED = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import lockorder
from lockorder import tracker
lockorder.install(report_dir=sys.argv[1], summary=False)
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
count = int(sys.argv[2])
with ThreadPoolExecutor(max_workers=4) as pool:
    futures = [pool.submit(pow, 2, n) for n in range(count)]
    total = sum(f.result() for f in as_completed(futures))
    done, _ = wait(futures)
infos = {id(info): info for info in tracker.state.graph.edges.values()}
print(json.dumps({
    "right": total == sum(2 ** n for n in range(count)) and len(done) == count,
    "edges": len(tracker.state.graph),
    "gate_ids": sum(len(info["gates"]) for info in infos.values()),
    "findings": tracker.state.findings,
}))
"""


DEEP_INVERSION = """
import json, sys, threading
import lockorder
from lockorder import tracker
lockorder.install(report_dir=sys.argv[1], summary=False)
chain = [threading.Lock() for _ in range(12)]
x = threading.Lock()
for lock in chain:          # one thread holds 12 locks at once, taken in a chain
    lock.acquire()
with x:                     # ... then takes x
    pass
for lock in reversed(chain):
    lock.release()
def other():
    with x:                 # another thread takes x, then the second-innermost of the 12
        with chain[-2]:
            pass
t = threading.Thread(target=other)
t.start(); t.join()
print(json.dumps({"findings": tracker.state.findings}))
"""


class ManyHeldLocksTests(unittest.TestCase):
    """as_completed and wait over many futures under the runtime."""

    def test_as_completed_over_many_futures_finishes_with_bounded_state(self):
        with tempfile.TemporaryDirectory() as reports:
            proc = run_python(["-c", AS_COMPLETED, reports, str(FUTURES)], timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
        self.assertTrue(stats["right"])
        self.assertEqual(stats["findings"], {})
        # Each acquire adds edges from at most 2 held locks (1 once more than 10 are held,
        # none beyond 48) and shares one gate tuple of at most 8 + 2 ids among them; all
        # futures' locks are held at once twice.
        self.assertLessEqual(stats["edges"], 2 * FUTURES + 100)
        self.assertLessEqual(stats["gate_ids"], 2 * 10 * FUTURES + 1000)

    def test_inversion_with_a_lock_held_deep_in_a_long_chain_is_still_reported(self):
        # Beyond 10 held locks only the innermost gives a stored edge; the one before it
        # reaches the new lock through it, so x -> chain[-2] still closes a cycle.
        with tempfile.TemporaryDirectory() as reports:
            proc = run_python(["-c", DEEP_INVERSION, reports], timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
        self.assertEqual(stats["findings"], {"LO101": 1})

    def test_acquires_beyond_48_held_locks_are_counted_as_unchecked_in_the_summary(self):
        script = """
import sys, threading
import lockorder
from lockorder import tracker
lockorder.install(report_dir=sys.argv[1], summary=False)
locks = [threading.Lock() for _ in range(60)]
for lock in locks:
    lock.acquire()
for lock in reversed(locks):
    lock.release()
print(tracker.summary())
"""
        with tempfile.TemporaryDirectory() as reports:
            proc = run_python(["-c", script, reports], timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        # the 50th to the 60th acquire are made while holding 49 to 59 locks
        self.assertIn("11 acquire(s) made while holding more than 48 locks at once were not "
                      "checked for order", proc.stdout)


if __name__ == "__main__":
    unittest.main()
