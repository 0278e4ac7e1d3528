"""One blocking call stalls every task; asyncio.to_thread fixes it.

Five "ticker" tasks each wake up every 10 ms and note the time. A sixth
task needs 0.5 s of blocking work, here `time.sleep(0.5)`. Called directly,
it holds the loop's only thread: no ticker ticks until it returns. Passed
to `asyncio.to_thread`, it runs in a worker thread while the loop goes on
ticking. For each ticker the script counts the ticks that fell inside the
blocking call, and finds the longest gap between two ticks. Three rounds
each; the lines give the fewest ticks and, as medians, the longest gap of
the ticker that suffered least and of the one that suffered most.
"""

import asyncio
import itertools
import json
import os
import statistics
import time

TICKERS = 5
TICK = 0.01  # seconds between ticks
RUN = 0.8  # seconds each ticker runs
BLOCK = 0.5  # seconds of blocking work
ROUNDS = 3


async def ticker() -> list[float]:
    """Tick every TICK seconds for RUN seconds; the times of the ticks."""
    ticks = [time.perf_counter()]
    while ticks[-1] - ticks[0] < RUN:
        await asyncio.sleep(TICK)
        ticks.append(time.perf_counter())
    return ticks


# --8<-- [start:offenders]
async def blocks_the_loop() -> tuple[float, float]:
    await asyncio.sleep(0.1)
    start = time.perf_counter()
    time.sleep(BLOCK)  # blocking: no other task runs meanwhile
    return start, time.perf_counter()


async def uses_a_thread() -> tuple[float, float]:
    await asyncio.sleep(0.1)
    start = time.perf_counter()
    await asyncio.to_thread(time.sleep, BLOCK)  # the loop stays free
    return start, time.perf_counter()
    # --8<-- [end:offenders]


async def run_with(offender) -> tuple[list[int], list[float]]:
    """Run the tickers next to `offender`. For each ticker: how many ticks
    fell inside the blocking call, and the longest gap between ticks."""
    *tickers, (start, end) = await asyncio.gather(
        *(ticker() for _ in range(TICKERS)), offender()
    )
    inside = [sum(start < t < end for t in ticks) for ticks in tickers]
    gaps = [
        max(b - a for a, b in itertools.pairwise(ticks)) for ticks in tickers
    ]
    return inside, gaps


def main() -> None:
    offenders = {
        "time.sleep": blocks_the_loop,
        "asyncio.to_thread": uses_a_thread,
    }
    calls = {
        "time.sleep": f"time.sleep({BLOCK})",
        "asyncio.to_thread": f"asyncio.to_thread(time.sleep, {BLOCK})",
    }
    rounds = {
        name: [asyncio.run(run_with(offender)) for _ in range(ROUNDS)]
        for name, offender in offenders.items()
    }
    print(f"{TICKERS} tickers, one tick every {TICK * 1000:.0f} ms")
    fewest = {
        name: [min(inside) for inside, _ in runs]
        for name, runs in rounds.items()
    }
    print(f"ticks during {calls['time.sleep']}: {max(fewest['time.sleep'])}")
    print(
        f"ticks per ticker during {calls['asyncio.to_thread']}: "
        f"at least {min(fewest['asyncio.to_thread'])}"
    )
    measurements = []
    for name, runs in rounds.items():
        # the longest gap of the ticker that suffered least, and most
        least = [min(gaps) for _, gaps in runs]
        most = [max(gaps) for _, gaps in runs]
        print(
            f"longest gap between ticks, next to {name}: "
            f"{statistics.median(least) * 1000:.0f} to "
            f"{statistics.median(most) * 1000:.0f} ms, by ticker"
        )
        label = f"next to {calls[name]}"
        measurements += [
            {"key": name, "label": label, "unit": "s", "samples": most},
            {
                "key": f"{name}/least",
                "label": f"{label}, ticker that suffered least",
                "unit": "s",
                "samples": least,
            },
            {
                "key": f"{name}/ticks",
                "label": f"ticks per ticker during {calls[name]}, fewest",
                "unit": "",
                "samples": fewest[name],
            },
        ]
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        inputs = {"tickers": TICKERS, "tick": TICK, "run": RUN, "block": BLOCK}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
