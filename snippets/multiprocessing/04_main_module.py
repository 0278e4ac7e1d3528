"""How often each start method runs the main module's top level again.

This file's top level (the code outside its functions and its guard) sleeps
for SETUP seconds, a stand-in for slow imports, and then, in a process that
imports the file for multiprocessing, writes that process's id to a log.
Under each start method the script starts one child to warm up (under
forkserver, that starts the server), then times CHILDREN more, one after
another, and reads the log: how many times the top level ran again, and in
which processes. A fork child is a copy and runs nothing again. A spawn
child is a fresh interpreter that imports the file. A forkserver child is a
fork of the server: since Python 3.13.8 and 3.14.1 the server imports the
file once, and its children inherit it; before, each child imported it.
"""

import json
import multiprocessing
import os
import statistics
import tempfile
import time

SETUP = 0.5  # seconds the top level takes
CHILDREN = 4  # timed children per start method, after one to warm up

# --8<-- [start:top]
# The top level: it runs when the script starts, and in every process that
# imports this file again. main() sets TOP_LEVEL_LOG before it starts any.
time.sleep(SETUP)  # stands in for slow imports and set-up
if log_path := os.environ.get("TOP_LEVEL_LOG"):
    with open(log_path, "a") as log:
        log.write(f"{os.getpid()}\n")
# --8<-- [end:top]


def nothing() -> None:
    pass


def start_and_join(context) -> tuple[int, float]:
    """Start a child that does nothing and wait for it: its pid, seconds."""
    start = time.perf_counter()
    child = context.Process(target=nothing)
    child.start()
    child.join()
    return child.pid, time.perf_counter() - start


def main() -> None:
    print(f"the top level sleeps {SETUP} s; each start method starts")
    print(f"1 child to warm up, then {CHILDREN} timed ones")
    measurements = []
    with tempfile.TemporaryDirectory() as folder:
        log_path = os.path.join(folder, "top-level.log")
        os.environ["TOP_LEVEL_LOG"] = log_path  # the children inherit it
        for method in multiprocessing.get_all_start_methods():
            open(log_path, "w").close()  # an empty log for this method
            context = multiprocessing.get_context(method)
            children = [start_and_join(context)[0]]  # the warm-up
            times = []
            for _ in range(CHILDREN):
                pid, seconds = start_and_join(context)
                children.append(pid)
                times.append(seconds)
            with open(log_path) as log:
                ran_in = [int(line) for line in log]
            # --8<-- [start:where]
            in_children = sum(pid in children for pid in ran_in)
            elsewhere = len(ran_in) - in_children
            where = [f"{in_children} in the {len(children)} children"]
            if elsewhere:
                where.append(f"{elsewhere} in the server")
            runs = f"{len(ran_in)} time" + ("" if len(ran_in) == 1 else "s")
            print(f"{method:>10}: top level ran {runs} ({', '.join(where)})")
            # --8<-- [end:where]
            median = statistics.median(times)
            print(f"{'':>10}  start + join of a child: {median * 1e3:.1f} ms")
            measurements += [
                {
                    "key": f"{method}/start",
                    "label": f"start + join, {method}",
                    "unit": "s",
                    "samples": times,
                },
                {
                    "key": f"{method}/runs",
                    "label": f"top-level runs, {method}",
                    "unit": "",
                    "samples": [len(ran_in)],
                },
                {
                    "key": f"{method}/in children",
                    "label": f"top-level runs in a child, {method}",
                    "unit": "",
                    "samples": [in_children],
                },
            ]
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        inputs = {"setup": SETUP, "children": CHILDREN + 1}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
