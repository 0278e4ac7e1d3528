"""The cost of 10 000 tasks: time to run them, memory while they wait.

Time: create 10 000 tasks that each `await asyncio.sleep(0)` once, and
gather them; the script divides the total by 10 000. Memory: create
10 000 tasks that all wait on one `asyncio.Event`, let each run to its
wait, and ask `tracemalloc` how much more memory Python has allocated than
before: the Task, its coroutine and frame, and the future it waits on.
Five rounds for the time, three for the memory; the lines give medians.
The page on virtual threads measures the same tasks by the process's
resident memory instead.
"""

import asyncio
import json
import os
import statistics
import time
import tracemalloc

TASKS = 10_000
ROUNDS = 5  # for the time
MEMORY_ROUNDS = 3  # tracemalloc slows everything down


async def trivial() -> None:
    await asyncio.sleep(0)  # gives way once, then ends


# --8<-- [start:park]
async def parked(event: asyncio.Event) -> None:
    await event.wait()  # waits here, doing nothing


async def memory_of_parked_tasks() -> int:
    """Bytes allocated for TASKS tasks waiting on one Event."""
    event = asyncio.Event()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(parked(event)) for _ in range(TASKS)]
    await asyncio.sleep(0)  # each task runs once, up to its wait
    used = tracemalloc.get_traced_memory()[0] - before
    event.set()
    await asyncio.gather(*tasks)
    return used
    # --8<-- [end:park]


async def time_of_trivial_tasks() -> float:
    """Seconds to create and gather TASKS tasks that give way once."""
    start = time.perf_counter()
    await asyncio.gather(*(trivial() for _ in range(TASKS)))
    return time.perf_counter() - start


def main() -> None:
    seconds = [asyncio.run(time_of_trivial_tasks()) for _ in range(ROUNDS)]
    tracemalloc.start()
    used = [
        asyncio.run(memory_of_parked_tasks()) for _ in range(MEMORY_ROUNDS)
    ]
    tracemalloc.stop()
    print(f"{TASKS} tasks created, run and gathered, {ROUNDS} times")
    print(f"{TASKS} tasks parked on one Event, {MEMORY_ROUNDS} times")
    per_task = [s / TASKS for s in seconds]
    per_parked = [b / TASKS for b in used]
    print(
        f"to create and run one task (of {TASKS}): "
        f"{statistics.median(per_task) * 1e6:.1f} µs"
    )
    print(
        f"memory of one parked task (of {TASKS}, tracemalloc): "
        f"{statistics.median(per_parked) / 1024:.2f} KiB"
    )
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = [
            {
                "key": "time/task",
                "label": "create and run one task",
                "unit": "s",
                "samples": per_task,
            },
            {
                "key": "memory/task",
                "label": "one parked task (tracemalloc)",
                "unit": "B",
                "samples": per_parked,
            },
        ]
        with open(path, "w") as file:
            json.dump(
                {"measurements": measurements, "inputs": {"tasks": TASKS}},
                file,
            )


if __name__ == "__main__":
    main()
