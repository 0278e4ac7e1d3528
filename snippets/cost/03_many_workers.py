"""Time and memory of 1 to 10 000 live workers, by kind of worker.

Each round starts N workers that park (wait, doing nothing), measures the
memory of the whole program while they are all alive, then releases them and
waits for them to end. Every round runs in a fresh process, so that no round
inherits memory or cached thread stacks from another. Memory is what Linux
counts as resident (pages really in use); for threads it also prints the
address space they reserve: the megabytes the blog post counts.
"""

import asyncio
import json
import multiprocessing
import os
import resource
import statistics
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from greenlet import getcurrent, greenlet

COUNTS = [1, 10, 100, 1000, 10_000]
PROCESS_COUNTS = [1, 10, 30]  # processes start slower: fewer of them
ROUNDS = 3


def status_kib(field: str, pid: str = "self") -> int:
    """A field of /proc/<pid>/status (VmRSS, VmSize), in KiB."""
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def pss_kib(pid: int) -> int:
    """A process's proportional share of resident memory: shared pages
    count once across the processes that share them."""
    with open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise LookupError("Pss")


# --8<-- [start:threads]
def threads(n: int) -> tuple[float, int, int]:
    ready = threading.Semaphore(0)
    gates = [threading.Lock() for _ in range(n)]  # one per thread

    def park(gate: threading.Lock) -> None:
        ready.release()
        with gate:  # waits: the main thread holds it
            pass

    for gate in gates:
        gate.acquire()
    rss, size = status_kib("VmRSS"), status_kib("VmSize")
    start = time.perf_counter()
    workers = [threading.Thread(target=park, args=(g,)) for g in gates]
    for worker in workers:
        worker.start()
    for _ in range(n):
        ready.acquire()  # every thread is alive and parked
    rss, size = status_kib("VmRSS") - rss, status_kib("VmSize") - size
    # Released one at a time: 10,000 threads woken at once all wait for
    # the GIL, each waking every 5 ms to ask for it, and can take minutes.
    for gate, worker in zip(gates, workers, strict=True):
        gate.release()
        worker.join()
    return time.perf_counter() - start, rss, size
    # --8<-- [end:threads]


def tasks(n: int) -> tuple[float, int, int]:
    async def run() -> tuple[float, int]:
        release = asyncio.Event()
        rss = status_kib("VmRSS")
        start = time.perf_counter()
        tasks = [asyncio.create_task(release.wait()) for _ in range(n)]
        await asyncio.sleep(0)  # let every task run up to its wait
        rss = status_kib("VmRSS") - rss
        release.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - start, rss

    seconds, rss = asyncio.run(run())
    return seconds, rss, 0


def greenlets(n: int) -> tuple[float, int, int]:
    main = getcurrent()
    rss = status_kib("VmRSS")
    start = time.perf_counter()
    workers = [greenlet(main.switch) for _ in range(n)]
    for worker in workers:
        worker.switch()  # runs until it switches back: parked
    rss = status_kib("VmRSS") - rss
    for worker in workers:
        worker.switch()  # resumes it, and it ends
    return time.perf_counter() - start, rss, 0


def park(ready, release) -> None:
    ready.release()
    release.wait()


def processes(method: str, n: int) -> tuple[float, int, int]:
    context = multiprocessing.get_context(method)
    ready, release = context.Semaphore(0), context.Event()
    rss = status_kib("VmRSS")
    start = time.perf_counter()
    workers = [
        context.Process(target=park, args=(ready, release)) for _ in range(n)
    ]
    for worker in workers:
        worker.start()
    for _ in range(n):
        ready.acquire()  # every process is alive and parked
    # Shared pages count once: the sum of the children's proportional
    # shares, plus what the parent grew by.
    used = status_kib("VmRSS") - rss + sum(pss_kib(w.pid) for w in workers)
    release.set()
    for worker in workers:
        worker.join()
    return time.perf_counter() - start, used, 0


def one_round(kind: str, n: int) -> tuple[float, int, int]:
    """Runs in a fresh process: seconds, resident KiB, reserved KiB."""
    if kind.startswith("processes"):
        return processes(kind.split()[-1].strip("()"), n)
    kinds = {
        "threads": threads,
        "asyncio tasks": tasks,
        "greenlets": greenlets,
    }
    return kinds[kind](n)


def readable(value: float, unit: str) -> str:
    """96 µs rather than 9.6e-05 s; 16 KiB rather than 16384 B."""
    scales = {
        "s": [("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)],
        "B": [("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10), ("B", 1)],
    }[unit]
    for name, scale in scales:
        if value >= scale:
            return f"{value / scale:.3g} {name}"
    return f"{value / scale:.3g} {name}"  # below the smallest unit, e.g. 0 B


def main() -> None:
    if not os.path.exists("/proc/self/smaps_rollup"):
        print("This script measures memory through Linux's /proc.")
        return
    kinds = {"threads": COUNTS, "asyncio tasks": COUNTS, "greenlets": COUNTS}
    for method in multiprocessing.get_all_start_methods():
        kinds[f"processes ({method})"] = PROCESS_COUNTS
    fresh = multiprocessing.get_context("spawn")
    results = {}
    with ProcessPoolExecutor(
        1, mp_context=fresh, max_tasks_per_child=1
    ) as pool:
        for kind, counts in kinds.items():
            for n in counts:
                rounds = [
                    pool.submit(one_round, kind, n) for _ in range(ROUNDS)
                ]
                results[kind, n] = [r.result() for r in rounds]
    print(f"Medians of {ROUNDS} rounds, each in a fresh process.")
    print("Time to start N workers, release them and join them all:")
    for (kind, n), rounds in results.items():
        seconds = statistics.median(r[0] for r in rounds)
        each = readable(seconds / n, "s")
        print(f"{kind} x {n}: {readable(seconds, 's')} ({each} each)")
    print("Memory in use while they are all parked:")
    for (kind, n), rounds in results.items():
        rss = statistics.median(r[1] for r in rounds) * 1024
        line = f"{kind} x {n}: {readable(rss, 'B')}"
        line += f" ({readable(rss / n, 'B')} each)"
        if kind == "threads":
            size = statistics.median(r[2] for r in rounds) * 1024
            line += f"; address space reserved: {readable(size, 'B')}"
        print(line)
    # Python asks for the platform's default stack (0). On Linux, glibc then
    # reserves the soft limit of `ulimit -s` per thread stack while it is
    # finite (2 MiB on x86-64 when unlimited): address space, not memory.
    print(f"threading.stack_size(): {threading.stack_size()}")
    limit = resource.getrlimit(resource.RLIMIT_STACK)[0]
    unlimited = limit == resource.RLIM_INFINITY
    print(f"ulimit -s: {'unlimited' if unlimited else f'{limit // 1024} KiB'}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts from
    # this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = []
        for (kind, n), rounds in results.items():
            for metric, column, unit, scale in (
                ("time", 0, "s", 1),
                ("resident", 1, "B", 1024),
                ("reserved", 2, "B", 1024),
            ):
                if metric == "reserved" and kind != "threads":
                    continue
                measurements.append(
                    {
                        "key": f"{kind}/{n}/{metric}",
                        "label": kind,
                        "series": kind,
                        "x": n,
                        "unit": unit,
                        "samples": [r[column] * scale for r in rounds],
                    }
                )
        inputs = {
            "counts": COUNTS,
            "process_counts": PROCESS_COUNTS,
            "rounds": ROUNDS,
        }
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
