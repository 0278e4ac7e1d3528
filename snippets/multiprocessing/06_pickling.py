"""A function the workers cannot import: meant to fail.

A process pool sends each task to a worker as a pickle, and a function is
pickled by reference: its module and its name, for the worker to import.
A top-level function works. A function defined inside another function (a
lambda here) has no name a worker can import, so `pool.map` fails in the
parent before any worker runs it, under every start method.

`Process(target=...)` is different: *fork* copies the target along with the
whole parent and pickles nothing, so a local function works there; *spawn*
and *forkserver* must pickle it, and fail. That is how code that ran under
fork, the default on Linux up to Python 3.13, can break on 3.14.

The script prints each failure's type and then its message, since both
changed between Python versions, and ends with exit status 1.
"""

import multiprocessing
import sys


def square(n: int) -> int:
    return n * n


def main() -> None:
    def local_square(n: int) -> int:
        return n * n

    for method in multiprocessing.get_all_start_methods():
        child = multiprocessing.get_context(method).Process(
            target=local_square, args=(3,)
        )
        try:
            child.start()
            child.join()
            print(f"Process(target=local function), {method}: ran")
        except Exception as error:
            print(
                f"Process(target=local function), {method}:"
                f" failed with {type(error).__name__}"
            )
            print(f"  {error}")

    # --8<-- [start:pool]
    with multiprocessing.Pool(processes=2) as pool:
        print(f"top-level function: {pool.map(square, range(5))}")
        try:
            print(pool.map(lambda n: n * n, range(5)))
        except Exception as error:
            print(f"lambda: failed with {type(error).__name__}")
            print(f"  {error}")
            sys.exit(1)
    # --8<-- [end:pool]


if __name__ == "__main__":
    main()
