"""Stress: 200 threads x 10,000 acquisitions over 50 locks.

The work runs as two rounds of 200 fresh threads x 5,000 acquisitions
(nested pairs taken in index order), so each of the 200 thread slots makes
10,000 acquisitions; comparing the rounds shows memory stays bounded.
Consistent order: no finding, nothing left held.  The same with one
inverted pair: exactly one LO101, in the counters and in the file.
Each run happens in a child process.
"""

import json
import os
import tempfile
import unittest

from runtime_helpers import report_records, run_python

THREADS = 200
ACQUISITIONS = 10000     # per thread slot, over both rounds
LOCKS = 50

STRESS = """
import gc, json, random, sys, threading
import lockorder
from lockorder import held_locks, tracker, watchdog
lockorder.install(report_dir=sys.argv[1], summary=False)
THREADS, ACQUISITIONS, LOCKS, INVERT = map(int, sys.argv[2:6])
locks = [threading.Lock() for _ in range(LOCKS)]
sys.setswitchinterval(0.001)

def worker(seed):
    rng = random.Random(seed)
    pairs = []
    for _ in range(ACQUISITIONS // 2):
        i, j = sorted(rng.sample(range(LOCKS), 2))
        pairs.append((locks[i], locks[j]))
    for first, second in pairs:
        with first:
            with second:
                pass
    done.wait()          # every pair is in the graph before the inversion: one cycle only
    if INVERT and seed == 0:
        with locks[30]:
            if locks[10].acquire(timeout=5):     # timed: can never hang the test
                locks[10].release()

def run_round():
    global done
    done = threading.Barrier(THREADS)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gc.collect()
    return len(gc.get_objects())

objects_1 = run_round()
objects_2 = run_round()
print(json.dumps({
    "findings": tracker.state.findings,
    "edges": len(tracker.state.graph),
    "registry": len(held_locks._registry),
    "waiting": len(watchdog._waiting),
    "still_held": sum(len(h) for h in held_locks._registry.values()),
    "locked": sum(l.locked() for l in locks),
    "object_growth": objects_2 - objects_1,
}))
"""


class StressTests(unittest.TestCase):
    """Two rounds of THREADS x ACQUISITIONS/2 each; the second shows memory is bounded."""

    def run_stress(self, invert):
        """Run the stress child; returns (stats, records)."""
        with tempfile.TemporaryDirectory() as reports:
            per_round = ACQUISITIONS // 2
            proc = run_python(["-c", STRESS, reports, str(THREADS), str(per_round),
                               str(LOCKS), "1" if invert else "0"], timeout=600)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            stats = json.loads(proc.stdout.strip().splitlines()[-1])
            return stats, report_records(reports)

    def check_bounded(self, stats):
        """Nothing left held or waiting; state sizes bounded."""
        self.assertLessEqual(stats["edges"], LOCKS * (LOCKS - 1))
        self.assertLessEqual(stats["registry"], 2 * THREADS)
        self.assertEqual(stats["waiting"], 0)
        self.assertEqual(stats["still_held"], 0)
        self.assertEqual(stats["locked"], 0)
        self.assertLess(stats["object_growth"], 2000)

    def test_consistent_order_gives_no_finding(self):
        stats, records = self.run_stress(invert=False)
        self.assertEqual(stats["findings"], {})
        self.assertEqual(records, [])
        self.assertEqual(stats["edges"], LOCKS * (LOCKS - 1) // 2)
        self.check_bounded(stats)

    def test_one_inverted_pair_gives_exactly_one_inversion(self):
        stats, records = self.run_stress(invert=True)
        self.assertEqual(stats["findings"], {"LO101": 1})
        self.assertEqual([r["rule"] for r in records], ["LO101"])
        self.check_bounded(stats)


if __name__ == "__main__":
    unittest.main()
