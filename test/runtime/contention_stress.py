"""The contention stress program of issue 20 item 16 (used by test_contention and the bench).

THREADS threads each take PAIRS nested pairs of locks out of LOCKS, always in
index order (so there is no inversion), and take the inner lock with a timed
acquire.  Plainly no lock is held for more than a few microseconds of Python,
so no timed acquire ever fails; the runtime must not change that by holding a
lock longer while it records.  Prints one JSON line: wall time, timed-out
acquires, the longest wait for an inner lock.

Usage: python3 contention_stress.py plain|lockorder THREADS PAIRS LOCKS TIMEOUT [REPORT_DIR]
"""

import json
import random
import sys
import threading
import time


def main(argv):
    """Run the stress once; returns the figures as a dict."""
    mode, threads, pairs, count, timeout = argv[0], int(argv[1]), int(argv[2]), int(argv[3]), \
        float(argv[4])
    if mode == "lockorder":
        import lockorder
        lockorder.install(report_dir=argv[5] if len(argv) > 5 else ".lockorder", summary=False)
    locks = [threading.Lock() for _ in range(count)]
    timeouts, worst = [0], [0.0]

    def worker(seed):
        rng = random.Random(seed)
        for i, j in [sorted(rng.sample(range(count), 2)) for _ in range(pairs)]:
            with locks[i]:
                start = time.monotonic()
                if locks[j].acquire(timeout=timeout):
                    locks[j].release()
                else:
                    timeouts[0] += 1
                worst[0] = max(worst[0], time.monotonic() - start)

    start = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return {"seconds": time.perf_counter() - start, "timeouts": timeouts[0],
            "worst_wait": worst[0], "acquires": threads * pairs}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
