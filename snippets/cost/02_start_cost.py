"""What it costs to start a thread, and a process with each start method.

Each line starts a do-nothing thread or process and waits for it to end
(start + join), many times over, and prints the median with the fastest and
the slowest run.
"""

import json
import multiprocessing
import os
import statistics
import threading
import time

THREAD_RUNS = 200
PROCESS_RUNS = 10


def nothing() -> None:
    """The work: none, so that only starting and joining is measured."""


# --8<-- [start:measure]
def start_and_join(make) -> float:
    """Seconds to start one thread or process and wait for it to end."""
    start = time.perf_counter()
    worker = make(target=nothing)
    worker.start()
    worker.join()
    return time.perf_counter() - start
    # --8<-- [end:measure]


def readable(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def report(label: str, samples: list[float]) -> None:
    median, low, high = map(
        readable, (statistics.median(samples), min(samples), max(samples))
    )
    print(
        f"{label + ':':<22} median {median:>8}"
        f"  (min {low}, max {high}; {len(samples)} runs)"
    )


def main() -> None:
    print("start + join of one do-nothing worker:")
    runs = {
        "thread": [
            start_and_join(threading.Thread) for _ in range(THREAD_RUNS)
        ]
    }
    for method in multiprocessing.get_all_start_methods():
        process = multiprocessing.get_context(method).Process
        runs[f"process ({method})"] = [
            start_and_join(process) for _ in range(PROCESS_RUNS)
        ]
    for label, samples in runs.items():
        report(label, samples)
    # The site's build sets SNIPPET_DATA to draw its tables and charts from
    # this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": label, "label": label, "unit": "s", "samples": samples}
            for label, samples in runs.items()
        ]
        inputs = {"thread_runs": THREAD_RUNS, "process_runs": PROCESS_RUNS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
