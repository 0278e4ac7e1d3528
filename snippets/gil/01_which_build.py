"""Which build is this, and is its GIL on?

A free-threaded build (PEP 703) is compiled with Py_GIL_DISABLED; even
there, the GIL can be switched back on at start-up (PYTHON_GIL=1, -X gil=1)
or by importing an extension module that does not declare it can run
without it. So ask both questions: how the interpreter was built, and
whether the GIL is enabled in this process now.
"""

import os
import sys
import sysconfig


def main() -> None:
    # --8<-- [start:ask]
    free_threaded = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
    # sys._is_gil_enabled() exists from Python 3.13; before, the GIL is on.
    gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)()
    # --8<-- [end:ask]
    print(f"version: {sys.version.splitlines()[0]}")
    print(f"free-threaded build: {free_threaded}")
    print(f"GIL enabled now: {gil_enabled}")
    print(f"PYTHON_GIL: {os.environ.get('PYTHON_GIL', '(not set)')}")
    print(f"switch interval: {sys.getswitchinterval()} s")


if __name__ == "__main__":
    main()
