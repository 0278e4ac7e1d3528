"""Work that waits keeps speeding up past the CPU count.

TASKS tasks each wait WAIT seconds (a sleep, standing in for a network call
or a disk read) in a pool of N threads, started before the clock starts.
A waiting thread uses no CPU, so N threads wait N at a time whatever the
number of CPUs: the ideal is TASKS / N rounds of waiting. The script prints
the median time of ROUNDS runs and the speed-up against one thread.
"""

import contextlib
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

TASKS = 16
WAIT = 0.01  # seconds each task waits
THREADS = [1, 2, 4, 8, 16]
ROUNDS = 3


# --8<-- [start:wait]
def fetch(n: int) -> int:
    time.sleep(WAIT)  # waits without the GIL and without a CPU
    return n


def run(pool: ThreadPoolExecutor) -> float:
    start = time.perf_counter()
    assert list(pool.map(fetch, range(TASKS))) == list(range(TASKS))
    return time.perf_counter() - start
    # --8<-- [end:wait]


def main() -> None:
    times = {n: [] for n in THREADS}
    with contextlib.ExitStack() as stack:
        pools = {}
        for n in THREADS:
            pools[n] = stack.enter_context(ThreadPoolExecutor(max_workers=n))
            run(pools[n])  # starts the threads
        for _ in range(ROUNDS):
            for n, pool in pools.items():
                times[n].append(run(pool))
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    one = statistics.median(times[1])
    print(f"{TASKS} waits of {WAIT * 1000:.0f} ms; usable CPUs: {cpus}")
    print("threads   time  speed-up (ideal)")
    for n in THREADS:
        median = statistics.median(times[n])
        print(f"{n:>7} {median * 1000:4.0f} ms  {one / median:8.1f} ({n})")
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        data = []
        for n in THREADS:
            data += [
                {
                    "key": f"time/{n}",
                    "label": "waits",
                    "series": "time",
                    "x": n,
                    "unit": "s",
                    "samples": times[n],
                },
                {
                    "key": f"speed-up/{n}",
                    "label": "threads that wait",
                    "series": "threads that wait",
                    "x": n,
                    "unit": "",
                    "samples": [one / t for t in times[n]],
                },
            ]
        inputs = {"tasks": TASKS, "wait": WAIT, "threads": THREADS}
        with open(path, "w") as file:
            json.dump({"measurements": data, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
