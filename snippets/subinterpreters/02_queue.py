"""Pass data between interpreters through queues.

A queue from `concurrent.interpreters.create_queue()` (new in Python 3.14)
carries data from one interpreter to another: here numbers to a worker
interpreter, running in a thread of its own, and their squares back.
`prepare_main()` binds the queues to names in the worker's `__main__`.

On a Python without the module, the script says so.
"""

import sys
import threading

try:
    from concurrent import interpreters
except ImportError:  # before 3.14
    interpreters = None

# Source code that a worker interpreter runs: it takes numbers from `tasks`
# and puts their squares on `results` until it gets None.
# --8<-- [start:worker]
WORKER = """
while (n := tasks.get()) is not None:
    results.put(n * n)
"""
# --8<-- [end:worker]


def main() -> None:
    if interpreters is None:
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        print(f"queue: not in Python {version} (new in 3.14)")
        return
    # --8<-- [start:queue]
    tasks, results = interpreters.create_queue(), interpreters.create_queue()
    worker = interpreters.create()
    worker.prepare_main(tasks=tasks, results=results)  # bind its globals
    thread = threading.Thread(target=worker.exec, args=(WORKER,))
    thread.start()  # the worker runs in this thread, with its own GIL
    for n in range(5):
        tasks.put(n)
    tasks.put(None)
    squares = [results.get(timeout=5) for _ in range(5)]
    thread.join()
    worker.close()
    # --8<-- [end:queue]
    print(f"queue: squares {squares} from a worker interpreter")


if __name__ == "__main__":
    main()
