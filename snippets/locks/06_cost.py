"""What a Lock costs: alone, shared by threads, and handed from one to another.

Three ways to acquire and release one `threading.Lock`, timed per
acquire + release (the loop's own cost included):

- one thread, nobody else wants the lock (uncontended);
- 2 and 4 threads, each acquiring and releasing the same lock in a loop
  (contended: the wall time over all their acquisitions);
- a hand-off: two threads take turns, so every acquire waits for the other
  thread's release, and that thread must be woken.

Each is timed ROUNDS times; the output gives the medians.
"""

import json
import os
import statistics
import threading
import time

OPS = 200_000  # acquisitions by one thread alone, per round
SHARED_OPS = 50_000  # acquisitions per thread, per round, when shared
THREADS = [2, 4]
HAND_OFFS = 2_000  # round trips between two threads, per round
ROUNDS = 5


# --8<-- [start:alone]
def alone(lock: threading.Lock) -> float:
    start = time.perf_counter()
    for _ in range(OPS):
        with lock:
            pass
    return (time.perf_counter() - start) / OPS
    # --8<-- [end:alone]


# --8<-- [start:shared]
def shared(lock: threading.Lock, threads: int) -> float:
    go = threading.Barrier(threads + 1)

    def loop() -> None:
        go.wait()  # all threads start together
        for _ in range(SHARED_OPS):
            with lock:
                pass

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    go.wait()
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    return (time.perf_counter() - start) / (threads * SHARED_OPS)
    # --8<-- [end:shared]


# --8<-- [start:hand_off]
def hand_off() -> float:
    ping, pong = threading.Lock(), threading.Lock()
    ping.acquire()
    pong.acquire()

    def other() -> None:
        for _ in range(HAND_OFFS):
            ping.acquire()  # waits for the main thread's release
            pong.release()

    thread = threading.Thread(target=other)
    thread.start()
    start = time.perf_counter()
    for _ in range(HAND_OFFS):
        ping.release()
        pong.acquire()  # waits for the other thread's release
    elapsed = time.perf_counter() - start
    thread.join()
    return elapsed / (2 * HAND_OFFS)
    # --8<-- [end:hand_off]


def readable(seconds: float) -> str:
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e9:.0f} ns"


def main() -> None:
    lock = threading.Lock()
    alone(lock)  # warm up
    labels = {"uncontended": "one thread, no contention"}
    labels |= {f"contended/{n}": f"{n} threads on one lock" for n in THREADS}
    labels["hand-off"] = "hand-off, every acquire waits"
    samples: dict[str, list[float]] = {key: [] for key in labels}
    # Round after round of every case, so that a moment of load on the
    # machine slows all of them alike rather than one.
    for _ in range(ROUNDS):
        samples["uncontended"].append(alone(lock))
        for n in THREADS:
            samples[f"contended/{n}"].append(shared(lock, n))
        samples["hand-off"].append(hand_off())
    print(f"One acquire + release, median of {ROUNDS} rounds:")
    for key, label in labels.items():
        print(f"{label}: {readable(statistics.median(samples[key]))}")
    # The site's build sets SNIPPET_DATA to draw its tables from this very
    # run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": key, "label": label, "unit": "s", "samples": samples[key]}
            for key, label in labels.items()
        ]
        inputs = {
            "ops": OPS,
            "shared_ops": SHARED_OPS,
            "threads": THREADS,
            "hand_offs": HAND_OFFS,
            "rounds": ROUNDS,
        }
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
