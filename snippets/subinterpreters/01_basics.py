"""Create an interpreter, run code in it, and pass data through a queue.

`concurrent.interpreters` (new in Python 3.14) starts interpreters inside
this process. Each has its own modules, its own globals and its own GIL:
nothing is shared unless it is passed. `exec` runs source code in one,
`call` calls a function there and brings its result back, and a queue from
`create_queue()` carries data between interpreters, here to a worker
interpreter running in a thread of its own.

On a Python without the module, the script says so on each line.
"""

import os
import sys
import threading

try:
    from concurrent import interpreters
except ImportError:  # before 3.14
    interpreters = None


in_main = "a global of the main interpreter"


def square(n: int) -> int:
    """Uses no globals, so an interpreter can run it as it is."""
    return n * n


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
        for what in ("exec", "isolated", "call", "queue"):
            print(f"{what}: not in Python {version} (new in 3.14)")
        return
    # --8<-- [start:exec]
    interp = interpreters.create()
    interp.exec("answer = 6 * 7")  # a global of the new interpreter
    interp.exec("import os; print('exec: answer =', answer, os.getpid())")
    try:
        interp.exec("print(in_main)")  # a global of this module only
    except interpreters.ExecutionFailed as error:
        print(f"isolated: {error.excinfo.type.__name__}: {error.excinfo.msg}")
    print(f"call: square(7) = {interp.call(square, 7)}, back in {os.getpid()}")
    # --8<-- [end:exec]
    interp.close()

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
