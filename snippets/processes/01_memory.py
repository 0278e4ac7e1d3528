"""A thread writes to the program's memory; a process writes to its copy.

A thread and then a process under each start method run the same function:
it records its name in a module-level dict. The main program sees the
thread's write, but never a process's: a process writes to its own copy of
the dict, which vanishes when it exits. What a process finds in its copy
depends on the start method: fork copies the parent's memory as it is;
spawn and forkserver start a fresh interpreter that imports this file again.
"""

import multiprocessing
import threading

data = {"written by": "nobody"}


# --8<-- [start:write]
def write(name: str) -> None:
    found = data["written by"]  # the module-level dict, as this worker sees it
    data["written by"] = name
    print(f"  in the {name}: found {found!r}, wrote {name!r}", flush=True)
    # --8<-- [end:write]


def main() -> None:
    print(f"main, before: {data}")

    thread = threading.Thread(target=write, args=("thread",))
    thread.start()
    thread.join()
    print(f"main, after the thread: {data}", flush=True)

    for method in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context(method)
        name = f"process ({method})"
        process = context.Process(target=write, args=(name,))
        process.start()
        process.join()
        print(f"main, after the {name}: {data}", flush=True)


if __name__ == "__main__":
    main()
