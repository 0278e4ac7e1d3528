"""A stuck asyncio program, seen from outside: `python -m asyncio pstree`.

The script starts a copy of itself as a child: an asyncio program whose two
tasks wait, inside a TaskGroup, for an Event that nobody sets. It is stuck,
and says nothing. Python 3.14 can list a running process's tasks from
another process: `python -m asyncio ps PID` prints a table of the tasks,
`python -m asyncio pstree PID` the tree of who awaits whom, with the file
and line where each waits. Reading another process's memory needs the
permissions a debugger needs (on Linux, ptrace's): the child allows it, as
`setpriv --ptracer any` would. The script runs `pstree` on its child and
prints, for each task, the first place in this script where it waits (the
tree also shows asyncio's own frames).

Before 3.14 nothing outside can tell; a program can answer for itself if
it was written to: the child prints its tasks on SIGUSR1, with
`asyncio.all_tasks()`. On a Python without `pstree`, or where `pstree` is
refused, the script asks that.
"""

import asyncio
import ctypes
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys


def print_tasks() -> None:
    """Each task, and where its coroutine waits (the child runs this on
    SIGUSR1)."""
    for task in sorted(asyncio.all_tasks(), key=asyncio.Task.get_name):
        frame = task.get_coro().cr_frame
        where = f"{frame.f_code.co_name}(), line {frame.f_lineno}"
        print(f"  {task.get_name()}: waits in {where}")
    print("end", flush=True)


def allow_debuggers() -> None:
    """Let other processes of this user read this one, as `setpriv --ptracer
    any` does: where Linux's Yama is on (ptrace_scope 1, in some
    distributions), only a process's ancestors, or root, may otherwise."""
    if sys.platform == "linux":
        prctl = ctypes.CDLL(None).prctl
        prctl(0x59616D61, ctypes.c_ulong(-1), 0, 0, 0)  # PR_SET_PTRACER, ANY


# --8<-- [start:stuck]
async def wait_for(event: asyncio.Event) -> None:
    await event.wait()  # nobody ever sets it


async def stuck() -> None:
    allow_debuggers()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, print_tasks)  # for old Pythons
    never = asyncio.Event()
    async with asyncio.TaskGroup() as group:
        group.create_task(wait_for(never), name="fetch-users")
        group.create_task(wait_for(never), name="fetch-orders")
        await asyncio.sleep(0)  # both tasks are now waiting
        print("ready", flush=True)
        # --8<-- [end:stuck]


# --8<-- [start:pstree]
def pstree(pid: int) -> list:
    tree = subprocess.run(
        [sys.executable, "-m", "asyncio", "pstree", str(pid)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    tree.check_returncode()
    # Lines "(T) name" start a task; then come its frames, innermost last:
    # "function path:line". Keep each task's first frame in this script.
    places, task = {}, None
    for line in tree.stdout.splitlines():
        if found := re.search(r"\(T\) (.+)$", line):
            task = found[1]
        elif (found := re.search(r"(\S+) (\S+):(\d+)$", line)) and task:
            function, path, number = found.groups()
            if path == __file__ and task not in places:
                name = function.rsplit(".", 1)[-1]
                places[task] = f"{name}(), line {number}"
    return [f"  {task}: waits in {places[task]}" for task in sorted(places)]
    # --8<-- [end:pstree]


def ask_the_child(child: subprocess.Popen) -> None:
    print("so the child answers SIGUSR1, with asyncio.all_tasks():")
    child.send_signal(signal.SIGUSR1)
    for line in iter(child.stdout.readline, "end\n"):
        print(line, end="")


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        asyncio.run(stuck())
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--child"],
        stdout=subprocess.PIPE,
        text=True,
    )
    outside = False
    try:
        assert child.stdout.readline() == "ready\n"
        if importlib.util.find_spec("asyncio.tools") is None:
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            print(f"Python {version} has no python -m asyncio pstree (3.14+),")
            ask_the_child(child)
        else:
            try:
                places = pstree(child.pid)
                said = "it read no task"
            except subprocess.CalledProcessError as error:
                places = []
                said = (error.stderr.strip().splitlines() or ["(nothing)"])[-1]
            if places:
                outside = True
                command = f"python -m asyncio pstree {child.pid}"
                print(f"{command}, from outside; for each")
                print("task, the first place in this script where it waits:")
                print("\n".join(places))
            else:
                print(f"python -m asyncio pstree failed: {said[:40]}")
                ask_the_child(child)
    finally:
        child.kill()  # the stuck program would wait forever
        child.communicate()

    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        read = {"key": "pstree", "label": "tasks read by pstree", "unit": ""}
        read["samples"] = [int(outside)]
        with open(path, "w") as file:
            json.dump({"measurements": [read]}, file)


if __name__ == "__main__":
    main()
