"""A deadline for a slow call: asyncio.timeout and asyncio.wait_for.

`slow()` needs 1 s. Wrapped in `async with asyncio.timeout(0.1)` (Python
3.11+), it is cancelled after 0.1 s, and the block raises TimeoutError,
which the caller catches. `asyncio.wait_for(slow(), 0.1)` does the same
for one awaitable. A call that finishes in time is not affected. Three
rounds; the last three lines give their medians.
"""

import asyncio
import json
import os
import statistics
import time

ROUNDS = 3
cancelled: set[str] = set()  # calls that saw their cancellation


async def slow(name: str, seconds: float = 1.0) -> str:
    try:
        await asyncio.sleep(seconds)  # stands in for a slow network call
    except asyncio.CancelledError:
        cancelled.add(name)
        raise  # never swallow it: the timeout relies on it
    return f"{name}: finished in time"


# --8<-- [start:deadline]
async def with_timeout(seconds: float = 1.0) -> str:
    try:
        async with asyncio.timeout(0.1):
            return await slow("timeout", seconds)
    except TimeoutError:
        return "timeout: TimeoutError after 0.1 s"


async def with_wait_for() -> str:
    try:
        return await asyncio.wait_for(slow("wait_for"), 0.1)
    except TimeoutError:
        return "wait_for: TimeoutError after 0.1 s"
        # --8<-- [end:deadline]


def timed(call) -> tuple[str, float]:
    start = time.perf_counter()
    result = asyncio.run(call())
    return result, time.perf_counter() - start


def main() -> None:
    calls = {
        "timeout/slow": with_timeout,
        "wait_for/slow": with_wait_for,
        "timeout/fast": lambda: with_timeout(0.01),
    }
    labels = {
        "timeout/slow": "asyncio.timeout(0.1) around a 1 s call",
        "wait_for/slow": "asyncio.wait_for(a 1 s call, 0.1)",
        "timeout/fast": "asyncio.timeout(0.1) around a 0.01 s call",
    }
    seconds = {}
    for key, call in calls.items():
        runs = [timed(call) for _ in range(ROUNDS)]
        print(runs[0][0])
        seconds[key] = [elapsed for _, elapsed in runs]
    print(f"cancelled inside, by the deadline: {', '.join(sorted(cancelled))}")
    for key, samples in seconds.items():
        median = statistics.median(samples)
        print(f"{labels[key]}: {median * 1000:.0f} ms")
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = [
            {"key": key, "label": labels[key], "unit": "s", "samples": runs}
            for key, runs in seconds.items()
        ]
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
