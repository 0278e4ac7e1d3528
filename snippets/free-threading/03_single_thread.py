"""One thread's speed and memory: run it on both builds to compare them.

Three small pure-Python jobs run on one thread, in rounds (the script prints
the medians): arithmetic, making and reading small objects, and formatting
and joining strings. For memory, a new interpreter reports its resident
memory (RSS) once started, then again after it has made many small objects
and kept them (each object counts with the int it holds and its slot in the
list). `sys.getsizeof(object())` is the size of the smallest object:
its header. The RSS is read from /proc on Linux, elsewhere its peak from
`resource` (Unix).
"""

import json
import os
import statistics
import subprocess
import sys
import time

ROUNDS = 5
OBJECTS = 200_000  # made by the child that measures memory

# A new interpreter prints its RSS in bytes when started, and again after
# making OBJECTS objects and keeping them.
RSS = """
import os, sys
def rss():
    try:  # Linux: resident pages now
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # elsewhere: the peak so far (KiB, or bytes on macOS)
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak * (1 if sys.platform == "darwin" else 1024)
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
started = rss()
kept = [Point(i, i) for i in range(int(sys.argv[1]))]
print(started, rss())
"""


# --8<-- [start:jobs]
def arithmetic() -> int:
    """Count the primes below 30,000 by trial division."""
    return sum(
        n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
        for n in range(30_000)
    )


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y


def objects() -> int:
    """Make small objects and dicts, then read them back."""
    points = [Point(i, -i) for i in range(60_000)]
    index = {i: point for i, point in enumerate(points)}
    return sum(index[i].x + index[i].y for i in range(len(points)))


def strings() -> int:
    """Format numbers into lines, join them, split them again."""
    text = "\n".join(f"{i:>8},{i * 3:x},{i % 7}" for i in range(60_000))
    return sum(len(line.split(",")[1]) for line in text.splitlines())
    # --8<-- [end:jobs]


JOBS = {
    "arithmetic (primes)": arithmetic,
    "small objects, dicts": objects,
    "strings": strings,
}


def new_interpreter_rss() -> tuple[int, int]:
    """A new interpreter's RSS once started, and with OBJECTS objects."""
    run = subprocess.run(
        [sys.executable, "-c", RSS, str(OBJECTS)],
        capture_output=True,
        text=True,
        check=True,
    )
    started, with_objects = map(int, run.stdout.split())
    return started, with_objects


def main() -> None:
    times = {name: [] for name in JOBS}
    for _ in range(ROUNDS):  # round after round, so that load hits all jobs
        for name, job in JOBS.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    started, with_objects = zip(
        *(new_interpreter_rss() for _ in range(3)), strict=True
    )
    per_object = [
        (full - empty) / OBJECTS
        for full, empty in zip(with_objects, started, strict=True)
    ]
    header = sys.getsizeof(object())
    print(f"One thread, median of {ROUNDS} rounds:")
    for name, samples in times.items():
        print(f"  {name:22} {statistics.median(samples):.3f} s")
    print("Memory of a new interpreter (RSS, median of 3):")
    print(f"  {'started':22} {statistics.median(started) / 2**20:.1f} MiB")
    print(
        f"  {f'+ {OBJECTS:,} objects':22}"
        f" {statistics.median(with_objects) / 2**20:.1f} MiB,"
        f" about {statistics.median(per_object):.0f} bytes each"
    )
    print(f"sys.getsizeof(object()): {header} bytes")
    # The site's build sets SNIPPET_DATA to quote this very run; a reader
    # can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        keys = {"arithmetic (primes)": "arithmetic"}
        keys |= {"small objects, dicts": "objects", "strings": "strings"}
        measurements = [
            {"key": keys[name], "label": name, "unit": "s", "samples": samples}
            for name, samples in times.items()
        ]
        for key, label, unit, samples in (
            ("rss/started", "RSS, started", "B", list(started)),
            ("rss/objects", "RSS + objects", "B", list(with_objects)),
            ("per-object", "memory per small object", "B", per_object),
            ("header", "sys.getsizeof(object())", "B", [header]),
        ):
            measurements.append(
                {"key": key, "label": label, "unit": unit, "samples": samples}
            )
        inputs = {"rounds": ROUNDS, "objects": OBJECTS}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
