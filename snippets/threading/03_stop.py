"""Stopping a worker thread with an Event.

Python cannot kill a thread: it has to stop itself. Each worker here does a
unit of work every half second until an Event is set. One waits between
units with `time.sleep`, and only notices the Event when the sleep is over;
the other waits with `Event.wait(timeout)`, which returns as soon as the
Event is set. The main thread sets the Event 0.1 s into a wait and times how
long each worker takes to end.
"""

import json
import os
import statistics
import threading
import time

PERIOD = 0.5  # seconds between two units of work
SETTLE = 0.1  # seconds into a wait when the main thread sets the Event
ROUNDS = 3


# --8<-- [start:workers]
def sleeping_worker(stop: threading.Event, ticked: threading.Event) -> None:
    while not stop.is_set():
        ticked.set()  # a unit of work
        time.sleep(PERIOD)  # deaf to `stop` until the sleep is over


def waiting_worker(stop: threading.Event, ticked: threading.Event) -> None:
    while True:
        ticked.set()  # a unit of work
        if stop.wait(PERIOD):  # True as soon as stop is set
            return
            # --8<-- [end:workers]


def time_to_stop(worker) -> float:
    """Seconds from setting the Event to the worker's end."""
    stop, ticked = threading.Event(), threading.Event()
    thread = threading.Thread(target=worker, args=(stop, ticked))
    thread.start()
    ticked.wait()  # the worker is at work
    time.sleep(SETTLE)  # ... and now in its wait
    start = time.perf_counter()
    stop.set()
    thread.join()
    return time.perf_counter() - start


def main() -> None:
    times = {
        "time.sleep": [time_to_stop(sleeping_worker) for _ in range(ROUNDS)],
        "Event.wait": [time_to_stop(waiting_worker) for _ in range(ROUNDS)],
    }
    print(f"both workers stopped, {ROUNDS} times each")
    for label, samples in times.items():
        median = statistics.median(samples) * 1000
        print(f"waits with {label}: stopped {median:.1f} ms after set()")
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = [
            {
                "key": label,
                "label": f"waits with {label}",
                "unit": "s",
                "samples": samples,
            }
            for label, samples in times.items()
        ]
        inputs = {"period": PERIOD, "settle": SETTLE}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
