"""A process pool maps a CPU-bound function over its inputs.

`Pool.map` splits the inputs among the worker processes, each with its own
interpreter and its own GIL, and returns the results in the order of the
inputs. The same work runs once in this process and once in a pool of two,
a few times each; the pool is started first, so only the work is timed.
The workers also report the CPU time they spent: over the wall time, it
says how many CPUs the machine gave them.
"""

import json
import multiprocessing
import os
import statistics
import time

STEP = 25_000
INPUTS = [(start, start + STEP) for start in range(0, 8 * STEP, STEP)]
RUNS = 3


def count_primes_timed(bounds: tuple[int, int]) -> tuple[int, float]:
    """count_primes, and the CPU time it took in the worker."""
    cpu = time.process_time()
    count = count_primes(bounds)
    return count, time.process_time() - cpu


# --8<-- [start:pool]
def count_primes(bounds: tuple[int, int]) -> int:
    """How many primes in [low, high), by trial division: pure Python."""
    low, high = bounds
    count = 0
    for n in range(max(low, 2), high):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count


def main() -> None:
    with multiprocessing.Pool(processes=2) as pool:
        results = pool.map(count_primes, INPUTS)
        for (low, high), count in zip(INPUTS, results, strict=True):
            print(f"primes in [{low:,}, {high:,}): {count:,}")
        # --8<-- [end:pool]
        runs = {"one process": [], "Pool(2).map": []}
        busy = []  # CPU time of the workers over wall time, per run
        for _ in range(RUNS):
            start = time.perf_counter()
            assert [count_primes(n) for n in INPUTS] == results
            runs["one process"].append(time.perf_counter() - start)
            start = time.perf_counter()
            timed = pool.map(count_primes_timed, INPUTS)
            runs["Pool(2).map"].append(time.perf_counter() - start)
            assert [count for count, _ in timed] == results
            busy.append(sum(cpu for _, cpu in timed) / runs["Pool(2).map"][-1])
    for label, samples in runs.items():
        print(
            f"{label}: median {statistics.median(samples):.3f} s"
            f" (min {min(samples):.3f} s, max {max(samples):.3f} s;"
            f" {len(samples)} runs)"
        )
    cpus = statistics.median(busy)
    print(f"Pool(2).map: the workers kept {cpus:.2f} CPUs busy (median)")
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": label, "label": label, "unit": "s", "samples": samples}
            for label, samples in runs.items()
        ]
        measurements.append(
            {
                "key": "busy",
                "label": "Pool(2).map: CPUs busy",
                "unit": "",
                "samples": busy,
            }
        )
        inputs = {"counts": len(INPUTS)}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
