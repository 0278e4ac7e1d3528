"""What it costs to move data to a process and back, against a thread.

Each round trip hands a bytes payload to a worker that returns it. A thread
gets the very object: nothing is copied. A process gets a copy: the payload
is pickled, written to a pipe, read and unpickled by the worker, and the
result makes the same trip back. Both pools are started and warmed up
first, so only the hand-off is timed. Each line gives the median round
trip, the fastest and the slowest, and the rough throughput of the process
(bytes there and back, over the median).
"""

import concurrent.futures
import json
import os
import statistics
import time

SIZES = [1 << 10, 32 << 10, 1 << 20, 32 << 20]  # 1 KiB ... 32 MiB
PROCESS_RUNS = {1 << 10: 200, 32 << 10: 100, 1 << 20: 30, 32 << 20: 5}
THREAD_RUNS = 200  # no copy: as quick for 32 MiB as for 1 KiB


def echo(payload: bytes) -> bytes:
    return payload


# --8<-- [start:round_trip]
def round_trip(pool: concurrent.futures.Executor, payload: bytes) -> float:
    """Seconds to hand a payload to a pool's worker and get it back."""
    start = time.perf_counter()
    back = pool.submit(echo, payload).result()
    elapsed = time.perf_counter() - start
    assert back == payload
    return elapsed
    # --8<-- [end:round_trip]


def readable(value: float, units) -> str:
    for unit, scale in units:
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    unit, scale = units[-1]
    return f"{value / scale:.3g} {unit}"


def seconds(value: float) -> str:
    return readable(value, (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)))


def size(value: int) -> str:
    return readable(value, (("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)))


def main() -> None:
    measurements = []
    processes = concurrent.futures.ProcessPoolExecutor(max_workers=1)
    threads = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    with processes, threads:
        for pool in (processes, threads):
            pool.submit(echo, b"warm-up").result()
        payload = bytes(SIZES[0])
        same = threads.submit(echo, payload).result() is payload
        back = processes.submit(echo, payload).result()
        copy = back == payload and back is not payload
        print(f"a thread hands back the same object: {same}")
        print(f"a process hands back an equal copy: {copy}")
        for n in SIZES:
            payload = os.urandom(n)
            for kind, pool, runs in (
                ("process", processes, PROCESS_RUNS[n]),
                ("thread", threads, THREAD_RUNS),
            ):
                samples = [round_trip(pool, payload) for _ in range(runs)]
                median = statistics.median(samples)
                rate = (
                    f", {size(2 * n / median)}/s" if kind == "process" else ""
                )
                print(
                    f"{kind}, {size(n)}: median {seconds(median)}"
                    f" (min {seconds(min(samples))},"
                    f" max {seconds(max(samples))};"
                    f" {len(samples)} runs){rate}"
                )
                measurements.append(
                    {
                        "key": f"{kind}/{n}",
                        "label": kind,
                        "series": kind,
                        "x": n,
                        "x_unit": "B",
                        "unit": "s",
                        "samples": samples,
                    }
                )

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        inputs = {"sizes": SIZES}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
