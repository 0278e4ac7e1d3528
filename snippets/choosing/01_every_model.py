"""One I/O-bound and one CPU-bound workload, through every model.

The I/O-bound workload is 32 waits of 50 ms (a stand-in for network calls),
with up to 8 at a time; the CPU-bound one is 8 equal shares of a pure-Python
prime count, with as many workers as usable CPUs. Each model runs each
workload in a fresh process, three rounds: this script runs itself again
with the workload and the model as arguments. For each it reports the wall
time and the CPU time of the work (the process and every process it started:
starting workers is part of a model's cost), and the memory: the peak of the
main process plus what its worker processes held at the end (their
proportional share, so that shared pages count once).
"""

import asyncio
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

try:
    from joblib import Parallel, delayed
    from joblib.externals.loky import get_reusable_executor
except ImportError:  # another interpreter, without joblib: its models skip
    Parallel = None

TASKS = {"I/O-bound": 32, "CPU-bound": 8}
WAIT = 0.05  # seconds each I/O-bound task waits
LIMIT = 40_000  # each CPU-bound task counts the primes below this
ROUNDS = 3


def wait(_: int) -> int:
    time.sleep(WAIT)  # stands in for a network call
    return 1


def count_primes(_: int) -> int:
    return sum(
        n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
        for n in range(LIMIT)
    )


def workers(workload: str) -> int:
    """Up to 8 waits at a time; as many CPU-bound tasks as usable CPUs."""
    if workload == "I/O-bound":
        return 8
    return len(os.sched_getaffinity(0))


def memory_kib() -> int:
    """Peak resident memory of this process, plus the proportional share of
    every process it started that is still running."""
    total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    pids = [os.getpid()]
    while pids:
        pid = pids.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as file:
                    pids += [int(child) for child in file.read().split()]
            if pid != os.getpid():
                with open(f"/proc/{pid}/smaps_rollup") as file:
                    total += next(
                        int(line.split()[1])
                        for line in file
                        if line.startswith("Pss:")
                    )
        except (FileNotFoundError, ProcessLookupError):
            pass  # it ended while we looked: it holds no memory now
    return total


# --8<-- [start:models]
def serial(work, tasks, n):
    return [work(i) for i in range(tasks)]


def threads(work, tasks, n):
    results = [None] * tasks

    def run(share):
        for i in share:
            results[i] = work(i)

    shares = [range(k, tasks, n) for k in range(n)]
    started = [threading.Thread(target=run, args=(s,)) for s in shares]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results


def pool(work, tasks, n):
    with multiprocessing.Pool(n) as processes:
        results = processes.map(work, range(tasks))
        memory.append(memory_kib())  # while the workers still run
        return results


def thread_pool(work, tasks, n):
    with ThreadPoolExecutor(n) as executor:
        return list(executor.map(work, range(tasks)))


def process_pool(work, tasks, n):
    with ProcessPoolExecutor(n) as executor:
        results = list(executor.map(work, range(tasks)))
        memory.append(memory_kib())
        return results


def asyncio_tasks(work, tasks, n):
    async def one(i, limit):
        async with limit:
            await asyncio.sleep(WAIT)  # the waiting version of work()
            return 1

    async def main():
        limit = asyncio.Semaphore(n)
        return await asyncio.gather(*(one(i, limit) for i in range(tasks)))

    return asyncio.run(main())


def joblib_loky(work, tasks, n):
    return joblib_backend(work, tasks, n, "loky")


def joblib_threads(work, tasks, n):
    return joblib_backend(work, tasks, n, "threading")
    # --8<-- [end:models]


def joblib_backend(work, tasks, n, backend):
    with Parallel(n_jobs=n, backend=backend) as parallel:
        results = parallel(delayed(work)(i) for i in range(tasks))
        memory.append(memory_kib())
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
memory: list[int] = []  # what the models measured while their workers ran


def child(workload: str, model: str) -> None:
    """One round of one model, in a fresh process: prints JSON."""
    work = wait if workload == "I/O-bound" else count_primes
    start, cpu = time.perf_counter(), cpu_seconds()
    results = MODELS[model](work, TASKS[workload], workers(workload))
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    memory.append(memory_kib())
    result = {"wall": wall, "cpu": cpu, "memory": max(memory)}
    print(json.dumps({**result, "check": sum(results)}))


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of the processes it
    started and has waited for (pools wait for their workers as they close)."""
    times = os.times()
    return (
        times.user + times.system + times.children_user + times.children_system
    )


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
    return Parallel is not None or not model.startswith("joblib")


def main() -> None:
    if len(sys.argv) == 3:
        child(sys.argv[1], sys.argv[2])
        return
    measurements = []
    for workload, tasks in TASKS.items():
        n = workers(workload)
        print(f"{workload}: {tasks} tasks; medians of {ROUNDS} rounds")
        print(f"machine: {workload}, workers: {n}")
        checks = set()
        for model in MODELS:
            if not applies(workload, model):
                print(f"machine: {workload}, {model}: does not apply here")
                continue
            rounds = [one_round(workload, model) for _ in range(ROUNDS)]
            checks |= {r["check"] for r in rounds}
            wall = statistics.median(r["wall"] for r in rounds)
            cpu = statistics.median(r["cpu"] for r in rounds)
            mib = statistics.median(r["memory"] for r in rounds) / 1024
            print(
                f"time: {workload}, {model}: {wall:.3f} s wall,"
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
