"""10 000 and 100 000 sleepers: OS threads, asyncio tasks and greenlets.

Each sleeper waits one second, standing in for a request that waits on the
network. Every model and count runs in a fresh child process (this script,
run again with arguments), so that each peak memory figure belongs to that
model alone; a child with no sleepers gives the baseline. To keep the run
short, 10 000 sleepers run three times (the script prints the medians) and
100 000 sleepers once; 100 000 OS threads only as far as the machine lets.
"""

import asyncio
import heapq
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time

import greenlet

SLEEP = 1.0  # seconds each sleeper waits
RUNS = {10_000: 3, 100_000: 1}  # sleepers: runs
MODELS = {
    "threads": "OS threads",
    "asyncio": "asyncio tasks",
    "greenlets": "greenlets",
}
START_BUDGET = 3.0  # seconds to start 100 000 threads before giving up


# --8<-- [start:sleepers]
def thread_sleeper() -> None:
    time.sleep(SLEEP)  # blocks this OS thread; the kernel runs the others


async def task_sleeper() -> None:
    await asyncio.sleep(SLEEP)  # hands control back to the event loop


def greenlet_sleeper() -> None:
    green_sleep(SLEEP)  # looks blocking, but only because of the hub below


# greenlet has no scheduler: a sleeping greenlet needs someone to wake it.
# This tiny hub does. It keeps a heap of (wake-up time, order, greenlet) and
# runs in the main greenlet, sleeping the OS thread until the next is due.
timers: list = []
order = itertools.count()  # breaks ties between equal wake-up times


def green_sleep(seconds: float) -> None:
    me = greenlet.getcurrent()
    heapq.heappush(timers, (time.monotonic() + seconds, next(order), me))
    me.parent.switch()  # back to the hub, which created this greenlet


def run_hub() -> None:
    while timers:
        wake_at, _, sleeper = heapq.heappop(timers)
        if (delay := wake_at - time.monotonic()) > 0:
            time.sleep(delay)  # nothing is due before then
        sleeper.switch()  # runs until it sleeps again or ends
        # --8<-- [end:sleepers]


# --8<-- [start:start_all]
def with_threads(n: int) -> tuple[float, int, int, str]:
    threads, alive, problem = [], 0, ""
    room = thread_room()
    give_up = time.perf_counter() + START_BUDGET
    for i in range(n):
        if n > 10_000 and time.perf_counter() > give_up:  # the big run only
            problem = f"stopped starting threads after {START_BUDGET:g} s"
            break
        if room is not None and alive >= room:
            problem = f"stopped at {alive} live threads to leave room"
            break
        thread = threading.Thread(target=thread_sleeper)
        try:
            thread.start()  # default stack size: threading.stack_size() 0
        except RuntimeError as error:  # "can't start new thread"
            problem = f"the OS refused thread {i + 1}: {error}"
            break
        threads.append(thread)
        alive = max(alive, threading.active_count() - 1)
    started = time.perf_counter()
    for thread in threads:  # the ones started still end cleanly
        thread.join()
    return started, len(threads), alive, problem


async def with_tasks(n: int) -> float:
    tasks = [asyncio.create_task(task_sleeper()) for _ in range(n)]
    await asyncio.sleep(0)  # every task runs up to its first await
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    return started


def with_greenlets(n: int) -> float:
    for _ in range(n):
        greenlet.greenlet(greenlet_sleeper).switch()  # runs to its sleep
    started = time.perf_counter()
    run_hub()
    return started
    # --8<-- [end:start_all]


def thread_room() -> int | None:
    """How many threads may live at once and leave the machine room.

    Process ids (pid_max) and threads (threads-max) are shared by every
    process on the machine: take at most three quarters of what is free.
    """
    try:
        with open("/proc/sys/kernel/pid_max") as file:
            pid_max = int(file.read())
        with open("/proc/sys/kernel/threads-max") as file:
            threads_max = int(file.read())
        with open("/proc/loadavg") as file:  # 4th field: running/total
            in_use = int(file.read().split()[3].split("/")[1])
    except (OSError, ValueError, IndexError):
        return None
    return (min(pid_max, threads_max) - in_use) * 3 // 4


def child(model: str, n: int) -> None:
    """Run n sleepers of one model, then print what it took as JSON."""
    count, alive, problem = n, n, ""
    begin = time.perf_counter()
    if model == "threads":
        started, count, alive, problem = with_threads(n)
    elif model == "asyncio":
        started = asyncio.run(with_tasks(n))
    elif model == "greenlets":
        started = with_greenlets(n)
    else:  # the baseline: the same imports, no sleepers
        started = begin
    end = time.perf_counter()
    peak = None
    if sys.platform == "linux":
        import resource

        # ru_maxrss: this process's peak resident memory, in KiB on Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = {"start": started - begin, "wall": end - begin, "peak": peak}
    result |= {"count": count, "alive": alive, "problem": problem}
    print(json.dumps(result))


def run_child(model: str, n: int) -> dict:
    command = [sys.executable, __file__, model, str(n)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode or done.stderr:
        sys.exit(f"{model} with {n} sleepers failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    if len(sys.argv) == 3:
        child(sys.argv[1], int(sys.argv[2]))
        return
    print(f"Every sleeper waits {SLEEP:g} s; each run is a fresh process.")
    base = [run_child("baseline", 0)["peak"] for _ in range(3)]
    lines, data = [], {"measurements": [], "notes": {}}
    data["inputs"] = {
        "sleep": SLEEP,
        "counts": list(RUNS),
        "runs": RUNS[min(RUNS)],
        "start_budget": START_BUDGET,
    }
    if None in base:
        base = None
        lines.append("peak memory is not measured on this platform")
    else:
        add(data, "peak/baseline", "no sleepers (peak memory)", "B", base)
        base = statistics.median(base)
        lines.append(f"baseline, no sleepers: peak {mib(base)}")
    for n, (model, name) in itertools.product(RUNS, MODELS.items()):
        runs = [run_child(model, n) for _ in range(RUNS[n])]
        lines += report(data, model, name, n, runs, base)
    print("\n".join(lines))
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        with open(path, "w") as file:
            json.dump(data, file)


def report(data, model, name, n, runs, base) -> list[str]:
    """Print the result; return the measured lines; add to the data."""
    label, key = f"{name}, {spaced(n)} sleepers", f"{model}/{n}"
    fields = ("start", "wall", "count", "alive")
    m = {k: statistics.median(r[k] for r in runs) for k in fields}
    lines = []
    if model == "threads":
        said = runs[0]["problem"] or f"all {spaced(n)} started"
        lines.append(f"{label}: {said}")
        most = f"at most {spaced(m['alive'])} alive at once"
        lines.append(f"{label}: {most}")
        samples = [r["count"] for r in runs]
        add(data, f"started/{key}", f"{label}: started", "", samples)
        samples = [r["alive"] for r in runs]
        add(data, f"alive/{key}", f"{label}: most alive at once", "", samples)
        if runs[0]["problem"]:  # why it stopped short, in the script's words
            data["notes"][key] = runs[0]["problem"]
    else:
        print(f"{label}: all done")
    ran = f"{len(runs)} run" + "s" * (len(runs) > 1)
    lines.append(
        f"{label}: all started {m['start']:.2f} s,"
        f" all done {m['wall']:.2f} s ({ran})"
    )
    full = m["count"] == n  # else it stopped short: keep out of the charts
    if full:
        for field, what in (("start", "all started"), ("wall", "all done")):
            samples = [r[field] for r in runs]
            add(data, f"{field}/{key}", f"{name} ({what})", "s", samples, n)
    if base is None:
        return lines
    for r in runs:  # memory above the baseline, for each live sleeper
        r["per"] = (r["peak"] - base) / r["alive"]
    per = statistics.median(r["per"] for r in runs)
    peak = statistics.median(r["peak"] for r in runs)
    lines.append(
        f"{label}: peak {mib(peak)},"
        f" baseline {per / 1024:+.1f} KiB a live sleeper"
    )
    if full:
        samples = [r["peak"] for r in runs]
        add(data, f"peak/{key}", f"{name} (peak memory)", "B", samples, n)
        samples, what = [r["per"] for r in runs], "memory per sleeper"
        add(data, f"per-sleeper/{key}", f"{name} ({what})", "B", samples, n)
    return lines


def spaced(number: float) -> str:
    return f"{number:_.0f}".replace("_", " ")


def mib(size: float) -> str:
    return f"{size / 2**20:.0f} MiB"


def add(data: dict, key: str, label: str, unit: str, samples, x=None):
    """One measurement for SNIPPET_DATA; with x, a point of a model's line."""
    point = {"key": key, "label": label, "unit": unit, "samples": samples}
    if x is not None:
        point |= {"series": label.split(" (")[0], "x": x}
    data["measurements"].append(point)


if __name__ == "__main__":
    main()
