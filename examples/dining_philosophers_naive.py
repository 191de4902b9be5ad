"""Naive dining philosophers: five chopsticks (locks) in a ring, each philosopher takes
the chopstick on the left, then the one on the right.

If every philosopher picks up the left chopstick at the same time, each waits for the
right one, which the neighbour holds: nobody eats, ever. `lockorder check` reports LO101
at the inner `with`, because every chopstick is taken both before and after another.

Running the file plays one round. The philosophers are daemon threads and the main thread
waits at most one second, then says who is still stuck; see dining_philosophers_ordered.py
for the fix.
"""
import threading
import time

SEATS = 5
chopsticks = [threading.Lock() for _ in range(SEATS)]
fed = []


def philosopher(seat):
    left = chopsticks[seat]
    right = chopsticks[(seat + 1) % SEATS]
    with left:
        time.sleep(0.05)  # think a little while holding the left chopstick
        with right:
            fed.append(seat)


def main():
    threads = [threading.Thread(target=philosopher, args=(seat,), daemon=True) for seat in range(SEATS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 1.0
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    hungry = [seat for seat, t in enumerate(threads) if t.is_alive()]
    if hungry:
        print(f"deadlock: philosophers {hungry} each hold one chopstick and wait for the next")
    else:
        print(f"all {SEATS} philosophers ate (lucky timing)")


if __name__ == "__main__":
    main()
