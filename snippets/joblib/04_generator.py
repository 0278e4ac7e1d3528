"""Results as they come, with `return_as`.

By default `Parallel` returns a list, once every task has finished. With
`return_as="generator"` it returns at once a generator that yields each
result as soon as it and every earlier one are ready, in the order of the
tasks; with `return_as="generator_unordered"` (joblib 1.4 and later) it
yields each result as soon as it is ready, whatever its place. Four tasks
sleep for different times on two workers, so that the order in which they
finish is known; the script notes when each result reaches the loop. The
workers are threads (`prefer="threads"`): a sleeping task holds no GIL,
and there are no processes to start; `return_as` works the same on loky.
"""

import json
import os
import statistics
import time

from joblib import Parallel, delayed

# Task 1 is long; the others are short. Worker A runs tasks 0, 2 and 3
# one after another while worker B runs task 1.
SLEEPS = [0.15, 1.0, 0.15, 0.15]
MODES = ["list", "generator", "generator_unordered"]
RUNS = 3


def nap(task: int) -> int:
    time.sleep(SLEEPS[task])
    return task


# --8<-- [start:stream]
def arrivals(mode: str) -> list[tuple[int, float]]:
    """(task, seconds since the start) as each result reaches the loop."""
    start = time.perf_counter()
    parallel = Parallel(n_jobs=2, prefer="threads", return_as=mode)
    results = parallel(delayed(nap)(task) for task in range(len(SLEEPS)))
    return [(task, time.perf_counter() - start) for task in results]
    # --8<-- [end:stream]


def main() -> None:
    orders = {mode: set() for mode in MODES}
    first = {mode: [] for mode in MODES}
    last = {mode: [] for mode in MODES}
    long = SLEEPS.index(max(SLEEPS))
    place = []  # where the long task's result came, 1 to len(SLEEPS)
    for _ in range(RUNS):
        for mode in MODES:
            seen = arrivals(mode)
            order = [task for task, _ in seen]
            orders[mode].add(tuple(order))
            first[mode].append(seen[0][1])
            last[mode].append(seen[-1][1])
            if mode == "generator_unordered":
                place.append(order.index(long) + 1)
    print(f"sleeps of tasks 0 to 3 (s): {SLEEPS}")
    for mode, seen in orders.items():
        shown = " or ".join(str(list(order)) for order in sorted(seen))
        print(f"{mode}: results in the order {shown}")
    for mode in MODES:
        print(
            f"{mode}: first result after"
            f" {statistics.median(first[mode]):.2f} s, last after"
            f" {statistics.median(last[mode]):.2f} s (medians of {RUNS})"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = []
        for mode in MODES:
            for which, samples in (("first", first), ("last", last)):
                measurements.append(
                    {
                        "key": f"{which}/{mode}",
                        "label": f"{mode}: {which} result",
                        "unit": "s",
                        "samples": samples[mode],
                    }
                )
        measurements.append(
            {
                "key": "long/generator_unordered",
                "label": "generator_unordered: place of the long task",
                "unit": "",
                "samples": place,
            }
        )
        data = {"measurements": measurements, "inputs": {"sleeps": SLEEPS}}
        with open(path, "w") as file:
            json.dump(data, file)


if __name__ == "__main__":
    main()
