"""Where is a slow program? Stacks on a signal, and `sys._current_frames()`.

Three threads stand in for a slow service: two wait on slow calls, one
computes. `faulthandler.register(SIGUSR1)` makes `kill -USR1 PID`, sent from
any shell, print every thread's stack, without stopping the program; here
the script sends the signal to itself. Then the same question from inside:
`sys._current_frames()` maps each thread's id to its current frame, which
the script reports with the threads' names, one line each.
"""

import faulthandler
import os
import signal
import sys
import threading
import time

running = True  # main sets it to False to stop the threads


def fetch() -> None:
    while running:
        time.sleep(0.05)  # stands in for a slow network call


def crunch() -> None:
    total = 0
    while running:
        total += sum(range(1_000))  # stands in for computing


def main() -> None:
    global running
    threads = [
        threading.Thread(target=fetch, name=f"fetch-{n}") for n in (1, 2)
    ]
    threads.append(threading.Thread(target=crunch, name="crunch"))
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # the program has been running for a while

    # --8<-- [start:signal]
    sys.stdout.flush()  # faulthandler writes to the file descriptor
    faulthandler.register(signal.SIGUSR1, file=sys.stdout, all_threads=True)
    os.kill(os.getpid(), signal.SIGUSR1)  # kill -USR1 PID, from a shell
    # --8<-- [end:signal]

    # --8<-- [start:frames]
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    print("sys._current_frames():")
    for ident, frame in sys._current_frames().items():
        place = f"{frame.f_code.co_name}(), line {frame.f_lineno}"
        print(f"  {names.get(ident, ident)}: in {place}")
    # --8<-- [end:frames]

    running = False
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
