"""Editor tests: a clean file (stage_lock before sink_lock everywhere); the tests type a second
function that takes them the other way round, and hover the locks."""
import threading

stage_lock = threading.Lock()
sink_lock = threading.Lock()
items = []


def push(item):
    with stage_lock:
        with sink_lock:
            items.append(item)
