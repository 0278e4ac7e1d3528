"""Producer and consumers around a bounded queue.Queue.

One producer puts 100 numbered items into a queue that holds at most 5; three
consumers take them and spend 10 ms on each. When the queue is full, `put`
waits: the producer cannot run ahead of the consumers (backpressure). When it
is done, the producer shuts the queue down (Python 3.13+) or, on older
versions, puts one sentinel per consumer. The same pipeline then runs with an
unbounded queue, for comparison, and counts the items still in the queue when
its producer is done.
"""

import json
import os
import queue
import statistics
import threading
import time

ITEMS = 100
CONSUMERS = 3
WORK = 0.010  # seconds a consumer spends on one item
MAXSIZE = 5
ROUNDS = 3

HAS_SHUTDOWN = hasattr(queue.Queue, "shutdown")  # Python 3.13+
# queue.ShutDown is new in 3.13 too; `except ()` catches nothing.
SHUTDOWN_ERROR = getattr(queue, "ShutDown", ())
SENTINEL = object()  # the end marker for versions without shutdown()


# --8<-- [start:pipeline]
def produce(items: queue.Queue) -> None:
    for number in range(ITEMS):
        items.put(number)  # waits while the queue is full
    if HAS_SHUTDOWN:
        items.shutdown()  # get() raises ShutDown once the queue is empty
    else:
        for _ in range(CONSUMERS):
            items.put(SENTINEL)


def consume(items: queue.Queue, done: list) -> None:
    while True:
        try:
            item = items.get()
        except SHUTDOWN_ERROR:  # shut down, and nothing left
            return
        if item is SENTINEL:
            return
        time.sleep(WORK)  # the work on one item
        done.append(item)  # list.append is atomic on every build
        # --8<-- [end:pipeline]


def pipeline(maxsize: int) -> tuple[list, float, int, float]:
    """Run it once: the items consumed, when the producer was done (in
    seconds from the start), how many items were still queued then, and
    when the consumers were done."""
    items = queue.Queue(maxsize)
    done: list = []
    consumers = [
        threading.Thread(target=consume, args=(items, done))
        for _ in range(CONSUMERS)
    ]
    start = time.perf_counter()
    for consumer in consumers:
        consumer.start()
    produce(items)
    produced = time.perf_counter() - start
    # Items still waiting, without the sentinels (the last ones in, if any).
    queued = max(0, items.qsize() - (0 if HAS_SHUTDOWN else CONSUMERS))
    for consumer in consumers:
        consumer.join()
    return done, produced, queued, time.perf_counter() - start


def main() -> None:
    times, queued = {}, {}
    for label, maxsize in (("bounded", MAXSIZE), ("unbounded", 0)):
        runs = [pipeline(maxsize) for _ in range(ROUNDS)]
        every_once = all(
            sorted(done) == list(range(ITEMS)) for done, *_ in runs
        )
        print(
            f"{label} queue, {ROUNDS} rounds: each of {ITEMS} items consumed"
            f" exactly once: {every_once}"
        )
        times[label] = [produced for _, produced, _, _ in runs]
        times[f"{label}/all"] = [finished for *_, finished in runs]
        queued[label] = [waiting for _, _, waiting, _ in runs]
    way = "Queue.shutdown()" if HAS_SHUTDOWN else "one sentinel per consumer"
    print(f"consumers stopped by: {way}")
    for label in ("bounded", "unbounded"):
        producer = statistics.median(times[label]) * 1000
        finished = statistics.median(times[f"{label}/all"]) * 1000
        print(
            f"{label} queue: producer done after {producer:.1f} ms, "
            f"consumers after {finished:.0f} ms (medians)"
        )
    waiting = statistics.median(queued["unbounded"])
    print(
        f"unbounded queue: {waiting:.0f} of {ITEMS} items queued "
        "when the producer was done (median)"
    )
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        names = {
            "bounded": f"producer done, queue of {MAXSIZE}",
            "unbounded": "producer done, unbounded queue",
            "bounded/all": f"consumers done, queue of {MAXSIZE}",
            "unbounded/all": "consumers done, unbounded queue",
        }
        measurements = [
            {"key": key, "label": label, "unit": "s", "samples": times[key]}
            for key, label in names.items()
        ]
        measurements.append(
            {
                "key": "unbounded/queued",
                "label": "items queued when the producer was done, unbounded",
                "unit": "",
                "samples": queued["unbounded"],
            }
        )
        inputs = {
            "items": ITEMS,
            "consumers": CONSUMERS,
            "work": WORK,
            "maxsize": MAXSIZE,
        }
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
