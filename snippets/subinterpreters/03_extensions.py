"""Which modules import in a subinterpreter, and which refuse.

An extension module written in C must declare that it supports several
interpreters (the "Isolating Extension Modules" HOWTO says how); one that
does not raises ImportError when an interpreter other than the main one
imports it. The script imports each module in a fresh interpreter and
prints "imports" or the ImportError's message. greenlet stands for the
third-party modules that do not support it yet.

On a Python without `concurrent.interpreters`, the script says so.
"""

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
    for name in MODULES:
        if interpreters is None:
            version = f"{sys.version_info[0]}.{sys.version_info[1]}"
            verdict = f"not tried: no concurrent.interpreters in {version}"
        else:
            verdict = try_import(name)
        print(f"{name:>12}: {verdict}")


if __name__ == "__main__":
    main()
