"""Is the GIL really off? Ask after your imports, and see what -X gil does.

On a free-threaded build (`Py_GIL_DISABLED` is 1) the GIL starts off, but
importing an extension module that has not declared it can run without the
GIL turns it back on for the whole process, with a RuntimeWarning. So the
script asks `sys._is_gil_enabled()` at start and again after importing
several extension modules of the standard library, and records any warning
the imports raise. Then it starts Python twice more: with `-X gil=0`, which
asks for the GIL off, and with `PYTHON_GIL=1`, which asks for it on.
"""

import importlib
import json
import os
import subprocess
import sys
import sysconfig
import warnings

# Extension modules (written in C) of the standard library.
EXTENSIONS = [
    "_asyncio",
    "_decimal",
    "_elementtree",
    "_json",
    "_pickle",
    "_socket",
    "_struct",
    "array",
    "math",
    "mmap",
    "pyexpat",
    "select",
    "zlib",
]
ASK = "import sys; print(getattr(sys, '_is_gil_enabled', lambda: True)())"


# --8<-- [start:check]
def gil_enabled() -> bool:
    # sys._is_gil_enabled() is new in 3.13; before, the GIL is always on.
    return getattr(sys, "_is_gil_enabled", lambda: True)()


def import_and_check(names: list[str]) -> tuple[int, bool, list[str]]:
    """Import modules; return how many, whether the GIL is on after them,
    and the warnings they raised (a module that turns the GIL on warns)."""
    imported = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in names:
            try:
                importlib.import_module(name)
                imported += 1
            except ImportError:
                pass  # not in this build of Python
    return imported, gil_enabled(), [str(w.message) for w in caught]
    # --8<-- [end:check]


def start_python(option: list[str], env: dict[str, str]) -> str:
    """Start a new interpreter with an option; say what it did."""
    run = subprocess.run(
        [sys.executable, *option, "-c", ASK],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if run.returncode:
        # Its first line: "Fatal Python error: <where>: <why>"
        why = run.stderr.strip().splitlines()[0].split(": ")[-1]
        return f"refused: {why}"
    return f"started, GIL enabled: {run.stdout.strip()}"


def main() -> None:
    free_threaded = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
    at_start = gil_enabled()
    imported, after, caught = import_and_check(EXTENSIONS)
    print(f"free-threaded build (Py_GIL_DISABLED): {free_threaded}")
    print(f"GIL enabled at start: {at_start}")
    print(f"GIL enabled after importing {imported} extension modules: {after}")
    print(f"warnings while importing them: {'; '.join(caught) or 'none'}")
    runs = {}
    for shown, option, env in (
        ("python -X gil=0", ["-X", "gil=0"], {}),
        ("PYTHON_GIL=1 python", [], {"PYTHON_GIL": "1"}),
    ):
        if sys.version_info < (3, 13):
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            said = f"not tried: Python {version} has neither (new in 3.13)"
        else:
            said = start_python(option, env)
        runs[shown] = said
        print(f"{shown}: {said}")
    # The site's build sets SNIPPET_DATA to quote this very run; a reader
    # can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        notes = {
            "at_start": str(at_start),
            "after": str(after),
            "warnings": "; ".join(caught),
            "gil=0": runs["python -X gil=0"],
            "PYTHON_GIL=1": runs["PYTHON_GIL=1 python"],
        }
        data = {"measurements": [], "notes": notes, "inputs": {}}
        with open(path, "w") as file:
            json.dump(data, file)


if __name__ == "__main__":
    main()
