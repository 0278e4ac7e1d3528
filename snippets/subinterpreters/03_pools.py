"""InterpreterPoolExecutor against threads and processes: start, speed, memory.

The same pure-Python loop runs in three pools of two workers: threads
(`ThreadPoolExecutor`), interpreters (`InterpreterPoolExecutor`, new in
3.14: a thread per worker, each running its own interpreter with its own
GIL) and processes (`ProcessPoolExecutor`). For each pool the script
measures:

- start: from creating a pool of one worker to its first result, for a task
  that does nothing (median of several pools);
- speed: TASKS loops on two workers, against the same loops one after
  another in the main thread, in rounds after a first round that starts the
  workers; CPUs busy is the CPU time the tasks spent over the wall time;
- memory: what resident memory (RSS, from /proc on Linux) grows by while a
  pool of WORKERS workers is up, per worker. Each pool is measured in a
  fresh Python, so that memory freed by one does not hide the next. For
  processes it counts the children's RSS too, which includes pages a child
  shares with others.

On a Python without InterpreterPoolExecutor, its line says so.
"""

import concurrent.futures as cf
import contextlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time

LOOP = 250_000  # iterations of the loop in one task
TASKS = 4
STARTS = 5  # pools started, for the start time
ROUNDS = 3
WORKERS = 4  # workers up while memory is read
MEMORY_RUNS = 3


# --8<-- [start:work]
def spin(n: int) -> tuple[int, float]:
    """Pure Python: a loop that holds its interpreter's GIL throughout.
    Returns the result and the CPU time its thread spent."""
    cpu = time.thread_time()
    total = 0
    for i in range(n):
        total += i * i % 7
    return total, time.thread_time() - cpu
    # --8<-- [end:work]


def nothing() -> None:
    return None


def pools() -> dict:
    """The pools this Python has, by name."""
    kinds = {"ThreadPoolExecutor": cf.ThreadPoolExecutor}
    if hasattr(cf, "InterpreterPoolExecutor"):
        kinds["InterpreterPoolExecutor"] = cf.InterpreterPoolExecutor
    kinds["ProcessPoolExecutor"] = cf.ProcessPoolExecutor
    return kinds


def start_time(Pool) -> list[float]:
    samples = []
    for _ in range(STARTS):
        start = time.perf_counter()
        with Pool(max_workers=1) as pool:
            pool.submit(nothing).result()
            samples.append(time.perf_counter() - start)
    return samples


def one_round(pool=None) -> tuple[float, float]:
    """Wall time of TASKS loops, in a pool or one after another, and the
    CPUs busy (CPU time of the loops over the wall time)."""
    start = time.perf_counter()
    if pool is None:
        results = [spin(LOOP) for _ in range(TASKS)]
    else:
        results = list(pool.map(spin, [LOOP] * TASKS))
    wall = time.perf_counter() - start
    assert len({total for total, _ in results}) == 1
    return wall, sum(cpu for _, cpu in results) / wall


def speeds() -> dict[str, tuple[list, list]]:
    """ROUNDS rounds of every setup in turn, so that a moment of load on the
    machine slows them alike rather than one: wall times and CPUs busy."""
    found = {"serial": ([], [])}
    with contextlib.ExitStack() as stack:
        running = {None: None}
        for kind, Pool in pools().items():
            pool = stack.enter_context(Pool(max_workers=2))
            one_round(pool)  # starts the workers
            running[kind] = pool
            found[kind] = ([], [])
        for _ in range(ROUNDS):
            for kind, pool in running.items():
                wall, busy = one_round(pool)
                found[kind or "serial"][0].append(wall)
                found[kind or "serial"][1].append(busy)
    return found


def rss(pid: int | str = "self") -> int:
    """Resident memory of a process, in bytes, from /proc (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise LookupError("no VmRSS")


# --8<-- [start:memory]
def memory_per_worker(kind: str) -> float:
    """RSS that a pool of WORKERS workers adds, per worker (run in a
    fresh Python)."""
    before = rss()
    with pools()[kind](max_workers=WORKERS) as pool:
        # Every worker busy at once, so that every one has started.
        list(pool.map(time.sleep, [0.02] * WORKERS))
        grown = rss() - before
        children = multiprocessing.active_children()  # processes only
        grown += sum(rss(child.pid) for child in children)
    return grown / WORKERS
    # --8<-- [end:memory]


def memory(kind: str) -> list[float]:
    """memory_per_worker(kind), each time in a fresh Python."""
    if not os.path.exists("/proc/self/status"):
        return []
    command = [sys.executable, __file__, "--memory", kind]
    return [
        float(subprocess.run(command, capture_output=True, check=True).stdout)
        for _ in range(MEMORY_RUNS)
    ]


def show(value: float, unit: str) -> str:
    if unit == "B":
        if value >= 2**20:
            return f"{value / 2**20:.1f} MiB"
        return f"{value / 1024:.0f} KiB"
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


KINDS = [
    "ThreadPoolExecutor",
    "InterpreterPoolExecutor",
    "ProcessPoolExecutor",
]


def main() -> None:
    measurements = []

    def add(key, label, unit, samples):
        measurements.append(
            {"key": key, "label": label, "unit": unit, "samples": samples}
        )

    ran = speeds()
    alone = ran["serial"][0]
    add("speed/serial", f"{TASKS} loops, one after another", "s", alone)
    starts, memories = {}, {}
    for kind, Pool in pools().items():
        starts[kind] = start_time(Pool)
        memories[kind] = memory(kind)
        add(f"start/{kind}", kind, "s", starts[kind])
        add(f"speed/{kind}", f"{TASKS} loops, {kind}(2)", "s", ran[kind][0])
        add(f"busy/{kind}", f"{kind}(2): CPUs busy", "", ran[kind][1])
        if memories[kind]:
            add(f"memory/{kind}", f"{kind}: RSS a worker", "B", memories[kind])
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    missing = f"not in Python {version} (new in 3.14)"
    median = statistics.median

    print(f"{TASKS} loops, one after another: {show(median(alone), 's')}")
    print("Start, from a pool of 1 to its first result:")
    for kind in KINDS:
        shown = show(median(starts[kind]), "s") if kind in starts else missing
        print(f"  {kind:<24} {shown}")
    print(f"{TASKS} loops on a pool of 2 (CPUs busy):")
    for kind in KINDS:
        if kind in ran:
            walls, busy = ran[kind]
            shown = f"{show(median(walls), 's')} ({median(busy):.2f})"
        else:
            shown = missing
        print(f"  {kind:<24} {shown}")
    print(f"Resident memory a worker adds, pool of {WORKERS}:")
    for kind in KINDS:
        if kind not in memories:
            shown = missing
        elif not memories[kind]:
            shown = "not measured: no /proc here"
        else:
            shown = f"+{show(median(memories[kind]), 'B')}"
        print(f"  {kind:<24} {shown}")
    print(f"start method: {multiprocessing.get_start_method()}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        inputs = {"loop": LOOP, "tasks": TASKS, "workers": WORKERS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--memory"]:
        print(memory_per_worker(sys.argv[2]))
    else:
        main()
