"""A job with a known serial part, on 1 to 8 worker processes.

Each job is UNITS equal units of pure-Python work: SERIAL_UNITS of them run
in the main process, one after another (reading input, say), and the rest
are split into equal shares, one per worker, in a pool of N processes that
was started and warmed up before the clock starts. The serial fraction is
therefore known: SERIAL_UNITS / UNITS. Amdahl's law says N workers can run
the job at most 1 / (serial + (1 - serial) / N) times as fast as one, and
no faster than N CPUs allow. The script prints the measured speed-up (the
median time on one worker over the median on N) beside the law's.
"""

import contextlib
import json
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

UNIT = 60_000  # loop iterations in one unit of work
UNITS = 40
SERIAL_UNITS = 8  # a fifth of the job cannot be split
WORKERS = [1, 2, 3, 4, 6, 8]
ROUNDS = 7


def work(units: int) -> tuple[int, float]:
    """Pure Python; returns a result and the CPU time its thread spent."""
    cpu = time.thread_time()
    total = 0
    for i in range(units * UNIT):
        total += i % 7
    return total, time.thread_time() - cpu


# --8<-- [start:job]
def job(pool: ProcessPoolExecutor, workers: int) -> tuple[float, float]:
    """One job: the serial part here, the rest in equal shares on the pool.
    Returns its wall time and the CPUs the shares kept busy."""
    start = time.perf_counter()
    work(SERIAL_UNITS)  # the part that cannot be split
    parallel = time.perf_counter()
    shares = [(UNITS - SERIAL_UNITS) // workers] * workers
    for i in range((UNITS - SERIAL_UNITS) % workers):
        shares[i] += 1  # the units that do not divide evenly
    results = list(pool.map(work, shares))
    end = time.perf_counter()
    busy = sum(cpu for _, cpu in results) / (end - parallel)
    return end - start, busy
    # --8<-- [end:job]


def amdahl(serial: float, n: float) -> float:
    """The most n workers can speed up a job with this serial fraction."""
    return 1 / (serial + (1 - serial) / n)


def usable_cpus() -> int:
    # os.process_cpu_count() is new in 3.13; before, ask for the affinity.
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    return len(os.sched_getaffinity(0))


def main() -> None:
    cpus, serial = usable_cpus(), SERIAL_UNITS / UNITS
    times = {n: [] for n in WORKERS}
    busy = {n: [] for n in WORKERS}
    with contextlib.ExitStack() as stack:
        pools = {}
        for n in WORKERS:
            pools[n] = stack.enter_context(ProcessPoolExecutor(max_workers=n))
            list(pools[n].map(work, [0] * n))  # start every worker
        # Round after round of every pool, so that a moment of load on the
        # machine slows them alike rather than one.
        for _ in range(ROUNDS):
            for n, pool in pools.items():
                wall, cpus_busy = job(pool, n)
                times[n].append(wall)
                busy[n].append(cpus_busy)
    one = statistics.median(times[1])
    print(f"serial fraction: {serial:.0%}; usable CPUs: {cpus}")
    print(f"one worker: {one:.3f} s (median of {ROUNDS})")
    print(f"N: speed-up (Amdahl's law on N CPUs, on {cpus})")
    for n in WORKERS:
        measured = one / statistics.median(times[n])
        law, here = amdahl(serial, n), amdahl(serial, min(n, cpus))
        print(f"{n}: {measured:.2f} ({law:.2f}, {here:.2f})")
    print(f"the law's ceiling, 1 / serial fraction: {1 / serial:.1f}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        data = []
        for n in WORKERS:
            common = {"x": n, "unit": ""}
            data += [
                {
                    "key": f"time/{n}",
                    "label": "job",
                    "x": n,
                    "unit": "s",
                    "samples": times[n],
                },
                {
                    "key": f"busy/{n}",
                    "label": "CPUs busy",
                    **common,
                    "samples": busy[n],
                },
                {
                    "key": f"speed-up/{n}",
                    "label": "measured",
                    "series": "measured",
                    **common,
                    "samples": [one / t for t in times[n]],
                },
                {
                    "key": f"amdahl/{n}",
                    "label": "Amdahl, N CPUs",
                    "series": "Amdahl's law, N CPUs",
                    **common,
                    "samples": [amdahl(serial, n)],
                },
                {
                    "key": f"amdahl-here/{n}",
                    "label": f"Amdahl, {cpus} CPUs",
                    "series": f"Amdahl's law, {cpus} CPUs",
                    **common,
                    "samples": [amdahl(serial, min(n, cpus))],
                },
            ]
        inputs = {
            "units": UNITS,
            "serial_units": SERIAL_UNITS,
            "workers": WORKERS,
            "cpus": cpus,
        }
        with open(path, "w") as file:
            json.dump({"measurements": data, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
