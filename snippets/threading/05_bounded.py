"""At most three at a time: a BoundedSemaphore in front of twelve tasks.

Twelve threads each run one task that waits 0.1 s (a stand-in for a call
to a service that allows three connections). A `threading.BoundedSemaphore(3)`
lets three in at once; the others wait at the door. The script counts how
many tasks run at the same moment, and times the whole run, which should
take about four task lengths: twelve tasks, three at a time.
"""

import json
import math
import os
import statistics
import threading
import time

TASKS = 12
LIMIT = 3
TASK = 0.1  # seconds
ROUNDS = 3


class Gauge:
    """How many tasks are running now, and the most ever seen at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0

    def change(self, delta: int) -> None:
        with self.lock:  # read-modify-write: needs the lock
            self.now += delta
            self.most = max(self.most, self.now)


# --8<-- [start:limit]
def task(door: threading.BoundedSemaphore, gauge: Gauge) -> None:
    with door:  # waits while LIMIT tasks are inside
        gauge.change(+1)
        time.sleep(TASK)  # the work: a call that waits
        gauge.change(-1)
        # --8<-- [end:limit]


def run_all(limit: int) -> tuple[int, float]:
    """Run TASKS tasks, `limit` at a time: the most seen running at once,
    and the seconds it took."""
    door, gauge = threading.BoundedSemaphore(limit), Gauge()
    threads = [
        threading.Thread(target=task, args=(door, gauge)) for _ in range(TASKS)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return gauge.most, time.perf_counter() - start


def main() -> None:
    results = {
        limit: [run_all(limit) for _ in range(ROUNDS)]
        for limit in (LIMIT, TASKS)
    }
    for limit, runs in results.items():
        most = max(most for most, _ in runs)
        held = most <= limit
        print(f"{TASKS} tasks, limit {limit}: never more at once: {held}")
        # How many did overlap depends on how fast the machine starts threads.
        print(f"{TASKS} tasks, limit {limit}: most at once: {most}")
    for limit, runs in results.items():
        median = statistics.median(seconds for _, seconds in runs)
        turns = math.ceil(TASKS / limit)  # tasks one after another
        print(
            f"{TASKS} tasks of {TASK * 1000:.0f} ms, limit {limit}: "
            f"{median * 1000:.0f} ms (ideal {turns} x {TASK * 1000:.0f} ms)"
        )
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = []
        for limit, runs in results.items():
            measurements += [
                {
                    "key": f"time/{limit}",
                    "label": f"{TASKS} tasks, {limit} at a time",
                    "unit": "s",
                    "samples": [seconds for _, seconds in runs],
                },
                {
                    "key": f"most/{limit}",
                    "label": f"most running at once, limit {limit}",
                    "unit": "",
                    "samples": [most for most, _ in runs],
                },
            ]
        inputs = {"tasks": TASKS, "limit": LIMIT, "task": TASK}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
