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

DEADLINE = 0.1  # seconds
SLOW = 1.0  # seconds the slow call needs
FAST = 0.01  # seconds the fast call needs
ROUNDS = 3
cancelled: set[str] = set()  # calls that saw their cancellation


async def slow(name: str, seconds: float = SLOW) -> str:
    try:
        await asyncio.sleep(seconds)  # stands in for a slow network call
    except asyncio.CancelledError:
        cancelled.add(name)
        raise  # never swallow it: the timeout relies on it
    return f"{name}: finished in time"


# --8<-- [start:deadline]
async def with_timeout(seconds: float = SLOW) -> str:
    try:
        async with asyncio.timeout(DEADLINE):
            return await slow("timeout", seconds)
    except TimeoutError:
        return f"timeout: TimeoutError after {DEADLINE:g} s"


async def with_wait_for() -> str:
    try:
        return await asyncio.wait_for(slow("wait_for"), DEADLINE)
    except TimeoutError:
        return f"wait_for: TimeoutError after {DEADLINE:g} s"
        # --8<-- [end:deadline]


def timed(call) -> tuple[str, float]:
    start = time.perf_counter()
    result = asyncio.run(call())
    return result, time.perf_counter() - start


def main() -> None:
    calls = {
        "timeout/slow": with_timeout,
        "wait_for/slow": with_wait_for,
        "timeout/fast": lambda: with_timeout(FAST),
    }
    deadline = f"asyncio.timeout({DEADLINE:g})"
    labels = {
        "timeout/slow": f"{deadline} around a {SLOW:g} s call",
        "wait_for/slow": f"asyncio.wait_for(a {SLOW:g} s call, {DEADLINE:g})",
        "timeout/fast": f"{deadline} around a {FAST:g} s call",
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
        inputs = {"deadline": DEADLINE, "slow": SLOW, "fast": FAST}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
