"""joblib's loky (processes) and threading backends, on two kinds of work.

The same eight tasks run one after another in this process, then with
`Parallel(n_jobs=2)` on the default backend, loky, whose workers are
separate processes, then with `prefer="threads"`, which picks the
threading backend: threads in this process. One kind of work is pure
Python (counting primes), which holds the GIL; the other is hashing a
16 MiB buffer with hashlib, which releases the GIL while it hashes. Each
task also reports the CPU time its thread spent, so the CPUs kept busy
(CPU time over wall time) can be told apart from the speed of the machine.
"""

import hashlib
import json
import os
import statistics
import time

from joblib import Parallel, delayed
from joblib.externals.loky import get_reusable_executor

TASKS = 8
STEP = 12_500
BUFFER = bytes(16 << 20)  # 16 MiB of zeros: the data to hash
RUNS = 3


def count_primes(low: int) -> tuple[int, float, int]:
    """Primes in [low, low + STEP), pure Python; CPU time and process id."""
    cpu = time.thread_time()
    count = sum(
        all(n % d for d in range(2, int(n**0.5) + 1))
        for n in range(max(low, 2), low + STEP)
    )
    return count, time.thread_time() - cpu, os.getpid()


def digest(data: bytes) -> tuple[str, float, int]:
    """SHA-256 of the buffer: hashlib releases the GIL over large data."""
    cpu = time.thread_time()
    result = hashlib.sha256(data).hexdigest()[:12]
    return result, time.thread_time() - cpu, os.getpid()


# --8<-- [start:backends]
WORK = {
    "pure Python": (count_primes, [i * STEP for i in range(TASKS)]),
    "hashlib": (digest, [BUFFER] * TASKS),
}
SETUPS = {
    "one by one": dict(n_jobs=1),
    "loky, n_jobs=2": dict(n_jobs=2),  # the default backend
    "threads, n_jobs=2": dict(n_jobs=2, prefer="threads"),
}


def run(work: str, setup: str) -> tuple[list, float, float, set[int]]:
    """Results, wall time, CPUs busy and process ids of one run."""
    function, inputs = WORK[work]
    start = time.perf_counter()
    out = Parallel(**SETUPS[setup])(delayed(function)(x) for x in inputs)
    wall = time.perf_counter() - start
    busy = sum(cpu for _, cpu, _ in out) / wall
    return [result for result, _, _ in out], wall, busy, {p for *_, p in out}
    # --8<-- [end:backends]


def main() -> None:
    parent = os.getpid()
    times = {(w, s): [] for w in WORK for s in SETUPS}
    busy = {(w, s): [] for w in WORK for s in SETUPS}
    results, pids = {}, {}
    run("pure Python", "loky, n_jobs=2")  # warm-up: start the workers
    for _ in range(RUNS):
        # Round after round, so that a moment of load slows all alike.
        for work, setup in times:
            out, wall, cpus, used = run(work, setup)
            results.setdefault(work, set()).add(tuple(out))
            pids.setdefault(setup, []).append(used)
            times[work, setup].append(wall)
            busy[work, setup].append(cpus)
    # loky keeps its workers for reuse (300 s idle by default): stop them.
    get_reusable_executor().shutdown(wait=True)
    for work, outs in results.items():
        print(f"{work}: every setup gave the same results: {len(outs) == 1}")
    loky = set().union(*pids["loky, n_jobs=2"])
    print(f"loky ran the tasks in other processes: {parent not in loky}")
    print(f"loky ran every run in the same two workers: {len(loky) <= 2}")
    threads = set().union(*pids["threads, n_jobs=2"])
    print(f"threads ran the tasks in this process: {threads == {parent}}")
    print(f"Medians of {RUNS} runs of {TASKS} tasks. CPUs busy: CPU time")
    print("of the tasks' threads over wall time.")
    for (work, setup), samples in times.items():
        print(
            f"{work}, {setup}: {statistics.median(samples):.3f} s,"
            f" CPUs busy {statistics.median(busy[work, setup]):.2f}"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = []
        for (work, setup), samples in times.items():
            label = f"{work}, {setup}"
            measurements += [
                {
                    "key": label,
                    "label": label,
                    "unit": "s",
                    "samples": samples,
                },
                {
                    "key": f"busy/{label}",
                    "label": f"CPUs busy: {label}",
                    "unit": "",
                    "samples": busy[work, setup],
                },
            ]
        inputs = {"tasks": TASKS, "buffer": len(BUFFER), "rounds": RUNS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
