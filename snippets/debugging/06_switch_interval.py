"""A race that tests rarely catch, caught with `sys.setswitchinterval()`.

Two threads add to one counter, each reading it, calling a function, and
writing it back: a read-modify-write with a switch point inside (a call).
With the GIL, the running thread is asked to let go of it every switch
interval (5 ms by default), so in a short run the threads rarely switch
in that window, and a test of it passes almost always. A tiny interval
(1 µs) asks for a switch at nearly every chance, and the same test fails
often. The script runs the test 100 times at each interval and counts the
runs that lost an update. On the free-threaded build the threads run at
once, and the interval does not matter.
"""

import json
import os
import sys
import threading
import time

RUNS = 100
ADDS = 2_000  # adds per thread, per run
TINY = 1e-6  # seconds


class Counter:
    n = 0


def plus_one(value: int) -> int:
    return value + 1


# --8<-- [start:race]
def add(counter: Counter) -> None:
    for _ in range(ADDS):
        value = counter.n  # read
        value = plus_one(value)  # a call: a switch may happen here
        counter.n = value  # write


def lost_updates() -> int:
    counter = Counter()
    threads = [threading.Thread(target=add, args=(counter,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return 2 * ADDS - counter.n


def failing_runs(interval: float) -> int:
    default = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        return sum(lost_updates() > 0 for _ in range(RUNS))
    finally:
        sys.setswitchinterval(default)
        # --8<-- [end:race]


def main() -> None:
    start = time.perf_counter()
    default = sys.getswitchinterval()
    failing = {"default": failing_runs(default), "tiny": failing_runs(TINY)}
    print(f"runs that lost an update, of {RUNS}:")
    print(f"  switch interval {default * 1000:g} ms: {failing['default']}")
    print(f"  switch interval {TINY * 1e6:g} µs: {failing['tiny']}")
    print(f"in {time.perf_counter() - start:.1f} s")

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": key, "label": f"failing runs, {key} interval", "unit": ""}
            | {"samples": [count]}
            for key, count in failing.items()
        ]
        inputs = {"runs": RUNS, "adds": ADDS, "tiny": TINY, "default": default}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
