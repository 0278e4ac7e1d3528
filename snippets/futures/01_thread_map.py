"""A thread pool maps a blocking function over its inputs.

`fetch` stands in for a network call: it sleeps, as a thread that waits for
I/O does, and returns a made-up page size. `ThreadPoolExecutor.map` runs the
calls on 4 threads and returns the results in the order of the inputs. The
same eight calls then run one after another and through the pool, three
times each.
"""

import concurrent.futures
import json
import os
import statistics
import time

DELAY = 0.05  # seconds of waiting per call
URLS = [f"https://example.org/page/{n}" for n in range(8)]
WORKERS = 4
RUNS = 3


# --8<-- [start:map]
def fetch(url: str) -> int:
    """Pretend to download a page: wait, then return its size."""
    time.sleep(DELAY)  # a thread waiting for I/O releases the GIL
    return 1000 + 10 * int(url.rsplit("/", 1)[1])


def main() -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for url, size in zip(URLS, pool.map(fetch, URLS), strict=True):
            print(f"{url}: {size} bytes")
        # --8<-- [end:map]
        pooled = f"ThreadPoolExecutor({WORKERS}).map"
        runs = {"one thread": [], pooled: []}
        for _ in range(RUNS):
            start = time.perf_counter()
            serial = [fetch(url) for url in URLS]
            runs["one thread"].append(time.perf_counter() - start)
            start = time.perf_counter()
            assert list(pool.map(fetch, URLS)) == serial
            runs[pooled].append(time.perf_counter() - start)
    for label, samples in runs.items():
        print(
            f"{label}: median {statistics.median(samples):.3f} s"
            f" (min {min(samples):.3f} s, max {max(samples):.3f} s;"
            f" {len(samples)} runs)"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": label, "label": label, "unit": "s", "samples": samples}
            for label, samples in runs.items()
        ]
        inputs = {"delay": DELAY, "calls": len(URLS), "workers": WORKERS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
