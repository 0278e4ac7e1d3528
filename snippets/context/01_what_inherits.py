"""What code run elsewhere sees of a ContextVar and a threading.local.

The caller sets a `contextvars.ContextVar` and an attribute of a
`threading.local` to "r-42", then reads both from code it runs in a new
`threading.Thread`, in `ThreadPoolExecutor` tasks, in an asyncio task,
through `asyncio.to_thread` and through `loop.run_in_executor`.

From Python 3.14 the flag `sys.flags.thread_inherit_context` decides how a
new `threading.Thread` starts: with a copy of the context of the code that
calls `start()` (flag on), or with an empty context (flag off). The script
runs itself again with the flag set the other way
(`-X thread_inherit_context=0` or `=1`) to show both columns. Before 3.14
there is no flag, and a new thread starts with an empty context.
"""

import asyncio
import contextvars
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

UNSET = "-"
request = contextvars.ContextVar("request", default=UNSET)
local = threading.local()


def seen() -> tuple[str, str]:
    """What this code sees: the ContextVar, and the threading.local's."""
    return request.get(), getattr(local, "request", UNSET)


def set_both(value: str) -> None:
    request.set(value)
    local.request = value


# --8<-- [start:threads]
def new_thread() -> tuple[str, str]:
    result = []
    thread = threading.Thread(target=lambda: result.append(seen()))
    thread.start()  # the flag decides: a copy of this context, or none
    thread.join()
    return result[0]


def pool_task() -> tuple[str, str]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(seen).result()


def worker_started_earlier() -> tuple[str, str]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        context = contextvars.copy_context()
        context.run(request.set, "r-41")
        # The first submit starts the worker thread, here under "r-41".
        context.run(pool.submit, seen).result()
        return pool.submit(seen).result()  # the caller now has "r-42"


def after_another_task() -> tuple[str, str]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(set_both, "t-1").result()  # set in the worker
        return pool.submit(seen).result()  # the same worker's next task


def copied_context() -> tuple[str, str]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(set_both, "t-1").result()
        # Run the task in a copy of the caller's context: what to_thread does
        context = contextvars.copy_context()
        return pool.submit(context.run, seen).result()
        # --8<-- [end:threads]


# --8<-- [start:asyncio]
async def asyncio_task() -> tuple[str, str]:
    async def read() -> tuple[str, str]:
        return seen()

    return await asyncio.create_task(read())  # a copy of this context


async def to_thread() -> tuple[str, str]:
    return await asyncio.to_thread(seen)  # a copy, run in a pool thread


async def run_in_executor() -> tuple[str, str]:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, seen)  # no copy
    # --8<-- [end:asyncio]


WHERE = {  # short labels: the output is read on phones
    "threading.Thread": new_thread,
    "pool, new worker": pool_task,
    " worker from r-41": worker_started_earlier,
    " after a task: t-1": after_another_task,
    " copy_context().run": copied_context,
    "asyncio task": lambda: asyncio.run(asyncio_task()),
    "asyncio.to_thread": lambda: asyncio.run(to_thread()),
    "run_in_executor": lambda: asyncio.run(run_in_executor()),
}


def observe() -> dict[str, tuple[str, str]]:
    """Each place's view, with r-42 set in the caller (a fresh pool or
    event loop each time, so that no worker thread is reused)."""
    set_both("r-42")
    return {where: run() for where, run in WHERE.items()}


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(observe()))  # for the parent process
        return
    flag = getattr(sys.flags, "thread_inherit_context", None)
    here = observe()
    if flag is None:
        other = None
    else:
        # Run again with the flag set the other way.
        option = f"thread_inherit_context={1 - flag}"
        child = subprocess.run(
            [sys.executable, "-X", option, __file__, "--child"],
            capture_output=True,
            text=True,
            check=True,
        )
        other = json.loads(child.stdout)
    off = here if not flag else other
    on = here if flag else other
    print("The caller set a ContextVar and a")
    print("threading.local attribute to r-42. What")
    print("the code saw (- for not set), with the flag")
    print("thread_inherit_context off and on:")
    print(f"{'':20} {'ContextVar':11} local")
    print(f"{'':20} {'off':5} on")
    for where in WHERE:
        with_flag = on[where][0] if on else "n/a"
        print(f"{where:20} {off[where][0]:5} {with_flag:5} {here[where][1]}")
    if flag is None:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        print("thread_inherit_context by default: none")
        print(f"other column: n/a (Python {version}; new in 3.14)")
    else:
        print(f"thread_inherit_context by default: {flag}")
        print(f"other column: -X {option}")
    # The site's build sets SNIPPET_DATA to quote this very run; a reader
    # can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        notes = {"flag": "none" if flag is None else str(flag)}
        with open(path, "w") as file:
            json.dump({"measurements": [], "notes": notes}, file)


if __name__ == "__main__":
    main()
