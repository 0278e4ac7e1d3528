"""CPU-bound work split across asyncio tasks or greenlets: no faster.

The same pure-Python work runs three ways: serially; split across four
asyncio tasks that take turns at every `await`; split across four greenlets
that take turns through a round-robin loop. Tasks and greenlets all run in
one OS thread, so splitting the work cannot make it faster: the split work
takes at least the CPU time the serial work needs. The speed-up printed is
that CPU time divided by the split work's wall time (1 means none).
"""

import asyncio
import json
import os
import statistics
import time

import greenlet

PARTS = 4
STEPS = 20  # each part hands over control this many times
WORK = 50_000  # loop iterations in each step of each part
RUNS = 7


def burn(iterations: int) -> int:
    """Pure-Python CPU work: no I/O, nothing that releases the GIL."""
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


# --8<-- [start:split]
def serial() -> int:
    return sum(burn(WORK) for _ in range(PARTS * STEPS))


async def task_part() -> int:
    total = 0
    for _ in range(STEPS):
        total += burn(WORK)
        await asyncio.sleep(0)  # let the other tasks have a turn
    return total


async def with_tasks() -> int:
    return sum(await asyncio.gather(*(task_part() for _ in range(PARTS))))


def greenlet_part() -> int:
    total = 0
    for _ in range(STEPS):
        total += burn(WORK)
        greenlet.getcurrent().parent.switch()  # back to the round robin
    return total


def with_greenlets() -> int:
    parts = [greenlet.greenlet(greenlet_part) for _ in range(PARTS)]
    total = 0
    while parts:  # switch to each part in turn until all have ended
        part = parts.pop(0)
        result = part.switch()
        if part.dead:
            total += result
        else:
            parts.append(part)
    return total
    # --8<-- [end:split]


def timed(function) -> tuple[float, float, int]:
    """Wall time and CPU time (of this whole process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    ways = {
        "serial": serial,
        "asyncio tasks": lambda: asyncio.run(with_tasks()),
        "greenlets": with_greenlets,
    }
    wall = {name: [] for name in ways}
    cpu = {name: [] for name in ways}
    results = set()
    for _ in range(RUNS):  # interleaved, so that noise hits every way alike
        for name, way in ways.items():
            seconds, cpu_seconds, result = timed(way)
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
            results.add(result)
    print(f"{PARTS * STEPS} steps of the same work, {RUNS} runs each way")
    print(f"every way computed the same result: {len(results) == 1}")
    measurements = []
    for name in ways:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(
            f"{name}: wall {w:.3f} s (min {min(wall[name]):.3f},"
            f" max {max(wall[name]):.3f}), CPU {c:.3f} s"
        )
        measurements.append(
            {"key": name, "label": name, "unit": "s", "samples": wall[name]}
        )
        # The CPUs the way kept busy: its CPU time over its wall time.
        busy = [c / w for c, w in zip(cpu[name], wall[name], strict=True)]
        measurements.append(
            {"key": f"busy/{name}", "label": f"CPUs busy, {name}"}
            | {"unit": "", "samples": busy}
        )
    # Speed-up: the CPU time the serial work needs, over the wall time the
    # split work took. Running in parallel on k cores, it could approach k.
    for name in ("asyncio tasks", "greenlets"):
        pairs = zip(cpu["serial"], wall[name], strict=True)
        speedups = [needed / took for needed, took in pairs]
        print(
            f"speed-up of {name}: {statistics.median(speedups):.2f}"
            f" (min {min(speedups):.2f}, max {max(speedups):.2f})"
        )
        measurements.append(
            {"key": f"speed-up/{name}", "label": f"speed-up, {name}"}
            | {"unit": "", "samples": speedups}
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
