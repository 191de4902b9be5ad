"""Three locks always taken in one order (a, b, c): no finding, and each has a rank."""
import threading

a_lock = threading.Lock()
b_lock = threading.Lock()
c_lock = threading.Lock()
done = []


def step_one():
    with a_lock:
        with b_lock:
            done.append(1)


def step_two():
    with b_lock:
        with c_lock:
            done.append(2)


def step_three():
    with a_lock:
        with b_lock:
            with c_lock:
                done.append(3)
