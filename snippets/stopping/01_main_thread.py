"""Signals reach the main thread, whichever thread sends them.

A worker thread sends SIGINT to its own process, as Ctrl-C would. Python runs
the signal's handler in the main thread, whichever thread the signal came
from; the handler raises `KeyboardInterrupt` there, in the middle of its
`join()`. The worker goes on: nothing interrupts it until the main thread
asks it to stop. A worker cannot install a handler either: `signal.signal()`
raises `ValueError` outside the main thread.

Then SIGTERM, what `kill PID`, `docker stop` and systemd send: by default it
ends the process at once, and a `finally` block never runs; with a handler
that raises `SystemExit`, it does. Two child processes show both.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

stop = threading.Event()


# --8<-- [start:handler]
def on_sigint(signum, frame):
    where = threading.current_thread().name
    print(f"SIGINT handler: runs in {where}")
    signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt


def worker() -> None:
    name = threading.current_thread().name
    try:
        signal.signal(signal.SIGUSR1, on_sigint)
    except ValueError as error:
        print(f"{name}: signal.signal() raised ValueError: {error}")
    time.sleep(0.1)  # some work: the main thread waits in join() by now
    print(f"{name}: sends SIGINT to the process")
    os.kill(os.getpid(), signal.SIGINT)
    while not stop.wait(0.01):  # works on until asked to stop
        pass
    print(f"{name}: stops, asked by the main thread")


def interrupted_join() -> bool:
    signal.signal(signal.SIGINT, on_sigint)
    thread = threading.Thread(target=worker, name="worker")
    alive = False
    try:
        thread.start()
        thread.join()
    except KeyboardInterrupt:
        print("MainThread: KeyboardInterrupt, while it waited for the worker")
        alive = thread.is_alive()
        print(f"worker still running, says is_alive(): {alive}")
    finally:
        stop.set()
        thread.join()
    # --8<-- [end:handler]
    return alive


# --8<-- [start:sigterm]
TERMINATED = """
import os, signal, sys
{handler}
try:
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()  # wait here for the signal (Unix)
finally:
    print("finally: ran")
"""
EXIT_ON_SIGTERM = "signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))"


def sigterm(handler: str) -> str:
    child = subprocess.run(
        [sys.executable, "-c", TERMINATED.format(handler=handler)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    said = child.stdout.strip() or "nothing"
    return f"exit status {child.returncode}, printed {said}"
    # --8<-- [end:sigterm]


def main() -> None:
    # Python's own Ctrl-C handler, in case whoever started this script
    # ignored SIGINT (a background job of a non-interactive shell does).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    start = time.perf_counter()
    alive = interrupted_join()
    print(f"SIGTERM, default: {sigterm('')}")
    print(f"SIGTERM, handler raises SystemExit: {sigterm(EXIT_ON_SIGTERM)}")
    print(f"all in {time.perf_counter() - start:.2f} s")

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        said = {"key": "is_alive", "label": "is_alive() after the interrupt"}
        said |= {"unit": "", "samples": [int(alive)]}
        with open(path, "w") as file:
            json.dump({"measurements": [said]}, file)


if __name__ == "__main__":
    main()
