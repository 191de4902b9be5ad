"""Two threads take the same two locks in opposite orders: the classic ABBA deadlock.

`move_x_to_y` holds `x_lock` and then asks for `y_lock`; `move_y_to_x` holds `y_lock`
and then asks for `x_lock`. If both get their first lock before either gets its second,
each waits for the other forever. The short sleep makes that timing very likely here.

`lockorder check examples/two_threads_inverted.py` reports LO101 (lock-order inversion)
without running anything. Running the file shows the deadlock: the threads are daemons and
the main thread only waits one second for them, so the script always ends.
"""
import threading
import time

x_lock = threading.Lock()
y_lock = threading.Lock()
x = [1, 2, 3]
y = []


def move_x_to_y():
    with x_lock:
        time.sleep(0.05)
        with y_lock:
            y.extend(x)
            x.clear()


def move_y_to_x():
    with y_lock:
        time.sleep(0.05)
        with x_lock:
            x.extend(y)
            y.clear()


def main():
    threads = [
        threading.Thread(target=move_x_to_y, daemon=True),
        threading.Thread(target=move_y_to_x, daemon=True),
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 1.0
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        print(f"deadlock: {', '.join(stuck)} still waiting after 1 s (x_lock and y_lock taken in opposite orders)")
    else:
        print("finished this time, but only because of lucky timing")


if __name__ == "__main__":
    main()
