"""Three threads that sleep at the same time.

The seed post's example, with the sleep shortened to 0.2 s: each worker
sleeps, then reports. The three sleeps overlap, so the whole run takes about
one sleep, not three.
"""

import json
import os
import threading
import time

SLEEP = 0.2
WORKERS = 3


# --8<-- [start:worker]
def worker(name: str) -> None:
    time.sleep(SLEEP)  # blocking I/O: this thread waits, the others run
    # One write per line, so that lines from two threads never interleave.
    print(f"worker {name} done\n", end="")
    # --8<-- [end:worker]


def main() -> None:
    # --8<-- [start:start]
    start = time.perf_counter()
    threads = [
        threading.Thread(target=worker, args=(str(i),)) for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # waits for this one; the others sleep meanwhile
    elapsed = time.perf_counter() - start
    # --8<-- [end:start]
    print(f"all {len(threads)} workers done")
    label = f"{WORKERS} overlapping sleeps of {SLEEP * 1000:.0f} ms each"
    print(f"{label}: {elapsed * 1000:.0f} ms")
    # The site's build sets SNIPPET_DATA to quote this very run; a reader
    # can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        total = {"key": "total", "label": label, "unit": "s"}
        data = {
            "measurements": [total | {"samples": [elapsed]}],
            "inputs": {"sleep": SLEEP, "workers": WORKERS},
        }
        with open(path, "w") as file:
            json.dump(data, file)


if __name__ == "__main__":
    main()
