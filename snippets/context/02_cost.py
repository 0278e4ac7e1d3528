"""What reading a ContextVar costs, against a threading.local attribute.

Each operation runs many times in a loop (timeit), in rounds; the script
prints the median time of one, the loop's own overhead included. A plain
global variable gives the scale. Setting a ContextVar and resetting it
again, as code that changes a value for a while does, is timed too.
"""

import contextvars
import json
import os
import statistics
import threading
import timeit

TIMES = 200_000  # operations per round
ROUNDS = 9

request = contextvars.ContextVar("request", default=None)
local = threading.local()
plain = "r-42"


def set_and_reset() -> None:
    token = request.set("r-43")
    request.reset(token)


# --8<-- [start:timed]
STATEMENTS = {
    "ContextVar.get()": "request.get()",
    "threading.local attribute": "local.request",
    "global variable": "plain",
    "ContextVar set + reset": "set_and_reset()",
}
# --8<-- [end:timed]


def main() -> None:
    request.set("r-42")
    local.request = "r-42"
    names = {
        "request": request,
        "local": local,
        "plain": plain,
        "set_and_reset": set_and_reset,
    }
    per_read = {}
    for label, statement in STATEMENTS.items():
        rounds = timeit.repeat(
            statement, globals=names, number=TIMES, repeat=ROUNDS
        )
        per_read[label] = [seconds / TIMES for seconds in rounds]
    print(f"One operation, median of {ROUNDS} rounds of {TIMES:,}:")
    for label, samples in per_read.items():
        print(f"  {label:26} {statistics.median(samples) * 1e9:5.0f} ns")
    # The site's build sets SNIPPET_DATA to quote this very run; a reader
    # can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        keys = ("get", "local", "global", "set")
        measurements = [
            {"key": key, "label": label, "unit": "s", "samples": samples}
            for key, (label, samples) in zip(
                keys, per_read.items(), strict=True
            )
        ]
        inputs = {"times": TIMES, "rounds": ROUNDS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
