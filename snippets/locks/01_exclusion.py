"""One thread at a time: a Lock around a read-modify-write, and an RLock.

Four threads deposit into one balance, each `+= 1` under a
`threading.Lock`: no deposit is lost. An `RLock` may be taken again by the
thread that holds it, so a method that holds it can call another that takes
it too. A plain `Lock` taken twice by one thread waits for itself: with a
timeout, the second `acquire` gives up and returns False.
"""

import threading

THREADS = 4
DEPOSITS = 10_000


# --8<-- [start:lock]
def deposit(account: dict, lock: threading.Lock, times: int) -> None:
    for _ in range(times):
        with lock:  # read, add, write: no other thread in between
            account["balance"] += 1
            # --8<-- [end:lock]


# --8<-- [start:rlock]
class Basket:
    def __init__(self) -> None:
        self.lock = threading.RLock()  # its owner may take it again
        self.items: list[str] = []

    def add(self, item: str) -> None:
        with self.lock:
            self.items.append(item)

    def add_all(self, items: list[str]) -> None:
        with self.lock:  # held here, and add() takes it again
            for item in items:
                self.add(item)
                # --8<-- [end:rlock]


def main() -> None:
    account, lock = {"balance": 0}, threading.Lock()
    threads = [
        threading.Thread(target=deposit, args=(account, lock, DEPOSITS))
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"Lock: {THREADS} threads x {DEPOSITS:,} deposits,"
        f" balance {account['balance']:,}"
    )

    basket = Basket()
    basket.add_all(["pen", "ink", "paper"])
    print(f"RLock: add_all() called add() under the lock: {basket.items}")

    # --8<-- [start:twice]
    plain = threading.Lock()
    plain.acquire()
    again = plain.acquire(timeout=0.1)  # waits for itself, then gives up
    print(f"Lock taken twice by one thread: acquire(timeout=0.1) -> {again}")
    # --8<-- [end:twice]
    plain.release()


if __name__ == "__main__":
    main()
