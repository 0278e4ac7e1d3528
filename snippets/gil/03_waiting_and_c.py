"""Threads that wait, and threads that run C code which releases the GIL.

A thread gives up the GIL while it blocks (sleeping, reading a socket) and
while some C code runs: hashlib releases it while hashing large buffers. So
N threads sleeping at once take about one sleep, and hashing splits across
threads, even on a build with a GIL.
"""

import contextlib
import hashlib
import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SLEEP = 0.1
SLEEPERS = [1, 10, 50]
BUFFER = bytes(range(256)) * (64 * 1024)  # 16 MiB
BUFFERS = 8  # hash this many, split across the threads
WORKERS = [1, 2, 4]
ROUNDS = 7


def sleepers(n: int) -> float:
    threads = [
        threading.Thread(target=time.sleep, args=(SLEEP,)) for _ in range(n)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


# --8<-- [start:hash]
def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()  # releases the GIL as it hashes


def hash_all(pool: ThreadPoolExecutor) -> float:
    start = time.perf_counter()
    digests = set(pool.map(digest, [BUFFER] * BUFFERS))
    assert len(digests) == 1
    return time.perf_counter() - start
    # --8<-- [end:hash]


def main() -> None:
    measurements = []

    def measured(key, label, series, x, samples):
        measurements.append(
            {
                "key": key,
                "label": label,
                "series": series,
                "x": x,
                "unit": "s",
                "samples": samples,
            }
        )
        return statistics.median(samples)

    print(f"{SLEEP:g} s sleeps, each on its own thread, all at once:")
    for n in SLEEPERS:
        samples = [sleepers(n) for _ in range(ROUNDS)]
        median = measured(
            f"sleep/{n}", "sleeping threads", "sleeping threads", n, samples
        )
        sleeps = median / SLEEP
        print(f"sleepers x {n}: {median:.3f} s, {sleeps:.2f} sleeps")
    size = len(BUFFER) * BUFFERS >> 20
    print(f"sha256 of {BUFFERS} buffers ({size} MiB), split across threads:")
    hashing = {n: [] for n in WORKERS}
    busy = {n: [] for n in WORKERS}  # CPU time of all threads over wall time
    with contextlib.ExitStack() as stack:
        pools = {
            n: stack.enter_context(ThreadPoolExecutor(n)) for n in WORKERS
        }
        for n, pool in pools.items():
            list(pool.map(digest, [b"warm up"] * n))
        # Round after round of every pool, so that a moment of load on the
        # machine slows all of them alike rather than one.
        for _ in range(ROUNDS):
            for n, pool in pools.items():
                cpu = time.process_time()
                hashing[n].append(hash_all(pool))
                busy[n].append((time.process_time() - cpu) / hashing[n][-1])
    for n, samples in hashing.items():
        median = measured(f"hash/{n}", "sha256", "sha256 threads", n, samples)
        low, cpus = min(samples), statistics.median(busy[n])
        measurements.append(
            {
                "key": f"busy/hash/{n}",
                "label": f"sha256, {n} threads: CPUs busy",
                "unit": "",
                "samples": busy[n],
            }
        )
        print(
            f"hashing threads x {n}: {median:.3f} s, min {low:.3f},"
            f" CPUs busy {cpus:.2f}"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts from
    # this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        inputs = {"sleep": SLEEP, "sleepers": SLEEPERS, "workers": WORKERS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
