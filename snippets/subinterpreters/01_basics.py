"""Create an interpreter and run code in it.

`concurrent.interpreters` (new in Python 3.14) starts interpreters inside
this process. Each has its own modules, its own globals and its own GIL:
nothing is shared unless it is passed. `exec` runs source code in one, in
the current thread, and `call` calls a function there and brings its
result back.

On a Python without the module, the script says so on each line.
"""

import os
import sys

try:
    from concurrent import interpreters
except ImportError:  # before 3.14
    interpreters = None


in_main = "a global of the main interpreter"


def square(n: int) -> int:
    """Uses no globals, so an interpreter can run it as it is."""
    return n * n


def main() -> None:
    if interpreters is None:
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        for what in ("exec", "isolated", "call"):
            print(f"{what}: not in Python {version} (new in 3.14)")
        return
    # --8<-- [start:exec]
    interp = interpreters.create()
    interp.exec("answer = 6 * 7")  # a global of the new interpreter
    interp.exec("import os; pid = os.getpid()")
    interp.exec("print(f'exec: answer = {answer} in process {pid}')")
    try:
        interp.exec("print(in_main)")  # a global of this module only
    except interpreters.ExecutionFailed as error:
        print(f"isolated: {error.excinfo.type.__name__}: {error.excinfo.msg}")
    result = interp.call(square, 7)  # runs there, returns here
    print(f"call: square(7) = {result}, back in process {os.getpid()}")
    # --8<-- [end:exec]
    interp.close()


if __name__ == "__main__":
    main()
