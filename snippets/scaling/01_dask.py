"""The same joblib code on loky, then on a dask.distributed cluster.

joblib's `Parallel` hands its tasks to a backend. The default, loky, runs
them in processes on this machine. Inside `parallel_config(backend="dask")`
the same lines send them to a dask.distributed scheduler, which runs them
on its workers, wherever those are. Here the cluster is a `LocalCluster`:
a scheduler and two worker processes on this machine, listening on the
loopback interface only, with no dashboard. Pointing the `Client` at a
real scheduler's address instead is the only change a real cluster needs.
"""

import importlib.metadata
import json
import logging
import os
import statistics
import time

import dask
import joblib
from dask.distributed import Client, LocalCluster
from joblib import Parallel, delayed, parallel_config
from joblib.externals.loky import get_reusable_executor

STEP = 12_500
INPUTS = [(start, start + STEP) for start in range(0, 8 * STEP, STEP)]
TINY = 50  # tasks of next to no work, sent one by one
RUNS = 5


def count_primes(bounds: tuple[int, int]) -> tuple[int, int]:
    """Primes in [low, high), pure Python, and the id of the process."""
    low, high = bounds
    count = sum(
        all(n % d for d in range(2, int(n**0.5) + 1))
        for n in range(max(low, 2), high)
    )
    return count, os.getpid()


def double(n: int) -> int:
    return 2 * n


# --8<-- [start:same]
def primes() -> list[tuple[int, int]]:
    """The joblib code, unchanged whatever the backend."""
    return Parallel(n_jobs=2)(delayed(count_primes)(b) for b in INPUTS)


def per_task() -> float:
    """Seconds per tiny task, sent one at a time (batch_size=1)."""
    start = time.perf_counter()
    out = Parallel(n_jobs=2, batch_size=1)(
        delayed(double)(n) for n in range(TINY)
    )
    assert out == [2 * n for n in range(TINY)]
    return (time.perf_counter() - start) / TINY
    # --8<-- [end:same]


def main() -> None:
    parent = os.getpid()
    on_loky = primes()
    loky_tiny = [per_task() for _ in range(RUNS)]
    # loky keeps its workers for reuse (300 s idle by default): stop them.
    get_reusable_executor().shutdown(wait=True)

    start = time.perf_counter()
    # --8<-- [start:cluster]
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,  # each worker a process, with its own GIL
            host="127.0.0.1",  # listen on the loopback interface only
            dashboard_address=None,  # no web dashboard
            # The scheduler's other HTTP routes (health, metrics) still
            # listen: on any free loopback port rather than port 8787.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,  # log errors only
        ) as cluster,
        Client(cluster) as client,
        # For a real cluster, instead of both lines above:
        # Client("tcp://scheduler-host:8786") as client,
        parallel_config(backend="dask"),
    ):
        started = time.perf_counter() - start
        on_dask = primes()
        dask_tiny = [per_task() for _ in range(RUNS)]
        info = client.scheduler_info()
        addresses = [info["address"], *info["workers"]]
        stopping = time.perf_counter()
        # --8<-- [end:cluster]
    stopped = time.perf_counter() - stopping

    counts = [count for count, _ in on_loky]
    print(f"primes in 8 ranges: {counts}")
    same = counts == [count for count, _ in on_dask]
    print(f"dask gave the same results as loky: {same}")
    print(f"dask workers in the cluster: {len(addresses) - 1}")
    loopback = all(a.startswith("tcp://127.0.0.1:") for a in addresses)
    print(f"scheduler and workers listen on 127.0.0.1 only: {loopback}")
    dask_pids = {pid for _, pid in on_dask}
    print(f"dask ran the tasks in other processes: {parent not in dask_pids}")
    loky_pids = {pid for _, pid in on_loky}
    print(
        f"loky and dask used different processes: {not loky_pids & dask_pids}"
    )
    print(f"cluster start: {started:.2f} s")
    print(f"cluster stop: {stopped:.2f} s")
    for label, samples in (("loky", loky_tiny), ("dask", dask_tiny)):
        print(
            f"one tiny task on {label}:"
            f" {statistics.median(samples) * 1e6:.0f} µs"
            f" (min {min(samples) * 1e6:.0f} µs,"
            f" max {max(samples) * 1e6:.0f} µs; {RUNS} runs of {TINY})"
        )
    print(
        f"versions: joblib {joblib.__version__}, dask {dask.__version__},"
        f" distributed {importlib.metadata.version('distributed')}"
    )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": "start", "label": "cluster start", "unit": "s",
             "samples": [started]},
            {"key": "stop", "label": "cluster stop", "unit": "s",
             "samples": [stopped]},
            {"key": "tiny/loky", "label": "one tiny task, loky", "unit": "s",
             "samples": loky_tiny},
            {"key": "tiny/dask", "label": "one tiny task, dask", "unit": "s",
             "samples": dask_tiny},
        ]  # fmt: skip
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
