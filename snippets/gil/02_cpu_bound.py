"""Pure-Python CPU work on 1, 2 and 4 threads, against 1, 2 and 4 processes.

The same total work (counting primes below a bound, in pure Python) is split
into equal parts, one part per worker. Pools are started and warmed up
before timing, so only the work and its hand-off are timed. The speed-up of
N workers is the time of one worker divided by the time of N; the CPUs
kept busy are the CPU time the workers' threads spent over the wall time,
which other programs on the machine cannot push up.
"""

import contextlib
import json
import multiprocessing
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

LIMIT = 120_000  # count the primes below this, split into equal shares
BLOCK = 1_000
WORKERS = [1, 2, 4]
ROUNDS = 7


# --8<-- [start:work]
def count_primes(numbers: range) -> int:
    """Pure Python, no I/O, no C call that releases the GIL."""
    return sum(
        n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
        for n in numbers
    )
    # --8<-- [end:work]


def share(worker: int, workers: int) -> tuple[int, float]:
    """A worker's share of the count, and the CPU time its thread spent.

    Blocks of numbers are dealt out in turn (0, N, 2N... to worker 0), so that
    every worker gets as many small numbers as large ones, odd as even.
    """
    cpu = time.thread_time()
    firsts = range(worker * BLOCK, LIMIT, workers * BLOCK)
    count = sum(count_primes(range(n, min(n + BLOCK, LIMIT))) for n in firsts)
    return count, time.thread_time() - cpu


def run(pool, workers: int) -> tuple[float, float, int]:
    """Wall time, CPUs kept busy on average (CPU time / wall time), count."""
    start = time.perf_counter()
    parts = [pool.submit(share, worker, workers) for worker in range(workers)]
    results = [part.result() for part in parts]
    wall = time.perf_counter() - start
    busy = sum(cpu for _, cpu in results) / wall
    return wall, busy, sum(count for count, _ in results)


def main() -> None:
    times, busy, totals = {}, {}, set()
    with contextlib.ExitStack() as stack:
        pools = {}
        for kind, make in (
            ("threads", ThreadPoolExecutor),
            ("processes", ProcessPoolExecutor),
        ):
            for n in WORKERS:
                pool = stack.enter_context(make(max_workers=n))
                # Warm up: start every worker before timing.
                list(pool.map(count_primes, [range(2)] * n))
                pools[kind, n] = pool
                times[kind, n], busy[kind, n] = [], []
        # Round after round of every setup, so that a moment of load on
        # the machine slows all of them alike rather than one.
        for _ in range(ROUNDS):
            for (kind, n), pool in pools.items():
                seconds, cpus, total = run(pool, n)
                times[kind, n].append(seconds)
                busy[kind, n].append(cpus)
                totals.add(total)
    agreed = len(totals) == 1
    print(f"primes below {LIMIT}: {totals.pop()} (all runs agree: {agreed})")
    print(f"Medians of {ROUNDS} rounds. Speed-up: against one worker of the")
    print("same kind. CPUs busy: CPU time of the workers over wall time.")
    for (kind, workers), samples in times.items():
        median = statistics.median(samples)
        one = statistics.median(times[kind, 1])
        cpus = statistics.median(busy[kind, workers])
        print(
            f"{kind} x {workers}: {median:.3f} s,"
            f" speed-up {one / median:.2f}, CPUs busy {cpus:.2f}"
        )
    print(f"usable CPUs: {usable_cpus()}")
    print(f"start method: {multiprocessing.get_start_method()}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts from
    # this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = []
        for (kind, workers), samples in times.items():
            one = statistics.median(times[kind, 1])
            for key, what, unit, values in (
                (f"{kind}/{workers}", "", "s", samples),
                (
                    f"speed-up/{kind}/{workers}",
                    " speed-up",
                    "",
                    [one / s for s in samples],
                ),
                (
                    f"busy/{kind}/{workers}",
                    " CPUs busy",
                    "",
                    busy[kind, workers],
                ),
            ):
                measurements.append(
                    {
                        "key": key,
                        "label": kind + what,
                        "series": kind,
                        "x": workers,
                        "unit": unit,
                        "samples": values,
                    }
                )
        inputs = {"workers": WORKERS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


def usable_cpus() -> int:
    # os.process_cpu_count() is new in 3.13; before, ask for the affinity.
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count()
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
