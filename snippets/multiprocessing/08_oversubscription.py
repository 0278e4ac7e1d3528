"""How joblib keeps each worker's BLAS and OpenMP threads in check.

A numerical library (NumPy's BLAS, an OpenMP loop) generally starts one
thread per CPU by default. Run it in N worker processes and there are N
times as many busy threads as CPUs. joblib's default backend, loky, starts
its workers with the variables that size those thread pools set to
max(cpu_count() // n_jobs, 1), unless the parent already set them
(joblib's `cpu_count` also heeds CPU affinity and container limits). Each
worker here reports what it sees; the parent reports its own environment.
"""

import os

from joblib import Parallel, cpu_count, delayed
from joblib.externals.loky import get_reusable_executor

VARIABLES = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]


def seen() -> dict[str, str | None]:
    """Runs in a worker: the thread-pool variables it was started with."""
    return {name: os.environ.get(name) for name in VARIABLES}


def main() -> None:
    n_jobs = 2
    # --8<-- [start:parallel]
    reports = Parallel(n_jobs=n_jobs)(delayed(seen)() for _ in range(4))
    # --8<-- [end:parallel]
    # loky keeps its workers for reuse (300 s idle by default): stop them.
    get_reusable_executor().shutdown(wait=True)
    for name in VARIABLES:
        set_in_all = all(report[name] is not None for report in reports)
        print(f"{name} set in every worker: {set_in_all}")
    for name in VARIABLES:
        values = sorted({str(report[name]) for report in reports})
        parent = os.environ.get(name, "not set")
        print(
            f"{name}: {', '.join(values)} in the workers"
            f" ({parent} in the parent)"
        )
    print(f"CPUs joblib counts: {cpu_count()}, n_jobs: {n_jobs}")


if __name__ == "__main__":
    main()
