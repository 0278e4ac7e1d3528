"""Three threads that sleep at the same time.

The seed post's example, with the sleep shortened to 0.2 s: each worker
sleeps, then reports. The three sleeps overlap, so the whole run takes about
one sleep, not three.
"""

import threading
import time

SLEEP = 0.2


# --8<-- [start:worker]
def worker(name: str) -> None:
    time.sleep(SLEEP)  # blocking I/O: this thread waits, the others run
    # One write per line, so that lines from two threads never interleave.
    print(f"worker {name} done\n", end="")
    # --8<-- [end:worker]


def main() -> None:
    start = time.perf_counter()
    threads = [
        threading.Thread(target=worker, args=(str(i),)) for i in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    print(f"all {len(threads)} workers done")
    label = f"3 overlapping sleeps of {SLEEP * 1000:.0f} ms each"
    print(f"{label}: {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
