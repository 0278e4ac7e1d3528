"""Meeting and limiting: a Barrier, and a Semaphore.

A `threading.Barrier(3)` holds each of three threads until all three have
reached it: every load comes before any compute. A `threading.Semaphore(2)`
lets at most two of six threads into a block at once; the script counts how
many are inside at the same moment.
"""

import threading
import time

PARTIES = 3
SLOTS = 2
DOWNLOADS = 6


# --8<-- [start:barrier]
def step(barrier: threading.Barrier, log: list, name: str) -> None:
    log.append(f"{name} loads")
    barrier.wait()  # nobody goes on until all parties are here
    log.append(f"{name} computes")
    # --8<-- [end:barrier]


class Gauge:
    """How many threads are inside now, and the most ever seen at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.most = 0

    def change(self, delta: int) -> None:
        with self.lock:
            self.now += delta
            self.most = max(self.most, self.now)


# --8<-- [start:semaphore]
def download(slots: threading.Semaphore, gauge: Gauge) -> None:
    with slots:  # waits while SLOTS threads are inside
        gauge.change(+1)
        time.sleep(0.02)  # the download
        gauge.change(-1)
        # --8<-- [end:semaphore]


def run(target, args_for, count: int) -> None:
    threads = [
        threading.Thread(target=target, args=args_for(i)) for i in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    barrier, log = threading.Barrier(PARTIES), []
    run(step, lambda i: (barrier, log, f"t{i}"), PARTIES)
    loads = [i for i, line in enumerate(log) if line.endswith("loads")]
    computes = [i for i, line in enumerate(log) if line.endswith("computes")]
    print(
        f"Barrier: {PARTIES} threads, every load before every compute:"
        f" {max(loads) < min(computes)}"
    )

    slots, gauge = threading.Semaphore(SLOTS), Gauge()
    run(download, lambda i: (slots, gauge), DOWNLOADS)
    print(
        f"Semaphore({SLOTS}): {DOWNLOADS} threads,"
        f" never more than {SLOTS} inside at once: {gauge.most <= SLOTS}"
    )


if __name__ == "__main__":
    main()
