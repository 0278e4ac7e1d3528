"""Two locks taken in opposite orders: a deadlock, and a watchdog that ends it.

Thread a-then-b takes lock a, then lock b; thread b-then-a takes b, then a.
A barrier makes the bad timing certain: each thread holds its first lock
before it asks for its second, which the other holds. Neither can go on,
ever. The main thread is the watchdog: when the threads have not finished
after WAIT seconds, it prints every thread's stack with faulthandler, to
stdout, and ends the process with exit status 1.
"""

import faulthandler
import os
import sys
import threading
import time

WAIT = 1.0  # seconds the watchdog gives the threads

# --8<-- [start:deadlock]
a, b = threading.Lock(), threading.Lock()
both_hold_one = threading.Barrier(2)


def take(first: threading.Lock, second: threading.Lock) -> None:
    with first:
        both_hold_one.wait()  # now each thread holds one lock
        with second:  # and waits here for the other's, forever
            pass
            # --8<-- [end:deadlock]


def main() -> None:
    threads = [
        threading.Thread(target=take, args=(a, b), name="a-then-b"),
        threading.Thread(target=take, args=(b, a), name="b-then-a"),
    ]
    for thread in threads:
        thread.start()
    # --8<-- [start:watchdog]
    deadline = time.monotonic() + WAIT
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        names = ", ".join(f"{t.name} is {t.ident:#018x}" for t in threads)
        print(f"Stuck after {WAIT:g} s: {names}")
        sys.stdout.flush()  # faulthandler writes straight to the file
        faulthandler.dump_traceback(file=sys.stdout, all_threads=True)
        os._exit(1)  # sys.exit() would wait for the stuck threads
    # --8<-- [end:watchdog]
    print("No deadlock this time.")


if __name__ == "__main__":
    main()
