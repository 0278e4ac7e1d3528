"""At most three at a time: an asyncio.Semaphore in front of twelve tasks.

Twelve tasks each wait 0.1 s (a stand-in for a request to a service that
allows three at once). An `asyncio.Semaphore(3)` lets three in at a time;
the others wait at the door. The script counts how many tasks run at the
same moment and times the whole run, which should take about four task
lengths: twelve tasks, three at a time. Three rounds each, with the limit
and without it.
"""

import asyncio
import json
import math
import os
import statistics
import time

TASKS = 12
LIMIT = 3
TASK = 0.1  # seconds
ROUNDS = 3


class Gauge:
    """How many tasks are running now, and the most ever seen at once."""

    def __init__(self) -> None:
        self.now = self.most = 0

    def change(self, delta: int) -> None:
        # No lock needed: no await between the read and the write, so no
        # other task can run in between (one thread, one loop).
        self.now += delta
        self.most = max(self.most, self.now)


# --8<-- [start:limit]
async def task(door: asyncio.Semaphore, gauge: Gauge) -> None:
    async with door:  # waits while LIMIT tasks are inside
        gauge.change(+1)
        await asyncio.sleep(TASK)  # the work: a call that waits
        gauge.change(-1)


async def run_all(limit: int) -> int:
    door, gauge = asyncio.Semaphore(limit), Gauge()
    async with asyncio.TaskGroup() as group:
        for _ in range(TASKS):
            group.create_task(task(door, gauge))
    return gauge.most
    # --8<-- [end:limit]


def timed(limit: int) -> tuple[int, float]:
    start = time.perf_counter()
    most = asyncio.run(run_all(limit))
    return most, time.perf_counter() - start


def main() -> None:
    results = {
        limit: [timed(limit) for _ in range(ROUNDS)]
        for limit in (LIMIT, TASKS)
    }
    for limit, runs in results.items():
        most = max(most for most, _ in runs)
        print(f"{TASKS} tasks, limit {limit}: most running at once: {most}")
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
