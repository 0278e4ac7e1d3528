"""The interpreters a build runs snippets under, and what each of them is and has: its version
and build, GIL state, usable CPUs, start method, installed packages, and whether it can import
what the snippets import."""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import typing
from pathlib import Path

from runner.result import SnippetError

ROOT = Path(__file__).resolve().parent.parent


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


# Runs in the snippet's interpreter: a library installed there must invalidate its runs, whatever
# the build's own environment holds.
_PACKAGES = """
import importlib.metadata, json
print(json.dumps(sorted(
    f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
)))
"""


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
    process, so that a missing library is one message, not a traceback per snippet. Importing them
    takes seconds (dask), so an interpreter found to have them all is remembered in the snippet
    cache for its installed packages: installing or removing one asks again."""
    from runner import cache  # here: the cache itself asks this module for the packages

    modules = _third_party_imports()
    key = json.dumps([python, environment(python), installed_packages(python), modules])
    passed = cache.directory() / "imports" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    if passed.is_file() and not cache.fresh():
        return ""
    try:
        missing = _ask(python, _IMPORTS, *modules)
    except SnippetError as error:
        return str(error)
    if not missing:
        passed.parent.mkdir(parents=True, exist_ok=True)
        passed.touch()
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


@functools.cache
def installed_packages(python: str) -> list[str]:
    """The packages installed in the interpreter `python`, as `name==version`."""
    return _ask(python, _PACKAGES)
