"""joblib's Parallel and delayed, with 1, 2 and 4 workers.

`delayed(f)(x)` records a call without making it; `Parallel(n_jobs=N)`
runs the recorded calls in N worker processes and returns the results in
the order of the calls. The same eight counts of primes run with n_jobs=1
(in this process, no workers), 2 and 4, a few rounds each, after a warm-up
that starts the workers, so that only the work is timed. n_jobs=1 and 2
take turns, round after round, so that a moment of load on the machine
slows both alike. Other programs can only slow a round down, so the
speed-up compares the fastest rounds. Each task also reports the CPU time
its thread spent: the CPUs kept busy (CPU time over wall time) cannot be
pushed above the CPUs there are, whatever the speed-up says.
"""

import json
import os
import statistics
import time

from joblib import Parallel, cpu_count, delayed
from joblib.externals.loky import get_reusable_executor

STEP = 25_000
INPUTS = [(start, start + STEP) for start in range(0, 8 * STEP, STEP)]
N_JOBS = [1, 2, 4]
ROUNDS = 5


# --8<-- [start:parallel]
def count_primes(bounds: tuple[int, int]) -> int:
    """How many primes in [low, high), by trial division: pure Python."""
    low, high = bounds
    count = 0
    for n in range(max(low, 2), high):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count


def main() -> None:
    results = Parallel(n_jobs=2)(delayed(count_primes)(b) for b in INPUTS)
    for (low, high), count in zip(INPUTS, results, strict=True):
        print(f"primes in [{low:,}, {high:,}): {count:,}")
    # --8<-- [end:parallel]
    times = {n: [] for n in N_JOBS}
    busy = {n: [] for n in N_JOBS}
    # loky resizes its pool of workers to each n_jobs, which stops or
    # starts workers: n_jobs=4 runs its rounds after the others.
    for group in ([1, 2], [4]):
        parallels = {n: Parallel(n_jobs=n) for n in group}
        # Warm-up: tasks that sleep, so that all the workers start.
        most = group[-1]
        parallels[most](delayed(time.sleep)(0.2) for _ in range(most))
        for _ in range(ROUNDS):
            for n, parallel in parallels.items():
                start = time.perf_counter()
                again = parallel(delayed(timed)(b) for b in INPUTS)
                wall = time.perf_counter() - start
                assert [count for count, _ in again] == results
                times[n].append(wall)
                busy[n].append(sum(cpu for _, cpu in again) / wall)
    # loky keeps its workers for reuse (300 s idle by default): stop them.
    get_reusable_executor().shutdown(wait=True)
    print("every n_jobs gave the same results: True")
    print(f"Fastest of {ROUNDS} rounds; speed-up against n_jobs=1.")
    print("CPUs busy: CPU time of the tasks over wall time (median).")
    fastest = {n: min(samples) for n, samples in times.items()}
    for n in N_JOBS:
        print(
            f"n_jobs={n}: {fastest[n]:.3f} s"
            f" (median {statistics.median(times[n]):.3f} s),"
            f" speed-up {fastest[1] / fastest[n]:.2f},"
            f" CPUs busy {statistics.median(busy[n]):.2f}"
        )
    print(f"CPUs joblib counts: {cpu_count()}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = []
        for n in N_JOBS:
            for key, label, unit, values in (
                (f"n_jobs/{n}", "wall time", "s", times[n]),
                (f"fastest/{n}", "fastest round", "s", [fastest[n]]),
                (f"speed-up/{n}", "speed-up", "", [fastest[1] / fastest[n]]),
                (f"busy/{n}", "CPUs busy", "", busy[n]),
            ):
                measurements.append(
                    {
                        "key": key,
                        "label": label,
                        "series": label,
                        "x": n,
                        "unit": unit,
                        "samples": values,
                    }
                )
        inputs = {"n_jobs": N_JOBS, "rounds": ROUNDS, "tasks": len(INPUTS)}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


def timed(bounds: tuple[int, int]) -> tuple[int, float]:
    """count_primes, and the CPU time its thread spent on it."""
    cpu = time.thread_time()
    count = count_primes(bounds)
    return count, time.thread_time() - cpu


if __name__ == "__main__":
    main()
