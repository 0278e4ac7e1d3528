"""joblib's Parallel and delayed, with 1, 2 and 4 workers.

`delayed(f)(x)` records a call without making it; `Parallel(n_jobs=N)`
runs the recorded calls in N worker processes and returns the results in
the order of the calls. The same eight counts of primes run with n_jobs=1
(in this process, no workers), 2 and 4, a few times each, after a warm-up
that starts the workers, so that only the work is timed.
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
RUNS = 3


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
    runs = {n: [] for n in N_JOBS}
    for n in N_JOBS:
        parallel = Parallel(n_jobs=n)
        # Warm-up: n tasks that sleep, so that all n workers start.
        parallel(delayed(time.sleep)(0.2) for _ in range(n))
        for _ in range(RUNS):
            start = time.perf_counter()
            again = parallel(delayed(count_primes)(b) for b in INPUTS)
            runs[n].append(time.perf_counter() - start)
            assert again == results
    # loky keeps its workers for reuse (300 s idle by default): stop them.
    get_reusable_executor().shutdown(wait=True)
    print("every n_jobs gave the same results: True")
    one = statistics.median(runs[1])
    for n, samples in runs.items():
        median = statistics.median(samples)
        print(
            f"n_jobs={n}: median {median:.3f} s"
            f" (min {min(samples):.3f} s, max {max(samples):.3f} s;"
            f" {len(samples)} runs), speed-up {one / median:.2f}"
        )
    print(f"CPUs joblib counts: {cpu_count()}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = []
        for n, samples in runs.items():
            for key, label, unit, values in (
                (f"n_jobs/{n}", "wall time, n_jobs", "s", samples),
                (
                    f"speed-up/{n}",
                    "speed-up, n_jobs",
                    "",
                    [one / s for s in samples],
                ),
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
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
