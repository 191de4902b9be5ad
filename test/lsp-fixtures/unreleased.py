"""acquire() with an early return before release(): LO104."""
import threading

state_lock = threading.Lock()
items = []


def pop_item():
    state_lock.acquire()
    if not items:
        return None
    item = items.pop()
    state_lock.release()
    return item
