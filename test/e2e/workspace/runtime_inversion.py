"""Editor tests: two threads take the same two locks in opposite orders, one after the other
(each is joined before the next starts, so the run never hangs). The locks reach the workers
through a dict, so the static analysis does not see the inversion: only a run finds it."""
import threading


def take(locks, first, second):
    with locks[first]:
        with locks[second]:
            pass


def main():
    locks = {}
    locks["left"] = threading.Lock()
    locks["right"] = threading.Lock()
    for first, second in (("left", "right"), ("right", "left")):
        worker = threading.Thread(target=take, args=(locks, first, second), name=f"{first}-first")
        worker.start()
        worker.join()


if __name__ == "__main__":
    main()
