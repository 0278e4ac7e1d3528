"""joblib.Memory: compute once, read the result from disk afterwards.

`Memory(location).cache(f)` wraps a function. A call hashes its arguments
and looks in the function's folder (named after its module and name) for a
result under that hash: it loads one it finds instead of running the
function (a hit), otherwise it runs the function and stores the result (a
miss). The function's source is stored too, and a changed source clears
the folder. The cache survives the process: a second run of the program
hits too. Here the cache lives in a temporary directory that is
removed at the end; the body counts how often it really ran.
"""

import json
import os
import statistics
import tempfile
import time

from joblib import Memory

RUNS = 5
calls = 0


def count_primes(limit: int) -> int:
    """Primes below limit, by trial division: slow on purpose."""
    global calls
    calls += 1
    return sum(
        all(n % d for d in range(2, int(n**0.5) + 1)) for n in range(2, limit)
    )


def main() -> None:
    misses, hits = [], []
    with tempfile.TemporaryDirectory() as location:
        # --8<-- [start:cache]
        memory = Memory(location, verbose=0)  # verbose=0: log nothing
        cached = memory.cache(count_primes)
        first = cached(60_000)  # a miss: runs count_primes
        second = cached(60_000)  # a hit: loads the stored result
        # --8<-- [end:cache]
        print(f"primes below 60,000: {first:,}, then {second:,}")
        print(f"the body ran {calls} time(s) for two calls")
        for limit in range(60_001, 60_001 + RUNS):
            start = time.perf_counter()
            cached(limit)  # new argument: a miss
            misses.append(time.perf_counter() - start)
            start = time.perf_counter()
            cached(limit)  # same argument again: a hit
            hits.append(time.perf_counter() - start)
        print(f"the body ran {calls} time(s) after {RUNS} more pairs")
    for label, samples in (("miss", misses), ("hit", hits)):
        print(
            f"{label}: median {statistics.median(samples) * 1e3:.2f} ms"
            f" (min {min(samples) * 1e3:.2f} ms,"
            f" max {max(samples) * 1e3:.2f} ms; {len(samples)} calls)"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": "miss", "label": "miss", "unit": "s", "samples": misses},
            {"key": "hit", "label": "hit", "unit": "s", "samples": hits},
        ]
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
