"""One task fails: a TaskGroup cancels the others and raises.

Three tasks start in one `asyncio.TaskGroup` (Python 3.11+). `quick`
finishes after 0.05 s; `broken` raises ValueError after 0.1 s; `slow` would
need 1 s. When `broken` fails, the group cancels `slow`, waits for it to
end, and raises the failure as an ExceptionGroup, which `except*` unpacks.
Each task records how it ended. The sleeps are far apart, so the outcome is
the same on every run. Three rounds; the last line gives their median.
"""

import asyncio
import json
import os
import statistics
import time

QUICK = 0.05  # seconds until `quick` finishes
FAIL = 0.1  # seconds until `broken` raises
SLOW = 1.0  # seconds `slow` would need
ROUNDS = 3

ended: dict[str, str] = {}  # task name -> how it ended


# --8<-- [start:tasks]
async def job(name: str, seconds: float, fail: bool = False) -> None:
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        ended[name] = "cancelled"
        raise  # let the cancellation through: the group waits for it
    if fail:
        ended[name] = "raised ValueError"
        raise ValueError(f"{name} failed")
    ended[name] = "finished"


async def run_group() -> list[Exception]:
    caught: list[Exception] = []
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(job("quick", QUICK))
            group.create_task(job("broken", FAIL, fail=True))
            group.create_task(job("slow", SLOW))
        print("not reached: the group raises")
    except* ValueError as failures:  # an ExceptionGroup of ValueErrors
        caught.extend(failures.exceptions)
    return caught
    # --8<-- [end:tasks]


def main() -> None:
    seconds = []
    for _ in range(ROUNDS):
        ended.clear()
        start = time.perf_counter()
        caught = asyncio.run(run_group())
        seconds.append(time.perf_counter() - start)
    for error in caught:
        print(f"caught from the group: {type(error).__name__}: {error}")
    for name in ("quick", "broken", "slow"):
        print(f"{name}: {ended[name]}")
    label = f"group with a {SLOW:g} s task, ended by a failure at {FAIL:g} s"
    median = statistics.median(seconds)
    print(f"{label}: {median * 1000:.0f} ms")
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = [
            {"key": "wall", "label": label, "unit": "s", "samples": seconds}
        ]
        inputs = {"quick": QUICK, "fail": FAIL, "slow": SLOW}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
