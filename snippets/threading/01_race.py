"""Lost updates: four threads add to one counter, then the same with a Lock.

Each thread adds 1 to a shared counter many times. The plain `+=` reads the
value, adds 1 and writes it back: three steps, and another thread can run
between them. The second version puts a switch point (`time.sleep(0)`, which
lets other threads run) between the read and the write, so that the race
shows on every build. The third holds a `threading.Lock` around all three
steps, switch point included.
"""

import json
import os
import threading
import time

THREADS = 4
PLAIN_ADDS = 100_000  # per thread
SWITCH_ADDS = 1_000  # per thread: each one sleeps, so fewer
ROUNDS = 5


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.lock = threading.Lock()


# --8<-- [start:adders]
def add_plain(counter: Counter, times: int) -> None:
    for _ in range(times):
        counter.n += 1  # read, add, write: not atomic


def add_with_switch(counter: Counter, times: int) -> None:
    for _ in range(times):
        value = counter.n  # read
        time.sleep(0)  # let another thread run here
        counter.n = value + 1  # write: may undo another thread's adds


def add_locked(counter: Counter, times: int) -> None:
    for _ in range(times):
        with counter.lock:  # one thread at a time from read to write
            value = counter.n
            time.sleep(0)
            counter.n = value + 1
            # --8<-- [end:adders]


def lost_updates(add, times: int) -> int:
    """Run THREADS threads of `add`; return how many adds were lost."""
    counter = Counter()
    gate = threading.Barrier(THREADS)  # start all threads together

    def run() -> None:
        gate.wait()
        add(counter, times)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return THREADS * times - counter.n


def main() -> None:
    runs = {
        "plain +=": (add_plain, PLAIN_ADDS),
        "switch point inside": (add_with_switch, SWITCH_ADDS),
        "with a Lock": (add_locked, SWITCH_ADDS),
    }
    keys = {"plain +=": "plain", "switch point inside": "switch"}
    lost = {
        label: [lost_updates(add, times) for _ in range(ROUNDS)]
        for label, (add, times) in runs.items()
    }
    print(f"{THREADS} threads add 1 to a shared counter; {ROUNDS} rounds each")
    for label, (_, times) in runs.items():
        total = THREADS * times
        # Lost updates depend on the machine and the build, except with a
        # lock, where there are none.
        counts = ", ".join(f"{n:,}" for n in lost[label])
        print(f"{label}: {counts} lost of {total:,} adds")
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        measurements = [
            {
                "key": keys.get(label, "locked"),
                "label": f"{label} (lost of {THREADS * times:,} adds)",
                "unit": "",
                "samples": lost[label],
            }
            for label, (_, times) in runs.items()
        ]
        with open(path, "w") as file:
            inputs = {
                "threads": THREADS,
                "plain_adds": PLAIN_ADDS,
                "switch_adds": SWITCH_ADDS,
            }
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
