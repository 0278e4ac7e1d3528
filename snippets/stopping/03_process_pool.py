"""Ctrl-C and `multiprocessing.Pool`: who gets the signal decides the mess.

A signal sent with `os.kill(pid, ...)` reaches that one process. Ctrl-C in
a terminal reaches every process of the foreground process group: the
parent and its pool's workers alike.

First, SIGINT to the parent only: `KeyboardInterrupt` stops its wait in
`map()`, and leaving the `with` block calls `terminate()`, which ends the
workers at once (their work is lost). Then, as a terminal would, SIGINT to
a whole group: the script runs itself again as a child in a new session
(its own group) and signals the group; each worker then raises
`KeyboardInterrupt` too, and may print a traceback before `terminate()`
ends it. Workers that ignore SIGINT (an `initializer`) leave the parent
alone to handle it.
"""

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time

WORKERS = 2
TASKS = 8
TASK_TIME = 0.2
HANG = 5  # seconds: a child still running then has hung


def work(n: int) -> int:
    time.sleep(TASK_TIME)
    return n


# --8<-- [start:ignore]
def ignore_sigint() -> None:
    """Runs in each worker as it starts: Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # --8<-- [end:ignore]


def run_pool(initializer=None, ready=None) -> None:
    """Map TASKS over a pool until SIGINT comes; say what happened."""
    try:
        with multiprocessing.Pool(WORKERS, initializer=initializer) as pool:
            pool.apply(work, (0,))  # the workers have started
            results = pool.map_async(work, range(TASKS))
            time.sleep(TASK_TIME / 4)  # each worker is in a task
            if ready:
                ready()
            results.get()
    except KeyboardInterrupt:
        left = len(multiprocessing.active_children())
        print(f"  parent: KeyboardInterrupt; workers left running: {left}")


# --8<-- [start:group]
def ctrl_c_in_a_terminal(*options: str) -> str:
    """Run this script as a child in its own process group, and send SIGINT
    to the whole group, as Ctrl-C in a terminal does."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own session, and group
    )
    try:
        assert child.stdout.readline() == "ready\n"
        os.killpg(child.pid, signal.SIGINT)  # the whole group
        out, err = child.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        out, err = f"  parent: hung; still running after {HANG} s", ""
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # whatever it left behind
        child.communicate()
    tracebacks = err.count("Traceback")
    return f"{out.rstrip()}\n  workers' tracebacks on stderr: {tracebacks}"
    # --8<-- [end:group]


def main() -> None:
    # Python's own Ctrl-C handler, in case whoever started this script
    # ignored SIGINT (a background job of a non-interactive shell does).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if "--child" in sys.argv:
        ignore = "--ignore" in sys.argv
        initializer = ignore_sigint if ignore else None
        run_pool(initializer, ready=lambda: print("ready", flush=True))
        return
    print(f"{TASKS} tasks of {TASK_TIME:.1f} s on {WORKERS} workers")
    print("SIGINT to the parent only, with os.kill(os.getpid(), ...):")

    # --8<-- [start:parent]
    def ctrl_c():
        os.kill(os.getpid(), signal.SIGINT)

    run_pool(ready=ctrl_c)
    # --8<-- [end:parent]
    print("SIGINT to the group, as Ctrl-C in a terminal:")
    print(ctrl_c_in_a_terminal())
    print("SIGINT to the group, workers ignoring SIGINT:")
    print(ctrl_c_in_a_terminal("--ignore"))


if __name__ == "__main__":
    main()
