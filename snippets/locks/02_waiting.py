"""Waiting for a state: a Condition, and an Event.

A `threading.Condition` pairs a lock with a wait: the consumer waits, with
the lock released, until the list of orders is not empty; the producer
appends under the same lock and notifies. A `threading.Event` is a flag
that threads wait on: the worker starts once the main thread has set it.
"""

import threading
import time

ORDERS = ["tea", "coffee", "cake"]


# --8<-- [start:condition]
def serve(ready: threading.Condition, orders: list, served: list) -> None:
    for _ in range(len(ORDERS)):
        with ready:
            ready.wait_for(lambda: orders)  # lock released while it waits
            served.append(orders.pop(0))


def take_orders(ready: threading.Condition, orders: list) -> None:
    for order in ORDERS:
        with ready:
            orders.append(order)
            ready.notify()  # wake one thread waiting on `ready`
            # --8<-- [end:condition]


# --8<-- [start:event]
def worker(loaded: threading.Event, log: list) -> None:
    loaded.wait()  # blocks until set(); returns at once after that
    log.append("worker starts")


def start(log: list) -> None:
    loaded = threading.Event()
    thread = threading.Thread(target=worker, args=(loaded, log))
    thread.start()
    time.sleep(0.05)  # loading the configuration, say
    log.append("configuration loaded")
    loaded.set()  # wakes every thread waiting, now and later
    thread.join()
    # --8<-- [end:event]


def main() -> None:
    ready = threading.Condition()
    orders: list[str] = []
    served: list[str] = []
    waiter = threading.Thread(target=serve, args=(ready, orders, served))
    waiter.start()
    take_orders(ready, orders)
    waiter.join()
    print(f"Condition: served {', '.join(served)}")

    log: list[str] = []
    start(log)
    print(f"Event: {', then '.join(log)}")


if __name__ == "__main__":
    main()
