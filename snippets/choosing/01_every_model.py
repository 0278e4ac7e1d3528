"""One I/O-bound and one CPU-bound workload, through every model.

The I/O-bound workload is 32 waits of 50 ms (a stand-in for network calls),
with up to 8 at a time. The CPU-bound one is 8 equal shares of a pure-Python
prime count, with as many workers as usable CPUs, at two sizes: a short job
(milliseconds), which shows what starting processes costs, and a long one
(seconds), which shows whether that cost is paid back. Each model runs each
workload in a fresh process, three rounds, the models taking turns: this
script runs itself again with the workload and the model as arguments. For
each it reports the wall time; the CPU time of the process and of every
process it started (starting workers is part of a model's cost), read while
they still run; and the memory: the peak of the main process plus what its
worker processes held (their proportional share, so that shared pages
count once).
"""

import asyncio
import importlib.util
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

# Each workload: how many tasks, and for the CPU-bound ones, the number each
# task counts the primes below.
WORKLOADS = {
    "I/O-bound": (32, 0),
    "CPU-bound, short": (8, 300),
    "CPU-bound, long": (8, 100_000),
}
WAIT = 0.05  # seconds each I/O-bound task waits
ROUNDS = 3
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def wait(_: int) -> int:
    time.sleep(WAIT)  # stands in for a network call
    return 1


def count_primes(limit: int) -> int:
    return sum(
        n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
        for n in range(limit)
    )


def workers(workload: str) -> int:
    """Up to 8 waits at a time; as many CPU-bound tasks as usable CPUs."""
    if workload == "I/O-bound":
        return 8
    return len(os.sched_getaffinity(0))


def descendants() -> list[int]:
    """Every running process this one started, and those they started:
    forkserver's workers are children of its server, not of this process."""
    found, pids = [], [os.getpid()]
    while pids:
        pid = pids.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as file:
                    children = [int(child) for child in file.read().split()]
                found += children
                pids += children
        except (FileNotFoundError, ProcessLookupError):
            pass  # it ended while we looked
    return found


def sample() -> None:
    """Record, while the workers still run, the memory in use and the CPU
    time spent by every process this one started."""
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    times = os.times()
    cpu = times.children_user + times.children_system  # those waited for
    for pid in descendants():
        try:
            with open(f"/proc/{pid}/smaps_rollup") as file:
                pss = next(line for line in file if line.startswith("Pss:"))
            memory += int(pss.split()[1])
            with open(f"/proc/{pid}/stat") as file:
                # utime, stime, and the same for the children it waited for
                fields = file.read().rsplit(")", 1)[1].split()
            cpu += sum(int(tick) for tick in fields[11:15]) / CLOCK_TICKS
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            pass  # it ended while we looked
    samples.append((memory, cpu))


# --8<-- [start:models]
def serial(work, tasks, n):
    return [work(task) for task in tasks]


def threads(work, tasks, n):
    results = [None] * len(tasks)

    def run(share):
        for i in share:
            results[i] = work(tasks[i])

    shares = [range(k, len(tasks), n) for k in range(n)]
    started = [threading.Thread(target=run, args=(s,)) for s in shares]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results


def pool(work, tasks, n):
    with multiprocessing.Pool(n) as processes:
        results = processes.map(work, tasks)
        sample()  # while the workers still run
        return results


def thread_pool(work, tasks, n):
    with ThreadPoolExecutor(n) as executor:
        return list(executor.map(work, tasks))


def process_pool(work, tasks, n):
    with ProcessPoolExecutor(n) as executor:
        results = list(executor.map(work, tasks))
        sample()
        return results


def asyncio_tasks(work, tasks, n):
    async def one(limit):
        async with limit:
            await asyncio.sleep(WAIT)  # the waiting version of work()
            return 1

    async def main():
        limit = asyncio.Semaphore(n)
        return await asyncio.gather(*(one(limit) for _ in tasks))

    return asyncio.run(main())


def joblib_loky(work, tasks, n):
    return joblib_backend(work, tasks, n, "loky")


def joblib_threads(work, tasks, n):
    return joblib_backend(work, tasks, n, "threading")
    # --8<-- [end:models]


def joblib_backend(work, tasks, n, backend):
    # Not imported at the top: forkserver and spawn import this script again
    # to start workers, and joblib would slow every other model's start-up.
    # child() has imported it before starting the clock.
    from joblib import Parallel, delayed
    from joblib.externals.loky import get_reusable_executor

    with Parallel(n_jobs=n, backend=backend) as parallel:
        results = parallel(delayed(work)(task) for task in tasks)
        sample()
    get_reusable_executor().shutdown(wait=True)  # loky keeps workers idle
    return results


MODELS = {
    "serial": serial,
    "threading": threads,
    "multiprocessing.Pool": pool,
    "ThreadPoolExecutor": thread_pool,
    "ProcessPoolExecutor": process_pool,
    "asyncio": asyncio_tasks,
    "joblib (loky)": joblib_loky,
    "joblib (threading)": joblib_threads,
}
samples: list[tuple[int, float]] = []  # (KiB in use, CPU s of the others)


def child(workload: str, model: str) -> None:
    """One round of one model, in a fresh process: prints JSON."""
    count, limit = WORKLOADS[workload]
    work = wait if workload == "I/O-bound" else count_primes
    if model.startswith("joblib"):
        # Before the clock: this process's own import is not the model's
        # cost (loky's workers, fresh interpreters, import joblib again).
        importlib.import_module("joblib.externals.loky")
    start, own = time.perf_counter(), time.process_time()
    results = MODELS[model](work, [limit] * count, workers(workload))
    wall, own = time.perf_counter() - start, time.process_time() - own
    sample()
    # Each sample counts the CPU time of the other processes so far: the
    # largest is the most complete (a worker's time is lost once it ends
    # and its parent is gone).
    others = max(cpu for _, cpu in samples)
    memory = max(kib for kib, _ in samples)
    result = {"wall": wall, "cpu": own + others, "memory": memory}
    print(json.dumps({**result, "check": sum(results)}))


def one_round(workload: str, model: str) -> dict:
    """Run a model in a fresh process, which prints what it measured."""
    command = [sys.executable, __file__, workload, model]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{workload}, {model} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def applies(workload: str, model: str) -> bool:
    if model == "asyncio":  # asyncio runs waits, not CPU work
        return workload == "I/O-bound"
    # An interpreter without joblib runs the other models.
    has_joblib = importlib.util.find_spec("joblib") is not None
    return has_joblib or not model.startswith("joblib")


def main() -> None:
    if len(sys.argv) == 3:
        child(sys.argv[1], sys.argv[2])
        return
    measurements = []
    for workload, (tasks, limit) in WORKLOADS.items():
        n = workers(workload)
        size = (
            f", each counting the primes below {limit:,}"
            if limit
            else f", each waiting {WAIT * 1000:.0f} ms"
        )
        print(f"{workload}: {tasks} tasks{size}")
        print(f"{workload}: {n} workers, medians of {ROUNDS} rounds")
        checks = set()
        runs = {model: [] for model in MODELS if applies(workload, model)}
        # Round after round of every model, so that a moment of load on the
        # machine slows all of them alike rather than one.
        for _ in range(ROUNDS):
            for model, rounds in runs.items():
                rounds.append(one_round(workload, model))
        for model in MODELS:
            if model not in runs:
                print(f"{workload}, {model}: does not apply here")
                continue
            rounds = runs[model]
            checks |= {r["check"] for r in rounds}
            wall = statistics.median(r["wall"] for r in rounds)
            cpu = statistics.median(r["cpu"] for r in rounds)
            mib = statistics.median(r["memory"] for r in rounds) / 1024
            print(
                f"{workload}, {model}: {wall:.3f} s wall,"
                f" {cpu:.2f} s CPU, {mib:.0f} MiB"
            )
            for quantity, unit, scale, what in (
                ("wall", "s", 1, ""),
                ("cpu", "s", 1, " (CPU time)"),
                ("memory", "B", 1024, " (memory)"),
            ):
                measurements.append(
                    {
                        "key": f"{workload}/{model}/{quantity}",
                        "label": model + what,
                        "unit": unit,
                        "samples": [r[quantity] * scale for r in rounds],
                    }
                )
        print(f"{workload}: every model computed the same: {len(checks) == 1}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts from
    # this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
