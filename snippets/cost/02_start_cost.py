"""What it costs to start a thread, and a process with each start method.

Each line starts a do-nothing thread or process and waits for it to end
(start + join), many times over, and prints the median with the fastest and
the slowest run.
"""

import multiprocessing
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
        f"time: {label + ':':<22} median {median:>8}"
        f"  (min {low}, max {high}; {len(samples)} runs)"
    )


def main() -> None:
    print("start + join of one do-nothing worker:")
    samples = [start_and_join(threading.Thread) for _ in range(THREAD_RUNS)]
    report("thread", samples)
    for method in multiprocessing.get_all_start_methods():
        process = multiprocessing.get_context(method).Process
        samples = [start_and_join(process) for _ in range(PROCESS_RUNS)]
        report(f"process ({method})", samples)


if __name__ == "__main__":
    main()
