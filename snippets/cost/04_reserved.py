"""What the address space that threads reserve is made of.

Each round starts N threads that park, in a fresh process, and compares the
process's mappings (/proc/self/maps) while they are all alive with those
before. A parked thread waits in a system call, and the kernel shows where
its stack pointer is (/proc/self/task/<id>/syscall): the mapping around it
is that thread's stack. glibc's malloc arenas are reservations that start on
a boundary of their own size. The rest is everything else the threads made.
"""

import json
import multiprocessing
import os
import resource
import statistics
import threading
import time
from concurrent.futures import ProcessPoolExecutor

COUNTS = [1, 10, 100, 1000]
ROUNDS = 3
# glibc's per-thread malloc heap on 64-bit systems (HEAP_MAX_SIZE in its
# malloc/arena.c): reserved in one piece, aligned on its own size.
ARENA = 2 * 32 * 2**20


def mappings() -> list[tuple[int, int, str]]:
    """(start, end, permissions) of each mapping of this process."""
    found = []
    with open("/proc/self/maps") as file:
        for line in file:
            span, perms = line.split()[:2]
            start, end = (int(part, 16) for part in span.split("-"))
            found.append((start, end, perms))
    return found


def stack_pointer(thread_id: int) -> int | None:
    """Where a thread's stack pointer is, while it waits in a system call."""
    with open(f"/proc/self/task/{thread_id}/syscall") as file:
        fields = file.read().split()
    return int(fields[-2], 16) if len(fields) > 2 else None  # or "running"


# --8<-- [start:classify]
def classify(before, after, thread_ids) -> tuple[int, int, int]:
    """Bytes of new thread stacks; bytes and number of new malloc arenas."""
    new = [m for m in after if m not in set(before)]
    # A stack: the mapping that holds a thread's stack pointer, and the
    # guard page (no access) just below it, where glibc maps one apart.
    stacks = set()
    for sp in map(stack_pointer, thread_ids):
        for i, (start, end, perms) in enumerate(after):
            if start <= sp < end:
                stacks.add((start, end, perms))
                below = after[i - 1]
                if below[1] == start and below[2] == "---p" and below in new:
                    stacks.add(below)
    # An arena: new mappings that fill one ARENA-sized piece of address
    # space, from a boundary: a little in use, the rest reserved (---p).
    pieces = {}
    for start, end, _ in set(new) - stacks:
        piece = start - start % ARENA
        if end <= piece + ARENA:
            pieces[piece] = pieces.get(piece, 0) + end - start
    arenas = [piece for piece, size in pieces.items() if size == ARENA]
    return (
        sum(end - start for start, end, _ in stacks),
        len(arenas) * ARENA,
        len(arenas),
    )
    # --8<-- [end:classify]


def one_round(n: int) -> tuple[int, int, int, int]:
    """In a fresh process: bytes added, of stacks, of arenas; arena count."""
    ready, release, ids = threading.Semaphore(0), threading.Event(), []

    def park() -> None:
        ids.append(threading.get_native_id())
        ready.release()
        release.wait()

    before, size = mappings(), vm_size()
    workers = [threading.Thread(target=park) for _ in range(n)]
    for worker in workers:
        worker.start()
    for _ in range(n):
        ready.acquire()
    while None in map(stack_pointer, ids):  # one is still on its way to wait
        time.sleep(0.001)
    added = vm_size() - size
    stacks, arenas, count = classify(before, mappings(), ids)
    release.set()
    for worker in workers:
        worker.join()
    return added, stacks, arenas, count


def vm_size() -> int:
    """The address space of this process, in bytes (VmSize)."""
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise LookupError("VmSize")


def readable(size: float) -> str:
    """8 MiB rather than 8388608 B."""
    for name, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(size) >= scale:
            return f"{size / scale:.3g} {name}"
    return f"{size:.0f} B"


def main() -> None:
    if not os.path.exists("/proc/self/task"):
        print("This script reads Linux's /proc.")
        return
    fresh = multiprocessing.get_context("spawn")
    results = {}
    with ProcessPoolExecutor(
        1, mp_context=fresh, max_tasks_per_child=1
    ) as pool:
        for n in COUNTS:
            rounds = [pool.submit(one_round, n) for _ in range(ROUNDS)]
            results[n] = [r.result() for r in rounds]
    print(f"Address space added while N threads park (medians of {ROUNDS}):")
    print(
        f"{'N':>6}  {'added':>9}  {'stacks':>9}  {'malloc arenas':>18}  other"
    )
    for n, rounds in results.items():
        added, stacks, arenas, count = (
            statistics.median(r[i] for r in rounds) for i in range(4)
        )
        each = f"{count:.0f} x {readable(arenas / count)}" if count else "none"
        print(
            f"{n:>6}  {readable(added):>9}  {readable(stacks):>9}"
            f"  {each:>18}  {readable(added - stacks - arenas)}"
        )
    n = COUNTS[-1]
    stack = statistics.median(r[1] for r in results[n]) / n
    limit = resource.getrlimit(resource.RLIMIT_STACK)[0]
    said = f"{limit // 1024} KiB" if limit > 0 else "unlimited"
    print(f"one stack: {stack / 1024:.0f} KiB; ulimit -s: {said}")
    cpus = os.cpu_count()
    print(f"CPUs (os.cpu_count()): {cpus}")
    # The site's build sets SNIPPET_DATA to draw its tables and charts from
    # this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        measurements = [
            {"key": "cpus", "label": "CPUs", "unit": "", "samples": [cpus]}
        ]
        if limit > 0:
            measurements.append(
                {"key": "stack limit", "label": "ulimit -s", "unit": "B"}
                | {"samples": [limit]}
            )
        for n, rounds in results.items():
            for i, (key, unit) in enumerate(
                [
                    ("added", "B"),
                    ("stacks", "B"),
                    ("arenas", "B"),
                    ("arena count", ""),
                ]
            ):
                samples = [r[i] for r in rounds]
                measurements.append(
                    {"key": f"{key}/{n}", "label": f"{key}, {n} threads"}
                    | {"unit": unit, "samples": samples}
                )
        inputs = {"counts": COUNTS, "rounds": ROUNDS, "arena": ARENA}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
