"""A process pool maps a CPU-bound function over its inputs.

`count_primes` is pure Python: in threads of one interpreter it would take
turns on the GIL. `ProcessPoolExecutor.map` sends each input to one of two
worker processes, each with its own interpreter and its own GIL, and
returns the results in the order of the inputs. The same four counts then
run in this process and through the pool, three times each; the pool's
workers are started first, so only the work is timed. The workers also
report the CPU time they spent: over the wall time, it says how many CPUs
the machine gave them.
"""

import concurrent.futures
import json
import os
import statistics
import time

STEP = 40_000
INPUTS = [(low, low + STEP) for low in range(0, 4 * STEP, STEP)]
RUNS = 3


def count_primes_timed(bounds: tuple[int, int]) -> tuple[int, float]:
    """count_primes, and the CPU time it took in the worker."""
    cpu = time.process_time()
    count = count_primes(bounds)
    return count, time.process_time() - cpu


# --8<-- [start:map]
def count_primes(bounds: tuple[int, int]) -> int:
    """How many primes in [low, high), by trial division: pure Python."""
    low, high = bounds
    count = 0
    for n in range(max(low, 2), high):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count


def main() -> None:
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(count_primes, INPUTS))
        for (low, high), count in zip(INPUTS, results, strict=True):
            print(f"primes in [{low:,}, {high:,}): {count:,}")
        # --8<-- [end:map]
        runs = {"one process": [], "ProcessPoolExecutor(2).map": []}
        busy = []  # CPU time of the workers over wall time, per run
        for _ in range(RUNS):
            start = time.perf_counter()
            assert [count_primes(bounds) for bounds in INPUTS] == results
            runs["one process"].append(time.perf_counter() - start)
            start = time.perf_counter()
            timed = list(pool.map(count_primes_timed, INPUTS))
            wall = time.perf_counter() - start
            runs["ProcessPoolExecutor(2).map"].append(wall)
            assert [count for count, _ in timed] == results
            busy.append(sum(cpu for _, cpu in timed) / wall)
    for label, samples in runs.items():
        print(
            f"{label}: median {statistics.median(samples):.3f} s"
            f" (min {min(samples):.3f} s, max {max(samples):.3f} s;"
            f" {len(samples)} runs)"
        )
    cpus = statistics.median(busy)
    print(f"the pool's workers kept {cpus:.2f} CPUs busy (median)")
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
                "label": "ProcessPoolExecutor(2).map: CPUs busy",
                "unit": "",
                "samples": busy,
            }
        )
        inputs = {"counts": len(INPUTS)}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
