"""What one run of a snippet is, and whether a page may show it."""

from __future__ import annotations

import dataclasses
import os

DEFAULT_TIMEOUT = 120.0
"""Seconds a snippet may run before its whole process group is killed."""
MEMORY_LIMIT = int(os.environ.get("SNIPPET_MEMORY_LIMIT_MIB", 4096)) * 2**20
"""Bytes of resident memory (RSS), summed over a snippet's processes, past which the runner kills
them all and fails the build. Resident memory, not address space: the thread pages reserve tens of
GiB of address space on purpose (stacks nobody touches), while the heaviest snippets (the many
workers of the cost and virtual pages) peak under 1 GiB resident, summed over their processes.
Set `SNIPPET_MEMORY_LIMIT_MIB` to change it."""


UNITS = {
    "s": (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)),
    "B": (("GiB", 2.0**30), ("MiB", 2.0**20), ("KiB", 2.0**10), ("B", 1.0)),
    "": (("", 1.0),),
}
"""The units a measurement may have in a snippet's data (seconds, bytes, a plain number), each
with the scales it is shown in, largest first."""


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
    left_behind: list[str] = dataclasses.field(default_factory=list)
    """The processes it left running after it exited (killed by the runner), each as "pid N:
    its command line"."""
    over_memory: int = 0
    """Bytes of resident memory its processes held when the runner killed them for passing
    [`MEMORY_LIMIT`][runner.MEMORY_LIMIT]; 0 when it was not killed for that."""
    cached: bool = False
    """True when this result was read from the cache rather than run by this build."""
    data: dict | None = None
    """The numbers the snippet wrote to the file named by `SNIPPET_DATA`, if it wrote any:
    `{"measurements": [{"key", "label", "unit", "samples", ...}], "inputs": {...}, "notes":
    {...}}` (see [`Stat`][runner.Stat] for the fields, [`Measured.input`][runner.Measured.input]
    for the inputs). Its stdout is the same either way."""
    python: str = ""
    """The interpreter that ran it, as configured (a command on PATH or a path)."""
    others_cpus: float | None = None
    """The CPUs' worth of work that everything else on the machine did while it ran (other
    programs, and the hypervisor's other guests: steal time), on average; None where the runner
    cannot see it (no /proc/stat)."""


def check(result: Result, expect_failure: bool, timeout: float) -> None:
    if result.timed_out:
        problem = f"timed out after {timeout:g} s (its processes were killed)"
    elif result.over_memory:
        problem = (
            f"held {result.over_memory / 2**20:,.0f} MiB of resident memory, past the runner's "
            f"limit (SNIPPET_MEMORY_LIMIT_MIB, {MEMORY_LIMIT // 2**20} MiB): its processes "
            "were killed"
        )
    elif expect_failure and result.returncode == 0:
        problem = "exited 0, but the page says it is meant to fail"
    elif not expect_failure and result.returncode != 0:
        problem = f"exited with status {result.returncode}"
    elif result.left_behind:
        problem = (
            f"left {len(result.left_behind)} process(es) running after it exited (they were "
            f"killed): {'; '.join(result.left_behind)}"
        )
    elif not expect_failure and result.stderr.strip():
        problem = "wrote to stderr (warnings count: fix them or silence them in the snippet)"
    elif result.data is not None and (error := data_error(result.data)):
        problem = f"wrote SNIPPET_DATA that {error}"
    else:
        return
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
    raise SnippetError(
        f"snippet {result.snippet} {problem}.\n--- last lines of its output ---\n{tail}"
    )


def data_error(data: object) -> str | None:
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
