"""Ctrl-C and a thread pool: leaving `with` still runs every queued task.

A pool of 2 threads gets 12 tasks of 50 ms; SIGINT arrives (sent by the
script to itself, as Ctrl-C would) while the main thread waits for results.
`KeyboardInterrupt` is raised in the main thread; leaving the `with` block
calls `shutdown(wait=True)`, which waits for every task still queued, and
only then does the exception go on. The clean way: on `KeyboardInterrupt`,
set an Event that running tasks check, and `shutdown(cancel_futures=True)`
so that queued tasks never start. Each way runs three times; the script
prints the medians of the time from the signal to the end of the `with`
block, and how many tasks started.
"""

import concurrent.futures
import json
import os
import signal
import statistics
import threading
import time

WORKERS = 2
TASKS = 12
TASK_TIME = 0.05
INTERRUPT_AFTER = 0.12
ROUNDS = 3


def task(started: list, stop: threading.Event) -> None:
    """TASK_TIME of work in short steps; returns early once stop is set."""
    started.append(1)  # list.append is atomic
    deadline = time.monotonic() + TASK_TIME
    while time.monotonic() < deadline and not stop.is_set():
        time.sleep(0.01)


# --8<-- [start:plain]
def plain(started: list, stop: threading.Event) -> None:
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(task, started, stop) for _ in range(TASKS)]
        for future in futures:
            future.result()  # KeyboardInterrupt is raised here
    # --8<-- [end:plain]


# --8<-- [start:clean]
def clean(started: list, stop: threading.Event) -> None:
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        try:
            futures = [pool.submit(task, started, stop) for _ in range(TASKS)]
            for future in futures:
                future.result()
        except KeyboardInterrupt:
            stop.set()  # running tasks return early
            pool.shutdown(cancel_futures=True)  # queued ones never start
            raise
    # --8<-- [end:clean]


def interrupted(way) -> tuple[float, int]:
    """Send SIGINT to this process after INTERRUPT_AFTER, while way() runs;
    return the seconds from the signal to way()'s end, and the tasks run."""
    started, sent = [], []

    def ctrl_c() -> None:
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(INTERRUPT_AFTER, ctrl_c)
    timer.start()
    try:
        way(started, threading.Event())
    except KeyboardInterrupt:
        ended = time.perf_counter()
    else:
        raise RuntimeError("the work ended before the signal came")
    timer.join()
    return ended - sent[0], len(started)


def main() -> None:
    # Python's own Ctrl-C handler, in case whoever started this script
    # ignored SIGINT (a background job of a non-interactive shell does).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(f"{TASKS} tasks of {TASK_TIME * 1000:.0f} ms on {WORKERS} threads,")
    print(f"Ctrl-C after {INTERRUPT_AFTER * 1000:.0f} ms:")
    measurements = []
    for key, way in (("plain", plain), ("clean", clean)):
        runs = [interrupted(way) for _ in range(ROUNDS)]
        waits = [seconds for seconds, _ in runs]
        started = statistics.median(count for _, count in runs)
        wait = statistics.median(waits)
        print(
            f"  {way.__name__}: ended {wait * 1000:.0f} ms after Ctrl-C,"
            f" {started:.0f} of {TASKS} tasks started"
        )
        measurements.append(
            {"key": key, "label": f"{key}: Ctrl-C to the end", "unit": "s"}
            | {"samples": waits}
        )
        measurements.append(
            {"key": f"{key}/started", "label": f"{key}: tasks started"}
            | {"unit": "", "samples": [count for _, count in runs]}
        )

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        inputs = {"workers": WORKERS, "tasks": TASKS, "task_time": TASK_TIME}
        inputs |= {"interrupt_after": INTERRUPT_AFTER, "rounds": ROUNDS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
