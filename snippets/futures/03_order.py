"""`map` against `submit` + `as_completed`: input order or finishing order.

Three tasks sleep for different times, on three threads, so they finish in
a different order from the one they were given in. `Executor.map` yields
the results in input order: its first result waits for the first task, even
when the others are done. `as_completed` yields each future as soon as it
is done. Both ways run three times; the times are when the first result and
the last result reached the caller.
"""

import concurrent.futures
import json
import os
import statistics
import time

DELAYS = {"a": 0.3, "b": 0.1, "c": 0.2}  # seconds each task sleeps
RUNS = 3


def task(name: str) -> str:
    time.sleep(DELAYS[name])
    return name


# --8<-- [start:both]
def with_map(pool: concurrent.futures.Executor) -> tuple[list, float, float]:
    start = time.perf_counter()
    results = pool.map(task, DELAYS)
    order = [next(results)]  # waits for "a", the first input
    first = time.perf_counter() - start
    order += results
    return order, first, time.perf_counter() - start


def with_as_completed(
    pool: concurrent.futures.Executor,
) -> tuple[list, float, float]:
    start = time.perf_counter()
    futures = [pool.submit(task, name) for name in DELAYS]
    order, first = [], None
    for future in concurrent.futures.as_completed(futures):
        order.append(future.result())  # done: result() does not wait
        if first is None:
            first = time.perf_counter() - start
    return order, first, time.perf_counter() - start
    # --8<-- [end:both]


def main() -> None:
    print("inputs: " + ", ".join(f"{k} ({v} s)" for k, v in DELAYS.items()))
    times = {}
    workers = len(DELAYS)  # one thread per task
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for name, way in (
            ("map", with_map),
            ("as_completed", with_as_completed),
        ):
            runs = [way(pool) for _ in range(RUNS)]
            print(f"{name} yields: {', '.join(runs[0][0])}")
            times[f"{name}/first"] = [first for _, first, _ in runs]
            times[f"{name}/last"] = [last for _, _, last in runs]
    for key, samples in times.items():
        name, which = key.split("/")
        print(
            f"{which} result, {name}: median"
            f" {statistics.median(samples):.3f} s"
            f" (min {min(samples):.3f} s, max {max(samples):.3f} s;"
            f" {len(samples)} runs)"
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {
                "key": key,
                "label": f"{key.split('/')[1]} result, {key.split('/')[0]}",
                "unit": "s",
                "samples": samples,
            }
            for key, samples in times.items()
        ]
        inputs = {"delays": DELAYS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
