"""What a crash takes down: a thread, a process, a process pool.

An exception that escapes a thread ends that thread only; the program goes
on. A process that dies (here it exits at once with `os._exit`, or is
killed by SIGKILL, as the kernel's out-of-memory killer would) leaves its
parent running, and the parent reads how it ended from `exitcode`. A
`ProcessPoolExecutor` whose worker dies is broken for good: the futures it
held, and every later submit, raise `BrokenProcessPool`.

Python reports an uncaught exception in a thread through
`threading.excepthook`, which by default prints the traceback to stderr.
This script installs its own hook that prints one line to stdout instead.
"""

import concurrent.futures
import multiprocessing
import os
import signal
import threading
from concurrent.futures.process import BrokenProcessPool


def one_line(args: threading.ExceptHookArgs) -> None:
    """Report a thread's uncaught exception in one line, on stdout."""
    error = f"{args.exc_type.__name__}: {args.exc_value}"
    print(f"excepthook: thread {args.thread.name!r} died: {error}")


def fail() -> None:
    raise ValueError("bad input")


def exit_hard() -> None:
    os._exit(3)  # no cleanup, no traceback: as a crash in C code would


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def add(a: int, b: int) -> int:
    return a + b


def main() -> None:
    # --8<-- [start:thread]
    threading.excepthook = one_line
    thread = threading.Thread(target=fail, name="worker")
    thread.start()
    thread.join()
    print(f"main thread goes on; worker alive: {thread.is_alive()}")
    # --8<-- [end:thread]

    # --8<-- [start:process]
    for target in (exit_hard, kill_self):
        process = multiprocessing.Process(target=target)
        process.start()
        process.join()
        code = process.exitcode
        how = f" (killed by {signal.Signals(-code).name})" if code < 0 else ""
        print(f"process {target.__name__}: exitcode {code}{how}")
    print("parent goes on")
    # --8<-- [end:process]

    # --8<-- [start:pool]
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        print(f"pool: 2 + 2 = {pool.submit(add, 2, 2).result()}")
        try:
            pool.submit(exit_hard).result()
        except BrokenProcessPool as error:
            print(f"pool: worker died: {type(error).__name__}")
        try:
            pool.submit(add, 2, 2)
        except BrokenProcessPool as error:
            print(f"pool: next submit: {type(error).__name__}")
    # --8<-- [end:pool]
    print("parent still runs")


if __name__ == "__main__":
    main()
