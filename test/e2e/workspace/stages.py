"""Editor tests: three locks always taken in one order (intake, batch, output); the tests hover
batch_lock and read its place in that order."""
import threading

intake_lock = threading.Lock()
batch_lock = threading.Lock()
output_lock = threading.Lock()
done = []


def run_stage(job):
    with intake_lock:
        with batch_lock:
            with output_lock:
                done.append(job)
