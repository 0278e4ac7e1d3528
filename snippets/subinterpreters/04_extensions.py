"""Which modules import in a subinterpreter, and which refuse.

An extension module written in C must declare that it supports several
interpreters (the "Isolating Extension Modules" HOWTO says how); one that
does not raises ImportError when an interpreter other than the main one
imports it. The script imports each module in a fresh interpreter and
prints "imports" or the ImportError's message. greenlet stands for the
third-party modules that do not support it yet.

On a Python without `concurrent.interpreters`, the script says so.
"""

import json
import os
import sys

try:
    from concurrent import interpreters
except ImportError:  # before 3.14
    interpreters = None

MODULES = ["json", "sqlite3", "decimal"]  # in the standard library
MODULES += ["faulthandler", "readline"]  # too, but they refuse
MODULES += ["greenlet"]  # a third-party one


# --8<-- [start:try]
def try_import(name: str) -> str:
    interp = interpreters.create()
    try:
        interp.exec(f"import {name}")
        return "imports"
    except interpreters.ExecutionFailed as error:
        return error.excinfo.msg  # the exception raised in that interpreter
    finally:
        interp.close()
        # --8<-- [end:try]


def main() -> None:
    measurements = []
    for name in MODULES:
        if interpreters is None:
            version = f"{sys.version_info[0]}.{sys.version_info[1]}"
            verdict = f"not tried: no concurrent.interpreters in {version}"
        else:
            verdict = try_import(name)
            measurements.append(
                {
                    "key": f"imports/{name}",
                    "label": f"{name} imports (1) or not (0)",
                    "unit": "",
                    "samples": [int(verdict == "imports")],
                }
            )
        print(f"{name:>12}: {verdict}")
    # The site's build sets SNIPPET_DATA to quote this very run on its
    # page; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        data = {"measurements": measurements, "inputs": {"modules": MODULES}}
        with open(path, "w") as file:
            json.dump(data, file)


if __name__ == "__main__":
    main()
