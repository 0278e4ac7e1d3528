"""Run the site's snippets as real processes and show their output on a page.

A page includes a snippet's source with `pymdownx.snippets` and shows its output with a
markdown-exec block (`python exec="on" html="1"`) that prints
[`run_snippet`][runner.run_snippet]`("snippets/...")`.

The snippet runs exactly as a reader would run it (`python snippets/...` from the repository root,
with the build's own interpreter), in its own process group, with a timeout. Its output is shown
escaped, with the environment it ran in. Anything unexpected (a non-zero exit, a timeout, a word on
stderr, a missing file) raises [`SnippetError`][runner.SnippetError], which fails the strict build
with a message naming the page and the snippet.

A snippet that measures something can also hand the build its numbers: when `SNIPPET_DATA` is
set, it writes them there as JSON (see [`Result.data`][runner.Result.data]). Pages turn them into
tables, charts, sentences and checked claims with [`measure`][runner.measure] and
[`claim`][runner.claim].

Results are cached on disk so that `mkdocs serve` stays fast; see [`run`][runner.run] for what the
cache key covers. Set `SNIPPETS_FRESH=1` to ignore the cache (the hosted build does).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime
import fcntl
import functools
import hashlib
import html
import json
import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = [
    "FREE_CPUS",
    "Compared",
    "Measured",
    "Result",
    "SnippetError",
    "Stat",
    "claim",
    "compare",
    "interpreters",
    "measure",
    "not_checked",
    "readable",
    "render",
    "run",
    "run_snippet",
    "check_interpreters",
    "snippet_python",
    "speed_up_claim",
]

DEFAULT_TIMEOUT = 120.0
"""Seconds a snippet may run before its whole process group is killed."""
MAX_LINES = 200
"""Output longer than this is cut on the page, with a note saying so."""
MAX_CHARS = 20_000
"""Output longer than this is cut on the page, with a note saying so."""
CACHE_FORMAT = 3
"""Bumped whenever a cache entry's layout or meaning changes."""
UNITS = {
    "s": (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)),
    "B": (("GiB", 2.0**30), ("MiB", 2.0**20), ("KiB", 2.0**10), ("B", 1.0)),
    "": (("", 1.0),),
}
"""The units a measurement may have in a snippet's data (seconds, bytes, a plain number), each
with the scales it is shown in, largest first."""

_log = logging.getLogger("mkdocs.runner")
ROOT = Path(__file__).resolve().parent.parent

# The page being rendered, set by the MkDocs hook so that an error can name it.
_page: str | None = None
_failures: list[str] = []
# Results this build ran, by cache entry: a snippet that two pages quote runs once per build.
_ran_in_this_build: dict[str, Result] = {}

# Runs in the snippet's interpreter: what the page prints beside the output.
_PROBE = """
import json, multiprocessing, os, platform, sys, sysconfig
cpus = getattr(os, "process_cpu_count", None)
if cpus is None:
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = (lambda: len(affinity(0))) if affinity else os.cpu_count
print(json.dumps({
    "implementation": platform.python_implementation(),
    "version": platform.python_version(),
    "free_threaded": sysconfig.get_config_var("Py_GIL_DISABLED") == 1,
    "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True,
    "cpus": cpus(),
    "start_method": multiprocessing.get_start_method(),
    "system": f"{platform.system()} {platform.machine()}",
}))
"""


# Runs in an interpreter the build will use: which of the modules it is given it cannot import.
_IMPORTS = """
import importlib, json, sys
missing = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError:
        missing.append(name)
print(json.dumps(missing))
"""


class SnippetError(Exception):
    """A snippet did not run as its page expects; the message names the page and the snippet."""


@dataclasses.dataclass(frozen=True)
class Result:
    """One run of a snippet, as shown on a page and stored in the cache."""

    snippet: str
    """The snippet's path, relative to the repository root."""
    args: list[str]
    """The command-line arguments it was given."""
    stdout: str
    stderr: str
    returncode: int
    seconds: float
    """Wall time of the whole process, start to exit."""
    ran_at: str
    """When it ran, ISO 8601 in UTC."""
    environment: dict
    """What [`environment`][runner.environment] reported for the interpreter that ran it."""
    timed_out: bool = False
    """True when it ran past its timeout and was killed."""
    left_behind: int = 0
    """How many processes it left running after it exited (killed by the runner)."""
    cached: bool = False
    """True when this result was read from the cache rather than run by this build."""
    data: dict | None = None
    """The numbers the snippet wrote to the file named by `SNIPPET_DATA`, if it wrote any:
    `{"measurements": [{"key", "label", "unit", "samples", ...}], "notes": {...}}` (see
    [`Stat`][runner.Stat] for the fields). Its stdout is the same either way."""
    python: str = ""
    """The interpreter that ran it, as configured (a command on PATH or a path)."""


def run_snippet(
    path: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    expect_failure: bool = False,
    args: Sequence[str] = (),
) -> str:
    """Run a snippet (or take its cached result) and return the HTML a page shows.

    Call it from a markdown-exec block with `html="1"` and print what it returns.

    Args:
        path: The snippet, relative to the repository root, e.g. `"snippets/cost/01_sleepers.py"`.
        timeout: Seconds before the snippet's process group is killed and the build fails.
        expect_failure: The snippet teaches an error: it must exit non-zero, and exiting 0 fails.
        args: Command-line arguments passed to the snippet.

    Raises:
        SnippetError: The snippet is missing, timed out, exited unexpectedly or wrote to stderr.
    """
    try:
        result = run(path, timeout=timeout, expect_failure=expect_failure, args=args)
    except SnippetError as error:
        fail(str(error))
    return render(result)


def run(
    path: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    expect_failure: bool = False,
    args: Sequence[str] = (),
    python: str | None = None,
) -> Result:
    """Run a snippet as a process of [`snippet_python`][runner.snippet_python] (or of `python`,
    one of [`interpreters`][runner.interpreters]), or return its cached result.

    The cache key covers the snippet's bytes, its arguments, whether it is expected to fail, the
    interpreter and its environment (version, build, CPUs), the machine, and the versions of every
    installed package. A cache entry that cannot be read is ignored and the snippet runs again.
    Only successful runs are cached. With `SNIPPETS_FRESH=1` the cache is not read, but a snippet
    that several pages quote still runs once in a build: every page shows the same run. Snippets
    never run at the same time as one another, even across processes (a lock file in the cache
    directory), so that measurements do not disturb each other.
    """
    snippet = Path(path)
    if not snippet.is_file():
        raise SnippetError(f"snippet {path}: no such file")
    python = python or snippet_python()
    env = environment(python)
    entry = _cache_dir() / f"{_cache_key(snippet, args, expect_failure, python, env)}.json"
    if entry.name in _ran_in_this_build:  # two pages quote one run, even when fresh
        return _ran_in_this_build[entry.name]
    fresh = os.environ.get("SNIPPETS_FRESH", "") not in ("", "0")
    if not fresh and (cached := _read_cache(entry, expect_failure, timeout)) is not None:
        return cached
    with _run_alone(), tempfile.TemporaryDirectory(prefix="snippet-") as scratch:
        result = _execute(snippet, args, timeout, python, env, Path(scratch) / "data.json")
    _check(result, expect_failure, timeout)
    _write_cache(entry, result)
    _ran_in_this_build[entry.name] = result
    return result


def render(result: Result) -> str:
    """The HTML for a result: the command, its escaped output (cut if long), its environment."""
    output = result.stdout + result.stderr
    lines = output.splitlines()
    shown = "\n".join(lines[:MAX_LINES])[:MAX_CHARS]
    cut = ""
    if len(shown) < len(output.rstrip("\n")):
        hidden = len(lines) - shown.count("\n") - 1
        cut = (
            f'\n<span class="snippet-cut">[output cut here: {hidden} more lines; run the snippet '
            f"to see all of it]</span>"
        )
    command = "$ " + " ".join(["python", result.snippet, *result.args])
    return (
        f'<div class="snippet-run" data-snippet="{html.escape(result.snippet)}">\n'
        f'<div class="highlight"><pre><code><span class="snippet-command">{html.escape(command)}'
        f"</span>\n{html.escape(shown)}{cut}</code></pre></div>\n"
        f'<p class="snippet-env">{html.escape(describe(result))}</p>\n</div>'
    )


def describe(result: Result) -> str:
    """One line saying where and when a result was measured."""
    env = result.environment
    build = "free-threaded build" if env["free_threaded"] else "default build"
    gil = "GIL enabled" if env["gil_enabled"] else "GIL disabled"
    cpus = f"{env['cpus']} usable CPU{'s' if env['cpus'] != 1 else ''}"
    when = result.ran_at.replace("T", " ")[:16] + " UTC"
    note = ", output cached from that run" if result.cached else ""
    return (
        f"Ran with {env['implementation']} {env['version']} ({build}, {gil}), {cpus}, "
        f"start method {env['start_method']}, {env['system']}; {when}, "
        f"{result.seconds:.2f} s{note}."
    )


def snippet_python() -> str:
    """The interpreter that runs every snippet of the build: the one named by `SNIPPET_PYTHON`
    (a command on PATH or a path), default the build's own. MkDocs itself keeps running under the
    project's environment, so the docs toolchain need not support that Python."""
    name = os.environ.get("SNIPPET_PYTHON", "")
    if not name:
        return sys.executable
    path = shutil.which(name)
    if not path:
        raise SnippetError(f"SNIPPET_PYTHON={name}: no such interpreter (not on PATH, not a file)")
    return os.path.abspath(path)  # the cache key and the banner name one interpreter


def interpreters() -> tuple[list[str], list[str]]:
    """The interpreters that pages comparing interpreters run their snippets under: those named
    in `SNIPPET_PYTHONS` (separated by spaces; commands on PATH or paths), default
    [`snippet_python`][runner.snippet_python]. Returns the paths of those found, and the names of
    those that are not."""
    found, missing = [], []
    names = os.environ.get("SNIPPET_PYTHONS", "").split()
    for name in names or [snippet_python()]:
        path = shutil.which(name)
        if path and os.path.abspath(path) not in found:
            found.append(os.path.abspath(path))
        elif not path:
            missing.append(name)
    return found, missing


def check_interpreters() -> None:
    """Stop a build before it runs anything (called by the MkDocs hook), with one message, when
    an interpreter it would run snippets under is not there or cannot import the snippets'
    libraries. A compared interpreter (`SNIPPET_PYTHONS`) that is not there stops only a build
    where `CI` is set: a published page must not lose a column quietly, while locally the page
    names what is missing."""
    found, missing = interpreters()
    if missing and os.environ.get("CI"):
        raise SnippetError(f"the interpreters {missing} in SNIPPET_PYTHONS are not on this machine")
    for python in dict.fromkeys([snippet_python(), *found]):
        if problem := missing_libraries(python):
            raise SnippetError(problem)


@functools.cache
def missing_libraries(python: str) -> str:
    """What stops `python` from running the snippets: the libraries they import that it cannot,
    with the command that installs them; "" when it has them all. Asked once per interpreter and
    process, so that a missing library is one message, not a traceback per snippet."""
    try:
        missing = _ask(python, _IMPORTS, *_third_party_imports())
    except SnippetError as error:
        return str(error)
    if not missing:
        return ""
    shown = [m for m in missing if not any(m.startswith(f"{other}.") for other in missing)]
    tops = {name.split(".")[0] for name in missing}
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    needed = [dep for dep in dependencies if _distribution(dep) in tops] or dependencies
    install = " ".join(f"'{dep}'" if "[" in dep or ">" in dep else dep for dep in needed)
    return (
        f"interpreter {python} cannot import {', '.join(shown)}, which the snippets import. "
        f"Install them into it: {python} -m pip install {install}; or make an environment of "
        f"it with them, `make snippet-env SNIPPET_ENV_PYTHON={python}`, and name the python that "
        "prints instead"
    )


def _third_party_imports() -> list[str]:
    """The modules outside the standard library that the snippets import, as they name them."""
    modules = set()
    for path in (ROOT / "snippets").glob("*/*.py"):
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                modules |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module)
    return sorted(m for m in modules if m.split(".")[0] not in sys.stdlib_module_names)


def _distribution(requirement: str) -> str:
    """`"dask[distributed]>=2025.1"` -> `"dask"`."""
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("-", "_")


@functools.cache
def environment(python: str) -> dict:
    """Ask an interpreter what it is: version, build, GIL state, usable CPUs, start method."""
    return _ask(python, _PROBE)


def _ask(python: str, code: str, *args: str) -> typing.Any:
    """Run `code` (which prints JSON) in the interpreter `python`, and return what it printed."""
    try:
        done = subprocess.run(
            [python, "-c", code, *args], capture_output=True, text=True, timeout=120, check=True
        )
        return json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise SnippetError(
            f"interpreter {python} could not be asked what it has: {error}"
        ) from None


def begin_build() -> None:
    """Start a new build (called by the MkDocs hook): forget which snippets the last one ran."""
    _ran_in_this_build.clear()


def begin_page(page: str) -> None:
    """Name the page being rendered (called by the MkDocs hook), for error messages."""
    global _page
    _page = page
    _failures.clear()


def page_failures() -> list[str]:
    """The errors raised by snippets on the current page so far."""
    return list(_failures)


def fail(problem: str) -> typing.NoReturn:
    """Fail the page being rendered: record the problem for the MkDocs hook, which stops the build
    (markdown-exec alone would only warn), and raise it to stop the block."""
    message = f"page {_page or '(unknown)'}: {problem}"
    _failures.append(message)
    raise SnippetError(message)


def _execute(
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


def _check(result: Result, expect_failure: bool, timeout: float) -> None:
    if result.timed_out:
        problem = f"timed out after {timeout:g} s (its processes were killed)"
    elif expect_failure and result.returncode == 0:
        problem = "exited 0, but the page says it is meant to fail"
    elif not expect_failure and result.returncode != 0:
        problem = f"exited with status {result.returncode}"
    elif result.left_behind:
        problem = (
            f"left {result.left_behind} process(es) running after it exited (they were killed)"
        )
    elif not expect_failure and result.stderr.strip():
        problem = "wrote to stderr (warnings count: fix them or silence them in the snippet)"
    elif result.data is not None and (error := _data_error(result.data)):
        problem = f"wrote SNIPPET_DATA that {error}"
    else:
        return
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
    raise SnippetError(
        f"snippet {result.snippet} {problem}.\n--- last lines of its output ---\n{tail}"
    )


def _data_error(data: object) -> str | None:
    """What is wrong with a snippet's data, or None: the pages rely on this shape."""
    if not isinstance(data, dict) or not isinstance(data.get("measurements"), list):
        return f'is not a JSON object with a "measurements" list: {str(data)[:200]}'
    keys = set()
    for item in data["measurements"]:
        if not isinstance(item, dict) or not {"key", "label", "unit", "samples"} <= item.keys():
            return f"has a measurement without key, label, unit and samples: {item}"
        if item["key"] in keys:
            return f"has the key {item['key']!r} twice"
        keys.add(item["key"])
        if item["unit"] not in UNITS:
            return f"has {item['key']!r} in unit {item['unit']!r}, not one of {sorted(UNITS)}"
        samples = item["samples"]
        if not samples or not all(isinstance(s, int | float) for s in samples):
            return f"has {item['key']!r} without numeric samples"
    return None


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


@contextlib.contextmanager
def _run_alone() -> Iterator[None]:
    """Hold an exclusive lock while a snippet runs, so that no two snippets overlap."""
    directory = _cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _cache_dir() -> Path:
    return Path(os.environ.get("SNIPPETS_CACHE_DIR", ".cache/snippets"))


def _cache_key(
    snippet: Path, args: Sequence[str], expect_failure: bool, python: str, env: dict
) -> str:
    key = {
        "format": CACHE_FORMAT,
        "snippet": snippet.as_posix(),
        "source": hashlib.sha256(snippet.read_bytes()).hexdigest(),
        "args": list(args),
        "expect_failure": expect_failure,
        "interpreter": python,
        "environment": env,
        "machine": [platform.node(), platform.machine(), platform.release(), os.cpu_count()],
        "packages": _installed_packages(python),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]


# Runs in the snippet's interpreter: a library installed there must invalidate its runs, whatever
# the build's own environment holds.
_PACKAGES = """
import importlib.metadata, json
print(json.dumps(sorted(
    f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
)))
"""


@functools.cache
def _installed_packages(python: str) -> list[str]:
    """The packages installed in the interpreter `python`, as `name==version`."""
    return _ask(python, _PACKAGES)


def _read_cache(entry: Path, expect_failure: bool, timeout: float) -> Result | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        result = dataclasses.replace(Result(**data), cached=True)
        render(result)  # an entry that cannot be shown is as good as missing
        # Checked as a fresh run is: an entry that would fail now (written by an older runner, or
        # edited) is not shown; the snippet runs again and that run is checked.
        _check(result, expect_failure, timeout)
        return result
    except FileNotFoundError:
        return None
    except (SnippetError, OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        _log.info("snippet cache entry %s not used (%s): running again", entry, error)
        return None


def _write_cache(entry: Path, result: Result) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")
    partial.replace(entry)  # atomic: a reader sees the old entry or the new one, never half of one


# The page-facing views of a run; imported last because they build on everything above.
from runner.numbers import (  # noqa: E402
    FREE_CPUS,
    Compared,
    Measured,
    Stat,
    claim,
    compare,
    measure,
    not_checked,
    readable,
    speed_up_claim,
)
