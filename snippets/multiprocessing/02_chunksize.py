"""What one task costs in a process pool, sent one by one or in chunks.

`Pool.map` pickles the tasks, sends them to the workers through a pipe and
brings the results back the same way. With `chunksize=1` every call of a
trivial function makes that trip on its own; with a larger `chunksize` the
workers get the inputs in lists of that many, one trip per list. Each line
is the time for the whole map divided by the number of tasks: the median
of a few runs, with the fastest and the slowest.
"""

import json
import math
import multiprocessing
import os
import statistics
import time

TASKS = 10_000
CHUNKSIZES = [1, 10, 100, 1000]
RUNS = 3


def double(n: int) -> int:
    """The work: next to none, so that only the overhead is measured."""
    return 2 * n


# --8<-- [start:map]
def per_task(pool, chunksize: int) -> float:
    """Seconds per task to map `double` over TASKS inputs."""
    start = time.perf_counter()
    results = pool.map(double, range(TASKS), chunksize=chunksize)
    elapsed = time.perf_counter() - start
    assert results == [2 * n for n in range(TASKS)]
    return elapsed / TASKS
    # --8<-- [end:map]


def readable(seconds: float) -> str:
    for unit, scale in (("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def main() -> None:
    workers = 2
    default = math.ceil(TASKS / (workers * 4))
    print(f"{TASKS:,} calls of a trivial function through Pool({workers}).map")
    print(f"Pool.map's default chunksize for them: {default}")
    runs = {}
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(double, range(10))  # warm-up: workers started and ready
        for chunksize in CHUNKSIZES:
            runs[chunksize] = [per_task(pool, chunksize) for _ in range(RUNS)]
    for chunksize, samples in runs.items():
        median, low, high = map(
            readable, (statistics.median(samples), min(samples), max(samples))
        )
        print(
            f"chunksize={chunksize}: {median} per task"
            f" (min {low}, max {high}; {len(samples)} runs)"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {
                "key": f"chunksize/{chunksize}",
                "label": "Pool(2).map",
                "series": "Pool(2).map",
                "x": chunksize,
                "unit": "s",
                "samples": samples,
            }
            for chunksize, samples in runs.items()
        ]
        inputs = {"tasks": TASKS, "chunksizes": CHUNKSIZES}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
