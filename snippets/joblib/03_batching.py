"""What one tiny task costs in joblib, one at a time or batched.

Each task goes to a loky worker as a pickle and its result comes back the
same way; for a function that does almost nothing, that trip is the whole
cost. With `batch_size=1` every call makes the trip on its own. With the
default, `batch_size="auto"`, joblib times the batches it has sent and
grows them until one takes a sizeable fraction of a second (and shrinks
them if they get too long). Each line is the time of the whole run divided
by the number of tasks: the median of a few runs, with the extremes.
"""

import json
import os
import statistics
import time

from joblib import Parallel, delayed
from joblib.externals.loky import get_reusable_executor

TASKS = 2_000
RUNS = 3


def double(n: int) -> int:
    """The work: next to none, so that only the overhead is measured."""
    return 2 * n


# --8<-- [start:batch]
def per_task(batch_size: int | str) -> float:
    """Seconds per task to run `double` on TASKS inputs with n_jobs=2."""
    parallel = Parallel(n_jobs=2, batch_size=batch_size)
    start = time.perf_counter()
    results = parallel(delayed(double)(n) for n in range(TASKS))
    elapsed = time.perf_counter() - start
    assert results == [2 * n for n in range(TASKS)]
    return elapsed / TASKS
    # --8<-- [end:batch]


def readable(seconds: float) -> str:
    for unit, scale in (("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def main() -> None:
    print(f"{TASKS:,} calls of a trivial function, Parallel(n_jobs=2)")
    Parallel(n_jobs=2)(delayed(double)(n) for n in range(10))  # warm-up
    runs = {"auto": [], 1: []}
    for _ in range(RUNS):
        for batch_size, samples in runs.items():
            samples.append(per_task(batch_size))
    # loky keeps its workers for reuse (300 s idle by default): stop them.
    get_reusable_executor().shutdown(wait=True)
    print("results correct for both batch sizes: True")
    for batch_size, samples in runs.items():
        median, low, high = map(
            readable, (statistics.median(samples), min(samples), max(samples))
        )
        print(
            f"batch_size={batch_size!r}: {median} per task"
            f" (min {low}, max {high}; {len(samples)} runs)"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {
                "key": f"batch_size={batch_size!r}",
                "label": f"batch_size={batch_size!r}",
                "unit": "s",
                "samples": samples,
            }
            for batch_size, samples in runs.items()
        ]
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
