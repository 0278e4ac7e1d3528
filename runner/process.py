"""Running a snippet as a process: its own process group, a timeout, nothing left behind."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from runner.result import Result


def execute(
    snippet: Path, args: Sequence[str], timeout: float, python: str, env: dict, data_file: Path
) -> Result:
    """Run the file in a new process group; kill the whole group on timeout and after exit."""
    ran_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    start = time.perf_counter()
    process = subprocess.Popen(
        [python, str(snippet), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # Unbuffered, as a terminal would show it: lines appear in the order they were printed, by
        # the snippet and its child processes, and a snippet that hangs still shows how far it got.
        env={**os.environ, "PYTHONUNBUFFERED": "1", "SNIPPET_DATA": str(data_file)},
    )
    # Read both pipes in threads and wait for the process itself, not for the pipes to close:
    # a child the snippet left running would hold them open.
    output: dict[str, bytes] = {}
    readers = [
        threading.Thread(
            target=lambda name=name, pipe=pipe: output.update({name: pipe.read()}), daemon=True
        )
        for name, pipe in (("stdout", process.stdout), ("stderr", process.stderr))
    ]
    timed_out = False
    try:
        for reader in readers:
            reader.start()
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    except BaseException:  # Ctrl-C in `mkdocs serve`: the new session does not get the signal
        _kill_group(process.pid)
        raise
    seconds = time.perf_counter() - start
    left_behind = _end_group(process.pid, grace=0 if timed_out else 2.0)
    process.wait()
    for reader, pipe in zip(readers, (process.stdout, process.stderr), strict=True):
        # A process that left the group (setsid) could hold the pipes open: never wait forever.
        reader.join(timeout=10)
        if not reader.is_alive():
            pipe.close()
    return Result(
        snippet=snippet.as_posix(),
        args=list(args),
        stdout=output.get("stdout", b"").decode("utf-8", "replace"),
        stderr=output.get("stderr", b"").decode("utf-8", "replace"),
        returncode=process.returncode,
        seconds=seconds,
        ran_at=ran_at,
        environment=env,
        timed_out=timed_out,
        left_behind=0 if timed_out else left_behind,
        data=_read_data(data_file),
        python=python,
    )


def _read_data(data_file: Path) -> dict | str | None:
    """The snippet's JSON numbers; the text itself when it is not JSON, for `_check` to report."""
    try:
        text = data_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text[:200]


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _end_group(pgid: int, grace: float) -> int:
    """Give what the snippet started (pool workers, resource trackers) `grace` seconds to exit, then
    kill the group. Returns how many processes were still running then."""
    deadline = time.monotonic() + grace
    while (running := _group_size(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    _kill_group(pgid)
    return running


def _group_size(pgid: int) -> int:
    """How many processes of the group are running (zombies waiting to be reaped do not count)."""
    proc = Path("/proc")
    if not proc.is_dir():  # no /proc (macOS): all we can tell is whether the group is empty
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return 0
        return 1
    running = 0
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            running += int(fields[2]) == pgid and fields[0] != "Z"
    return running
