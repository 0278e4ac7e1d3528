"""Ctrl-C and asyncio: the main task is cancelled, and cleanup runs.

`asyncio.run()` (and `asyncio.Runner`, which it uses) handles SIGINT itself:
instead of raising `KeyboardInterrupt` wherever the loop happens to be, it
cancels the main task. `CancelledError` is raised at each task's `await`,
the `TaskGroup` cancels its other tasks, every `finally` runs, and only then
does `run()` raise `KeyboardInterrupt`.

SIGTERM gets no such help: by default it ends the process without any
cleanup. `loop.add_signal_handler()` (Unix) can make it cancel the main
task in the same way.
"""

import asyncio
import os
import signal
import time

WORKERS = 3
SIGNAL_AFTER = 0.1
sent = []  # when the signals were sent


def send(signum: signal.Signals) -> None:
    """Send signum to this process, as Ctrl-C or `kill` would."""
    sent.append(time.perf_counter())
    os.kill(os.getpid(), signum)


# --8<-- [start:worker]
async def worker(n: int) -> None:
    try:
        while True:
            await asyncio.sleep(0.01)  # stands in for real work
    except asyncio.CancelledError:
        print(f"  worker {n}: cancelled")
        raise  # let the cancellation go on
    finally:
        await asyncio.sleep(0)  # cleanup may await, too
        print(f"  worker {n}: cleaned up")


async def serve(signum: signal.Signals) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(SIGNAL_AFTER, send, signum)
    async with asyncio.TaskGroup() as group:
        for n in range(WORKERS):
            group.create_task(worker(n))
    # --8<-- [end:worker]


# --8<-- [start:sigint]
def ctrl_c() -> None:
    try:
        with asyncio.Runner() as runner:  # what asyncio.run() uses
            runner.run(serve(signal.SIGINT))
    except KeyboardInterrupt:
        took = time.perf_counter() - sent[-1]
        print(f"KeyboardInterrupt, {took * 1000:.0f} ms after the signal")
        # --8<-- [end:sigint]


# --8<-- [start:sigterm]
async def serve_until_sigterm() -> None:
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    loop.add_signal_handler(signal.SIGTERM, main_task.cancel)
    await serve(signal.SIGTERM)


def sigterm() -> None:
    try:
        asyncio.run(serve_until_sigterm())
    except asyncio.CancelledError:
        took = time.perf_counter() - sent[-1]
        print(f"CancelledError, {took * 1000:.0f} ms after the signal")
        # --8<-- [end:sigterm]


def main() -> None:
    # Python's own Ctrl-C handler, in case whoever started this script
    # ignored SIGINT (a background job of a non-interactive shell does):
    # asyncio handles SIGINT only where that handler is in place.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print("SIGINT, as Ctrl-C sends:")
    ctrl_c()
    print("SIGTERM, with a handler that cancels the main task:")
    sigterm()


if __name__ == "__main__":
    main()
