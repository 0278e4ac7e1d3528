"""A worker dies, the program waits forever: `threading.excepthook`.

A consumer thread takes items from a queue; item 3 raises. An exception
that ends a thread does not reach the main thread: by default
`threading.excepthook` prints it to stderr (captured here, to show its
first and last lines) and the thread is gone, while the main thread goes on
waiting for work that nobody will do. The script waits half a second to
show it, where a real program would wait forever.

A hook of your own can tell the main thread: here it records the
exception and sets an Event, which ends the wait at once.
"""

import contextlib
import io
import queue
import threading
import time

ITEMS = 6
PATIENCE = 0.5  # seconds the script waits to show that nothing comes


def consume(work: queue.Queue, done: threading.Event) -> None:
    for _ in range(ITEMS):
        item = work.get()
        if item == 3:
            raise ValueError(f"item {item} is bad")  # a bug
        time.sleep(0.01)  # stands in for the work
    done.set()


def run(done: threading.Event) -> threading.Thread:
    work = queue.Queue()
    for item in range(ITEMS):
        work.put(item)
    consumer = threading.Thread(
        target=consume, args=(work, done), name="consumer"
    )
    consumer.start()
    return consumer


def main() -> None:
    # --8<-- [start:default]
    done = threading.Event()
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):  # where the default hook prints
        consumer = run(done)
        finished = done.wait(timeout=PATIENCE)  # a real program: done.wait()
    lines = stderr.getvalue().splitlines()
    print(f"default hook printed {len(lines)} lines to stderr, from")
    print(f"  {lines[0]}\n  to\n  {lines[-1]}")
    print(f"work finished: {finished}; consumer alive: {consumer.is_alive()}")
    # --8<-- [end:default]

    # --8<-- [start:hook]
    failed = []
    over = threading.Event()  # set when the work is done, or has failed

    def tell_main(args: threading.ExceptHookArgs) -> None:
        failed.append(
            f"{args.thread.name}: {args.exc_type.__name__}: {args.exc_value}"
        )
        over.set()

    threading.excepthook = tell_main
    start = time.perf_counter()
    run(over)
    over.wait()  # no timeout needed: the hook ends the wait
    took = time.perf_counter() - start
    print(f"with a hook: {failed[0]}")
    print(f"  the main thread knew {took * 1000:.0f} ms after the start")
    # --8<-- [end:hook]


if __name__ == "__main__":
    main()
