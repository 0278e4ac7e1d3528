"""What each start method gives the new process.

The parent imports a module at run time (`colorsys`, which nothing else
here imports), then starts a child with each start method the platform
offers. The child reports whether that module is already loaded in it, and
whether its parent process is the one that started it. A fork child is a
copy of its parent, imports and all; a spawn child is a fresh interpreter
that imported the main module again; a forkserver child is forked from a
server process that was itself started fresh, so its parent is the server.

Then, with a second thread running, the parent forks once more: Python 3.12
and later warn that forking a multi-threaded process may deadlock.
"""

import multiprocessing
import os
import sys
import threading
import warnings


# --8<-- [start:child]
def report(method: str, parent: int) -> None:
    """Runs in the child: what did it inherit?"""
    inherited = "colorsys" in sys.modules
    ours = os.getppid() == parent
    print(
        f"{method:>10}: parent's import present: {inherited!s:<5}"
        f"  parent is the starter: {ours}"
    )
    # --8<-- [end:child]


def nothing() -> None:
    pass


def main() -> None:
    default = multiprocessing.get_start_method()
    print(f"default start method: {default}")
    methods = multiprocessing.get_all_start_methods()
    print(f"start methods available: {', '.join(methods)}")
    import colorsys  # noqa: F401  (imported now, after start-up)

    for method in methods:
        context = multiprocessing.get_context(method)
        child = context.Process(target=report, args=(method, os.getpid()))
        child.start()
        child.join()

    # --8<-- [start:threads]
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        child = multiprocessing.get_context("fork").Process(target=nothing)
        child.start()
        child.join()
    stop.set()
    helper.join()
    # --8<-- [end:threads]
    print(f"fork with a second thread running: exit code {child.exitcode}")
    found = [f"{w.category.__name__}: {w.message}" for w in caught]
    print(f"warnings: {'; '.join(found) or 'none'}")


if __name__ == "__main__":
    main()
