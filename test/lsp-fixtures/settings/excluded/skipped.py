"""An inversion (LO101) in a folder the exclude-setting test leaves out."""
import threading

r_lock = threading.Lock()
s_lock = threading.Lock()


def one():
    with r_lock:
        with s_lock:
            pass


def two():
    with s_lock:
        with r_lock:
            pass
