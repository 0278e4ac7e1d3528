"""New in Python 3.14: `map(buffersize=...)` and `InterpreterPoolExecutor`.

Without `buffersize`, `Executor.map` takes every input and submits every
task before it returns, however long the input is. With `buffersize=n` it
keeps at most n tasks ahead of the results the caller has taken, and reads
the input only as results are taken. The script counts how far a generator
of ten inputs was read.

`InterpreterPoolExecutor` runs each task in a thread with its own
interpreter, and so its own GIL. Four sums (the built-in `sum` holds the GIL
while it adds) run in a pool of two interpreters and, for comparison, in a
pool of two plain threads, three times each, after a first round that starts
the workers; the script prints the medians, and how many CPUs the
interpreters kept busy (the process's CPU time over the wall time).

On a Python without them, the script says so.
"""

import concurrent.futures
import inspect
import json
import os
import statistics
import sys
import time

N = 10
SUMS = 4  # tasks, each adding up range(SUM_OF)
SUM_OF = 3_000_000
RUNS = 3


def inputs(taken: list) -> object:
    """Yield 0 .. N-1, and count in taken[0] how many were read."""
    for n in range(N):
        taken[0] += 1
        yield n


def wait_then_echo(n: int) -> int:
    time.sleep(0.01)
    return n


def python() -> str:
    return f"Python {sys.version_info.major}.{sys.version_info.minor}"


def timed_sums(pool: concurrent.futures.Executor) -> tuple[list, list]:
    """Wall times of RUNS rounds, and the CPUs busy in each."""
    tasks = [range(SUM_OF)] * SUMS
    expected = [SUM_OF * (SUM_OF - 1) // 2] * SUMS
    assert list(pool.map(sum, tasks)) == expected  # starts the workers
    samples, busy = [], []
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        assert list(pool.map(sum, tasks)) == expected
        samples.append(time.perf_counter() - start)
        busy.append((time.process_time() - cpu) / samples[-1])
    return samples, busy


def main() -> None:
    measurements = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        taken = [0]
        results = pool.map(wait_then_echo, inputs(taken))
        print(f"map(): read {taken[0]} of {N} inputs when it returned")
        measurements.append(
            {
                "key": "map/returned",
                "label": "inputs read when map() returned",
                "unit": "",
                "samples": [taken[0]],
            }
        )
        assert list(results) == list(range(N))
        # --8<-- [start:buffersize]
        if "buffersize" in inspect.signature(pool.map).parameters:
            taken = [0]
            results = pool.map(wait_then_echo, inputs(taken), buffersize=2)
            at_return = taken[0]
            next(results)
            at_first = taken[0]
            assert list(results) == list(range(1, N))
            print(
                f"map(buffersize=2): read {at_return} of {N} when it returned,"
                f" {at_first} after the first result"
            )
            # --8<-- [end:buffersize]
            measurements.append(
                {
                    "key": "buffersize/returned",
                    "label": "inputs read when map(buffersize=2) returned",
                    "unit": "",
                    "samples": [at_return],
                }
            )
        else:
            print(f"map(buffersize=2): not in {python()} (new in 3.14)")

    # --8<-- [start:interpreters]
    if hasattr(concurrent.futures, "InterpreterPoolExecutor"):
        Pool = concurrent.futures.InterpreterPoolExecutor
        with Pool(max_workers=2) as interpreters:
            # sum and range are built in: every interpreter has them
            in_interpreters, busy = timed_sums(interpreters)
        # --8<-- [end:interpreters]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as threads:
            in_threads, _ = timed_sums(threads)
        print(
            f"InterpreterPoolExecutor(2): {SUMS} sums in"
            f" {statistics.median(in_interpreters):.2f} s"
            f" ({statistics.median(busy):.2f} CPUs busy);"
            f" 2 threads: {statistics.median(in_threads):.2f} s"
        )
        for key, label, unit, samples in (
            (
                "sums/interpreters",
                f"{SUMS} sums, 2 interpreters",
                "s",
                in_interpreters,
            ),
            ("sums/threads", f"{SUMS} sums, 2 threads", "s", in_threads),
            ("sums/interpreters/busy", "2 interpreters: CPUs busy", "", busy),
        ):
            measurements.append(
                {"key": key, "label": label, "unit": unit, "samples": samples}
            )
    else:
        print(f"InterpreterPoolExecutor: not in {python()} (new in 3.14)")

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        data = {"measurements": measurements, "inputs": {"n": N, "sums": SUMS}}
        with open(path, "w") as file:
            json.dump(data, file)


if __name__ == "__main__":
    main()
