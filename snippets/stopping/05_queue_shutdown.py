"""Ctrl-C and a queue of work: `Queue.shutdown(immediate=True)` (3.13+).

The main thread queues 40 items for 3 consumer threads, which take 20 ms
each; SIGINT arrives after 100 ms. On `KeyboardInterrupt` the main thread
calls `shutdown(immediate=True)`: the queue drops the items still in it, and
every `get()`, waiting or to come, raises `queue.ShutDown`, so each
consumer ends after the item in hand. On a Python without `shutdown()`
(before 3.13) the script empties the queue itself and puts one sentinel per
consumer, which is what `shutdown()` saves you from writing. The main thread
waits in `Queue.join()`, not in `Thread.join()`: before 3.13, a
`Thread.join()` that Ctrl-C interrupts marks the thread as ended, and the
next `join()` returns before the thread does.
"""

import os
import queue
import signal
import sys
import threading
import time

CONSUMERS = 3
ITEMS = 40
ITEM_TIME = 0.02
SIGNAL_AFTER = 0.1
STOP = object()  # the sentinel, where the queue has no shutdown()


# --8<-- [start:consumer]
def consumer(work: queue.Queue, done: list) -> None:
    while True:
        try:
            item = work.get()
        except getattr(queue, "ShutDown", ()):  # 3.13+: shut down
            return
        if item is STOP:  # before 3.13: a sentinel
            return
        time.sleep(ITEM_TIME)  # stands in for the work
        done.append(item)
        work.task_done()
        # --8<-- [end:consumer]


# --8<-- [start:stop]
def stop(work: queue.Queue) -> str:
    if hasattr(work, "shutdown"):
        work.shutdown(immediate=True)
        return "shutdown(immediate=True)"
    while True:  # before 3.13: empty the queue, then a sentinel each
        try:
            work.get_nowait()
        except queue.Empty:
            break
        work.task_done()
    for _ in range(CONSUMERS):
        work.put(STOP)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"sentinels ({version} has no Queue.shutdown)"
    # --8<-- [end:stop]


def main() -> None:
    # Python's own Ctrl-C handler, in case whoever started this script
    # ignored SIGINT (a background job of a non-interactive shell does).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    work, done, sent = queue.Queue(), [], []

    def ctrl_c() -> None:
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(SIGNAL_AFTER, ctrl_c)
    timer.start()
    threads = [
        threading.Thread(target=consumer, args=(work, done))
        for _ in range(CONSUMERS)
    ]
    for thread in threads:
        thread.start()
    # --8<-- [start:main]
    try:
        for item in range(ITEMS):
            work.put(item)
        work.join()  # until every item is done, or Ctrl-C
        print("all done before Ctrl-C")
    except KeyboardInterrupt:
        print("Ctrl-C")
    finally:
        timer.cancel()  # the script's own Ctrl-C, if still to come
        how = stop(work)
        for thread in threads:
            thread.join()
    # --8<-- [end:main]
    if sent:
        took = time.perf_counter() - sent[0]
        print(f"{how} stopped the consumers,")
        print(f"which ended {took * 1000:.0f} ms after the signal,")
        print(f"having done {len(done)} of {ITEMS} items")


if __name__ == "__main__":
    main()
