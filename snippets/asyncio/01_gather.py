"""Three coroutines that sleep at the same time, in one thread.

The seed post's example for asyncio, with three tasks instead of five and
the sleep shortened to 0.2 s: each coroutine awaits `asyncio.sleep`, then
reports. `asyncio.gather` runs them as tasks on one event loop, in one
thread; while one waits, the loop runs the others, so the three sleeps
overlap and the whole run takes about one sleep, not three. Three rounds;
the last line gives their median.
"""

import asyncio
import json
import os
import statistics
import threading
import time

SLEEP = 0.2  # seconds
WORKERS = 3
ROUNDS = 3


# --8<-- [start:worker]
async def worker(name: str) -> tuple[str, int]:
    await asyncio.sleep(SLEEP)  # waits here; the loop runs the others
    return f"worker {name} done", threading.get_ident()


async def run_all() -> list[tuple[str, int]]:
    # gather returns the results in the order of its arguments
    return await asyncio.gather(*(worker(str(i)) for i in range(WORKERS)))
    # --8<-- [end:worker]


def main() -> None:
    seconds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        results = asyncio.run(run_all())
        seconds.append(time.perf_counter() - start)
    for line, _ in results:
        print(line)
    threads = {ident for _, ident in results}
    print(f"all {len(results)} workers done, in {len(threads)} thread")
    label = f"{WORKERS} overlapping sleeps of {SLEEP * 1000:.0f} ms each"
    print(f"{label}: {statistics.median(seconds) * 1000:.0f} ms")
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = [
            {"key": "wall", "label": label, "unit": "s", "samples": seconds}
        ]
        inputs = {"sleep": SLEEP, "workers": WORKERS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
