"""Cancelling futures: only a task that has not started can be cancelled.

A pool of one thread gets four tasks. Task 0 starts and blocks until the
main thread lets it go; tasks 1, 2 and 3 wait in the pool's queue. `cancel()`
fails on the running task and succeeds on a queued one;
`shutdown(cancel_futures=True)` cancels every task still queued. The running
task goes on to the end: nothing can stop a thread from outside.
"""

import concurrent.futures
import threading

started = threading.Event()
release = threading.Event()
ran = []  # the tasks that actually ran (list.append is atomic)


def task(n: int) -> str:
    ran.append(n)
    if n == 0:
        started.set()
        release.wait()  # stands in for long work
    return f"task {n} done"


# --8<-- [start:cancel]
def main() -> None:
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    futures = [pool.submit(task, n) for n in range(4)]
    started.wait()  # task 0 is running; 1, 2 and 3 are queued
    print(f"task 0 running: {futures[0].running()}")
    print(f"cancel() task 0 (running): {futures[0].cancel()}")
    print(f"cancel() task 1 (queued): {futures[1].cancel()}")
    try:
        futures[1].result()
    except concurrent.futures.CancelledError:
        print("task 1: result() raised CancelledError")
    pool.shutdown(wait=False, cancel_futures=True)
    cancelled = [n for n, future in enumerate(futures) if future.cancelled()]
    print(f"after shutdown(cancel_futures=True), cancelled: {cancelled}")
    release.set()  # only now can task 0 finish
    print(f"task 0: {futures[0].result()}")
    pool.shutdown()  # wait for the worker thread to end
    print(f"tasks that ran: {ran}")
    # --8<-- [end:cancel]


if __name__ == "__main__":
    main()
