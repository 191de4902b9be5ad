"""Editor tests: an LO101 the tests silence with the `# lockorder: ignore[LO101]` quick fix."""
import threading

read_lock = threading.Lock()
write_lock = threading.Lock()
entries = []


def record(entry):
    with read_lock:
        with write_lock:
            entries.append(entry)


def replay():
    with write_lock:
        with read_lock:
            return list(entries)
