"""Shared containers: what one step keeps right, and what two steps lose.

Four threads work on the same objects at once (a Barrier starts them
together), in rounds. One step on a built-in container (`list.append`,
`d[key] = value`) loses nothing. Two steps do: `counter.n += 1` reads, adds
and writes back, and "if the key is not claimed yet, claim it" checks, then
acts. With the GIL, another thread seldom runs between the two steps, so
the loss hides; without it, threads run at the same time. Holding a Lock
across both steps fixes either on any build. The script also prints how
many CPUs the += threads kept busy (their CPU time over the wall time).
"""

import json
import os
import statistics
import threading
import time

THREADS = 4
OPS = 20_000  # per thread, in each test
ROUNDS = 5


class Counter:
    def __init__(self) -> None:
        self.n = 0


# --8<-- [start:steps]
def append(items: list, lock: threading.Lock, me: int) -> None:
    for i in range(OPS):
        items.append(i)  # one step: atomic


def set_keys(table: dict, lock: threading.Lock, me: int) -> None:
    for i in range(OPS):
        table[me, i] = i  # one step, a key of its own


def add(counter: Counter, lock: threading.Lock, me: int) -> None:
    for _ in range(OPS):
        counter.n += 1  # read, add, write: two threads can read the same n


def add_locked(counter: Counter, lock: threading.Lock, me: int) -> None:
    for _ in range(OPS):
        with lock:
            counter.n += 1


def claim(claims: dict, lock: threading.Lock, me: int) -> None:
    for key in range(OPS):  # every thread tries to claim every key
        if key not in claims:  # check...
            claims[key] = me  # ...then act: another may have claimed it
            WON[me] += 1


def claim_locked(claims: dict, lock: threading.Lock, me: int) -> None:
    for key in range(OPS):
        with lock:
            if key not in claims:
                claims[key] = me
                WON[me] += 1
                # --8<-- [end:steps]


WON = [0] * THREADS  # keys each thread claimed, in the current round


def together(work, shared) -> float:
    """Run THREADS threads of `work` on `shared`; return the CPUs they kept
    busy: their CPU time over the wall time."""
    lock, gate = threading.Lock(), threading.Barrier(THREADS + 1)
    cpu = [0.0] * THREADS

    def run(me: int) -> None:
        gate.wait()
        start = time.thread_time()
        work(shared, lock, me)
        cpu[me] = time.thread_time() - start

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    gate.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(cpu) / (time.perf_counter() - start)


def lost(work) -> dict:
    """How many of its updates a test lost in each round."""
    samples, busy = [], []
    for _ in range(ROUNDS):
        WON[:] = [0] * THREADS
        if work in (append, set_keys):
            shared = [] if work is append else {}
            busy.append(together(work, shared))
            samples.append(THREADS * OPS - len(shared))
        elif work in (add, add_locked):
            shared = Counter()
            busy.append(together(work, shared))
            samples.append(THREADS * OPS - shared.n)
        else:  # claims: each key claimed once, or some claimed again
            busy.append(together(work, {}))
            samples.append(sum(WON) - OPS)
    return {"lost": samples, "busy": busy}


def main() -> None:
    tests = {
        "list.append": ("append", append, "items lost"),
        "d[key] = value": ("set", set_keys, "keys lost"),
        "counter.n += 1": ("add", add, "adds lost"),
        "  under a Lock": ("add/locked", add_locked, "adds lost"),
        "check, then claim": ("claim", claim, "extra claims"),
        "  under a Lock ": ("claim/locked", claim_locked, "extra claims"),
    }
    results = {key: lost(work) for key, work, _ in tests.values()}
    print(
        f"{THREADS} threads at once, {OPS:,} operations each; {ROUNDS} rounds"
    )
    for label, (key, _, what) in tests.items():
        counts = ", ".join(f"{n:,}" for n in results[key]["lost"])
        print(f"{label:17} {counts} {what}")
    busy = statistics.median(results["add"]["busy"])
    print(f"CPUs busy while the += threads ran: {busy:.2f} (median)")
    # The site's build sets SNIPPET_DATA to quote this very run; a reader
    # can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {
                "key": key,
                "label": f"{label.strip()}: {what}",
                "unit": "",
                "samples": results[key]["lost"],
            }
            for label, (key, _, what) in tests.items()
        ]
        measurements.append(
            {
                "key": "busy",
                "label": "CPUs busy during +=",
                "unit": "",
                "samples": results["add"]["busy"],
            }
        )
        inputs = {"threads": THREADS, "ops": OPS, "rounds": ROUNDS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
