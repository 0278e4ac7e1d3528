"""The fix: every thread takes the two locks in one global order.

Four threads move money between two accounts, two from a to b and two from
b to a, thousands of times. Each transfer takes both accounts' locks, but
always the account with the lower rank first, whichever way the money
goes, so no thread can hold the second lock while waiting for the first.
A `time.sleep(0)` between the two acquisitions lets other threads run at
the very point where the opposite orders deadlocked. The same watchdog as
before would end the process if the threads got stuck; they finish.
"""

import faulthandler
import os
import sys
import threading
import time

TRANSFERS = 2_000  # per thread
WAIT = 10.0  # seconds the watchdog gives the threads


class Account:
    def __init__(self, name: str, rank: int, balance: int) -> None:
        self.name, self.rank, self.balance = name, rank, balance
        self.lock = threading.Lock()


# --8<-- [start:order]
def transfer(source: Account, target: Account, amount: int) -> None:
    first, second = sorted((source, target), key=lambda acc: acc.rank)
    with first.lock:  # the lower rank first, whichever way money goes
        time.sleep(0)  # let other threads run here, where it deadlocked
        with second.lock:
            source.balance -= amount
            target.balance += amount
            # --8<-- [end:order]


def transfers(source: Account, target: Account) -> None:
    for _ in range(TRANSFERS):
        transfer(source, target, 1)


def main() -> None:
    a, b = Account("a", 1, 100), Account("b", 2, 100)
    threads = [
        threading.Thread(target=transfers, args=pair)
        for pair in ((a, b), (b, a), (a, b), (b, a))
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + WAIT
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        print(f"Stuck after {WAIT:g} s:")
        sys.stdout.flush()
        faulthandler.dump_traceback(file=sys.stdout, all_threads=True)
        os._exit(1)
    done = len(threads) * TRANSFERS
    print(f"{len(threads)} threads, {done:,} transfers both ways: all done")
    print(f"balances: a {a.balance}, b {b.balance} (both started at 100)")


if __name__ == "__main__":
    main()
