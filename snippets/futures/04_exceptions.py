"""An exception in a task comes back through `result()`.

A task that raises does not crash the pool or print anything: the
exception is stored in its future. `result()` raises it again in the
caller, `exception()` returns it without raising, and iterating the results
of `map` raises it at that task's place, ending the loop there. A process
pool sends the exception back pickled, with the worker's traceback as text.
"""

import concurrent.futures
import traceback

INPUTS = ["1", "2", "three", "4"]


# --8<-- [start:result]
def parse(text: str) -> int:
    return int(text)  # int("three") raises ValueError


def main() -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(parse, text) for text in INPUTS]
        for text, future in zip(INPUTS, futures, strict=True):
            try:
                print(f"{text!r}: result() returned {future.result()!r}")
            except ValueError as error:
                print(f"{text!r}: result() raised {error!r}")
                # exception() waits like result(), and returns the error
                same = future.exception() is error
                print(f"  exception() is that error: {same}")
                frame = traceback.extract_tb(error.__traceback__)[-1]
                print(f"  its traceback ends in the task: {frame.name}()")
        # --8<-- [end:result]
        # --8<-- [start:map]
        results, got = pool.map(parse, INPUTS), []
        try:
            for value in results:
                got.append(value)
        except ValueError as error:
            print(f"map gave {got}, then raised {error!r}")
        # --8<-- [end:map]
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as processes:
        try:
            processes.submit(parse, "three").result()
        except ValueError as error:
            print(f"from a process: {error!r}")
            remote = str(error.__cause__)  # the worker's traceback, as text
            found = "in parse" in remote
            print(f"  __cause__ has the worker's traceback: {found}")


if __name__ == "__main__":
    main()
