"""A blocking call stalls an event loop: asyncio's debug mode names it.

A heartbeat task should tick every 50 ms. A handler calls `time.sleep()`,
which blocks the thread, so the loop runs nothing else meanwhile, and the
heartbeat stalls. In debug mode (`asyncio.run(..., debug=True)`, or
`PYTHONASYNCIODEBUG=1`, or `python -X dev`) the loop logs every callback
or task step that takes longer than `loop.slow_callback_duration` (100 ms
by default; 200 ms here, so that a busy machine's hiccups stay quiet):
through `logging`, to stderr unless told otherwise; here a handler sends it
to stdout. The fix runs the blocking call in a thread
(`asyncio.to_thread`), and the heartbeat keeps its pace.
"""

import asyncio
import json
import logging
import os
import sys
import time

BEAT = 0.05  # seconds between heartbeats
BLOCK = 0.3  # seconds the handler blocks
SLOW = 0.2  # seconds: debug mode logs a step that takes longer


async def heartbeat(gaps: list) -> None:
    last = time.perf_counter()
    while True:
        await asyncio.sleep(BEAT)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


# --8<-- [start:handlers]
async def blocking_handler() -> None:
    time.sleep(BLOCK)  # blocks the event loop: the bug


async def fixed_handler() -> None:
    await asyncio.to_thread(time.sleep, BLOCK)  # waits in a thread
    # --8<-- [end:handlers]


async def serve(handler) -> list:
    asyncio.get_running_loop().slow_callback_duration = SLOW
    gaps = []
    beat = asyncio.create_task(heartbeat(gaps))
    await asyncio.sleep(2 * BEAT)
    await asyncio.create_task(handler(), name=handler.__name__)
    await asyncio.sleep(2 * BEAT)
    beat.cancel()
    return gaps


def main() -> None:
    # --8<-- [start:debug]
    logging.basicConfig(
        stream=sys.stdout,  # asyncio logs to the "asyncio" logger
        format="%(levelname)s %(name)s: %(message)s",
        level=logging.WARNING,
    )
    longest = {}
    for handler in (blocking_handler, fixed_handler):
        gaps = asyncio.run(serve(handler), debug=True)
        longest[handler.__name__] = max(gaps)
        print(f"{handler.__name__}: longest heartbeat gap {max(gaps):.2f} s")
    # --8<-- [end:debug]

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": name, "label": f"{name}: longest gap", "unit": "s"}
            | {"samples": [gap]}
            for name, gap in longest.items()
        ]
        inputs = {"beat": BEAT, "block": BLOCK, "slow": SLOW}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
