"""Running a snippet as a process: its own process group and temporary folder, a timeout, a memory
limit, and nothing left behind, wherever the snippet's processes moved."""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from runner.plan import still_running
from runner.result import MEMORY_LIMIT, Result

GRACE = 2.0
"""Seconds a snippet's processes get to end after it exits (pool workers, resource trackers)
before the runner kills them and fails the build."""
ALIVE_EVERY = 15.0
"""Seconds between two lines saying that a long run is still running."""
POLL = 0.25
"""Seconds between two looks at a running snippet's processes (their memory): a look reads
/proc, a few milliseconds, so a measuring snippet loses about 1 % of one CPU to it."""

_LINUX = sys.platform == "linux" and Path("/proc/self/stat").is_file()
_PR_SET_CHILD_SUBREAPER = 36  # prctl(2), Linux 3.4
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = 1 / os.sysconf("SC_CLK_TCK")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""What stops a build from outside, besides Ctrl-C: a cancelled CI job, `timeout` and `kill`
(SIGTERM), a closed terminal (SIGHUP)."""
# The guard: a shell that reads the snippet's process group, then waits for "done". If the build
# dies first, even of SIGKILL, its end of the pipe closes, the read ends empty, and the guard kills
# the group and removes the run's folder.
_GUARD = (
    'read group; read scratch; read end; [ "$end" = done ] '
    '|| { kill -9 "-$group"; rm -rf "$scratch"; }'
)


class Stopped(BaseException):
    """The build was told to stop (`STOP_SIGNALS`) while a snippet ran. A BaseException, as
    KeyboardInterrupt is: no `except Exception` on the way (markdown-exec's, MkDocs') may turn it
    into a page's error."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def dying_with_the_build() -> Iterator[None]:
    """While a snippet runs, SIGTERM and SIGHUP raise `Stopped` in the build: `execute` then kills
    every process of the snippet, the run's folder is removed and nothing is cached, and the build
    dies of the same signal, with the exit status its caller expects. Python handles signals in
    its main thread only; elsewhere (a `mkdocs serve` rebuild) the guard of `execute` is left."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    except Stopped as stopped:
        _restore(previous)
        signal.raise_signal(stopped.signum)  # the default action ends the process here
        raise
    finally:
        _restore(previous)


def _restore(handlers: dict) -> None:
    for number, handler in handlers.items():
        signal.signal(number, signal.SIG_DFL if handler is None else handler)


def execute(
    snippet: Path,
    args: Sequence[str],
    timeout: float,
    python: str,
    env: dict,
    scratch: Path,
    name: str = "",
) -> Result:
    """Run the file in a new process group, with `scratch` as its temporary folder; kill all its
    processes on timeout, past the memory limit, and after it exits."""
    ran_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    # The run's folder is its temporary folder too, with the data file in it: an interpreter that
    # runs in a container of its own (../shared/tools/python3.14) mounts TMPDIR, and so sees both.
    data_file = scratch / "data.json"
    folders = {name: str(scratch) for name in ("TMPDIR", "TEMP", "TMP")}
    guard = subprocess.Popen(
        ["sh", "-c", _GUARD],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    with _adopting_orphans():
        # What already descends from this process (a browser the tests drive, the guard) is never
        # the snippet's, even if it is orphaned, and so adopted, while the snippet runs.
        others = _descendants()
        worked = _machine_work()
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                [python, str(snippet), *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                # Unbuffered, as a terminal would show it: lines appear in the order they were
                # printed, by the snippet and its children, and a hung snippet shows how far it got.
                env={
                    **os.environ,
                    **folders,
                    "PYTHONUNBUFFERED": "1",
                    "SNIPPET_DATA": str(data_file),
                },
            )
        except BaseException:
            guard.communicate(b"")  # no group to watch: the guard ends
            raise
        guard.stdin.write(f"{process.pid}\n{scratch}\n".encode())
        guard.stdin.flush()
        output = _read_pipes(process)
        timed_out, memory, alive_at = False, 0, ALIVE_EVERY
        try:
            # Wait for the process itself, not for its pipes to close: a child it left running
            # would hold them open.
            while True:
                if _exited(process, within=POLL):
                    break
                if (elapsed := time.perf_counter() - start) > timeout:
                    timed_out = True
                    break
                if elapsed >= alive_at:  # a long measurement is visibly alive
                    still_running(name or str(snippet), elapsed)
                    alive_at += ALIVE_EVERY
                if (memory := _resident(_processes_of(process, others))) > MEMORY_LIMIT:
                    break
                memory = 0
            seconds = time.perf_counter() - start
            killed = timed_out or memory
            left_behind = _end(process, others, grace=0 if killed else GRACE)
        except BaseException:  # Ctrl-C (the new session does not get it), `Stopped`
            _kill_all(process, others)
            raise
        finally:
            guard.communicate(b"done\n")
        others_cpus = _others_cpus(worked, time.perf_counter() - start)
    for reader, pipe in zip(output.readers, (process.stdout, process.stderr), strict=True):
        # A process that escaped (no /proc to find it) could hold the pipes open: never wait
        # forever.
        reader.join(timeout=10)
        if not reader.is_alive():
            pipe.close()
    return Result(
        snippet=snippet.as_posix(),
        args=list(args),
        stdout=output.text.get("stdout", b"").decode("utf-8", "replace"),
        stderr=output.text.get("stderr", b"").decode("utf-8", "replace"),
        returncode=process.returncode,
        seconds=seconds,
        ran_at=ran_at,
        environment=env,
        timed_out=timed_out,
        left_behind=[] if killed else left_behind,
        over_memory=memory,
        data=_read_data(data_file),
        python=python,
        others_cpus=others_cpus,
    )


def _exited(process: subprocess.Popen, within: float) -> bool:
    """Whether the process exited within `within` seconds. Woken the moment it exits where Linux
    gives a pidfd (`Popen.wait(timeout)` polls, with sleeps growing to 50 ms: a quick snippet
    waited up to twice as long as it ran)."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # not Linux 5.3+, or already reaped
        pidfd = None
    if pidfd is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=within)
            return True
        return False
    try:
        select.select([pidfd], [], [], within)
    finally:
        os.close(pidfd)
    return process.poll() is not None


def _machine_work() -> tuple[float, float] | None:
    """Seconds of CPU time the whole machine has worked (on every CPU, including the time the
    hypervisor gave other guests: steal), and those this process and its reaped descendants have
    used; None where there is no /proc/stat."""
    if not _LINUX:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    ours = os.times()
    return (
        (user + nice + system + irq + softirq + steal) * _TICK,
        ours.user + ours.system + ours.children_user + ours.children_system,
    )


def _others_cpus(before: tuple[float, float] | None, seconds: float) -> float | None:
    """The CPUs' worth of work that everything but this build did while a snippet ran: other
    programs, and other guests of the hypervisor. Independent of the snippet, so a claim about
    parallel workers can check its condition (free CPUs) without trusting the workers' own
    figures."""
    after = _machine_work()
    if before is None or after is None or seconds <= 0:
        return None
    machine, ours = (a - b for a, b in zip(after, before, strict=True))
    return max(0.0, machine - ours) / seconds


class _Output:
    def __init__(self) -> None:
        self.text: dict[str, bytes] = {}
        self.readers: list[threading.Thread] = []


def _read_pipes(process: subprocess.Popen) -> _Output:
    """Read both pipes in threads, so that neither fills up while the snippet runs."""
    output = _Output()
    for name, pipe in (("stdout", process.stdout), ("stderr", process.stderr)):
        reader = threading.Thread(
            target=lambda name=name, pipe=pipe: output.text.update({name: pipe.read()}),
            daemon=True,
        )
        reader.start()
        output.readers.append(reader)
    return output


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


@contextlib.contextmanager
def _adopting_orphans() -> Iterator[None]:
    """While a snippet runs, this process adopts what the snippet orphans (a daemon that forks
    twice, or a child whose parent exits) instead of init: on Linux, a child subreaper. Every
    process the snippet starts then stays a descendant of this one, whatever session or process
    group it moves to, and can be found and killed."""
    libc = ctypes.CDLL(None, use_errno=True) if _LINUX else None
    adopting = bool(libc) and libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    try:
        yield
    finally:
        if adopting:
            libc.prctl(_PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def _table() -> dict[int, tuple[int, str, int]]:
    """Every process on the machine: {pid: (parent's pid, state, resident pages)}, from /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            table[int(stat.parent.name)] = (int(fields[1]), fields[0], int(fields[21]))
    return table


def _descendants() -> set[int]:
    """Every process that descends from this one (on Linux; none elsewhere)."""
    return _below(_table(), [os.getpid()]) - {os.getpid()} if _LINUX else set()


def _processes_of(process: subprocess.Popen, others: set[int]) -> dict[int, tuple[str, int]]:
    """The snippet's processes, {pid: (state, resident pages)}: the snippet and every process that
    descends from it or that this process adopted since it started (`others` descended from this
    process before). Only the snippet itself where there is no /proc."""
    if not _LINUX:
        return {process.pid: ("R", 0)}
    table, me = _table(), os.getpid()
    ours = [pid for pid, (parent, _, _) in table.items() if parent == me and pid not in others]
    return {pid: table[pid][1:] for pid in _below(table, ours)}


def _below(table: dict[int, tuple[int, str, int]], roots: list[int]) -> set[int]:
    """The processes `roots` and every process that descends from them."""
    children = defaultdict(list)
    for pid, (parent, _, _) in table.items():
        children[parent].append(pid)
    found: set[int] = set()
    while roots:
        pid = roots.pop()
        if pid not in found:
            found.add(pid)
            roots.extend(children[pid])
    return found


def _resident(processes: dict[int, tuple[str, int]]) -> int:
    return sum(pages for _, pages in processes.values()) * _PAGE


def _running(process: subprocess.Popen, others: set[int]) -> list[int]:
    """The snippet's processes that are still running (zombies waiting to be reaped do not count);
    where there is no /proc, the group's leader if the group is not empty."""
    if not _LINUX:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [process.pid]
    return [pid for pid, (state, _) in _processes_of(process, others).items() if state != "Z"]


def _describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        command = ""
    return f"pid {pid}: {command.strip()[:120] or '?'}"


def _end(process: subprocess.Popen, others: set[int], grace: float) -> list[str]:
    """Give what the snippet started (pool workers, resource trackers) `grace` seconds to exit,
    then kill every process it left. Returns those that were still running then."""
    deadline = time.monotonic() + grace
    while (running := _running(process, others)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [_describe(pid) for pid in running if pid != process.pid]
    _kill_all(process, others)
    return left


def _kill_all(process: subprocess.Popen, others: set[int]) -> None:
    """Kill the snippet's group and every process it started, and reap the ones this process
    adopted, until none is left (a process may fork while its siblings die)."""
    deadline = time.monotonic() + 10
    while True:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        left = _processes_of(process, others) if _LINUX else {}
        for pid, (state, _) in left.items():
            if pid == process.pid:
                continue  # Popen waits for its own child
            if state != "Z":
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # an adopted one is this process's to reap
        process.wait()
        if not (set(left) - {process.pid}) or time.monotonic() > deadline:
            return
        time.sleep(0.02)
