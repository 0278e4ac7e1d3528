"""A deadlock, and the stacks `faulthandler` prints when a watchdog fires.

Two threads (the main one and another) take two locks in opposite orders,
and each ends up waiting for the lock the other holds: the program is
stuck. Before that, the main thread arms `dump_traceback_later()`: if the
program is still running after the timeout, faulthandler prints the stack
of every thread, from a thread of its own in C, which needs neither the
stuck threads nor the GIL to do it. The dump goes to stdout here (its
default is stderr).

So that the script ends, the `acquire()` calls have a timeout (the main
thread gives up first, and the other then gets both locks); a real
deadlock would wait forever.
"""

import faulthandler
import json
import os
import sys
import threading
import time

WATCHDOG = 0.8  # seconds before the stacks are dumped
GIVE_UP = 1.5  # seconds main waits for its second lock (the other: twice)

first, second = threading.Lock(), threading.Lock()
both_hold_one = threading.Barrier(2)


# --8<-- [start:deadlock]
def transfer(a: threading.Lock, b: threading.Lock, patience: float) -> None:
    name = threading.current_thread().name
    with a:
        both_hold_one.wait()  # each thread now holds one lock
        if b.acquire(timeout=patience):  # and waits for the other's
            print(f"{name}: got both locks")
            b.release()
        else:
            print(f"{name}: gave up waiting for its second lock")


def deadlock() -> None:
    sys.stdout.flush()  # faulthandler writes to the file descriptor
    faulthandler.dump_traceback_later(WATCHDOG, file=sys.stdout)
    other = threading.Thread(
        target=transfer, args=(second, first, 2 * GIVE_UP), name="other"
    )
    other.start()
    transfer(first, second, GIVE_UP)  # the main thread takes part
    other.join()
    faulthandler.cancel_dump_traceback_later()
    # --8<-- [end:deadlock]


def main() -> None:
    start = time.perf_counter()
    deadlock()
    stuck = time.perf_counter() - start

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        took = {
            "key": "stuck",
            "label": "until the deadlock broke",
            "unit": "s",
        }
        inputs = {"watchdog": WATCHDOG, "give_up": GIVE_UP}
        with open(path, "w") as file:
            json.dump(
                {
                    "measurements": [took | {"samples": [stuck]}],
                    "inputs": inputs,
                },
                file,
            )


if __name__ == "__main__":
    main()
