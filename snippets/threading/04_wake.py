"""Waking a thread blocked in recv: shutdown() does it, close() does not.

A reader thread waits in `recv` on one end of a socket pair; nothing is
ever sent. From the main thread, the script then either closes that socket
or shuts it down with `shutdown(socket.SHUT_RDWR)`, and times how long the
reader takes to come out of `recv`. On Linux, `close()` does not wake it:
the reader waits until its timeout, the guard that keeps this script from
hanging. `shutdown()` wakes it at once: `recv` returns b"", the end of the
stream. Three rounds each; the lines give medians.
"""

import errno
import json
import os
import socket
import statistics
import threading
import time

GUARD = 1.0  # seconds: the reader's timeout, so that nothing waits forever
SETTLE = 0.2  # seconds for the reader to reach recv, where /proc cannot tell
ROUNDS = 3


# --8<-- [start:wake]
def reader(sock: socket.socket, ready: threading.Event, out: list) -> None:
    ready.set()
    try:
        data = sock.recv(1024)  # blocks: the other end sends nothing
        out.append(f"returned {data!r}")
    except OSError as error:  # TimeoutError, or the error of a closed socket
        name, code = type(error).__name__, errno.errorcode.get(error.errno)
        out.append(f"raised {name} ({code})" if code else f"raised {name}")
    out.append(time.perf_counter())


def close(sock: socket.socket) -> None:
    sock.close()  # on Linux, the reader stays in recv


def shut_down(sock: socket.socket) -> None:
    sock.shutdown(socket.SHUT_RDWR)  # the reader's recv returns b""
    # --8<-- [end:wake]


def wake(stop) -> tuple[str, float]:
    """Block a reader in recv, then call `stop` on its socket from this
    thread: what recv did, and how many seconds after `stop` it did it."""
    sock, other_end = socket.socketpair()
    sock.settimeout(GUARD)
    ready, out = threading.Event(), []
    thread = threading.Thread(target=reader, args=(sock, ready, out))
    thread.start()
    ready.wait()
    wait_until_asleep(thread)  # the reader is now waiting in recv
    start = time.perf_counter()
    stop(sock)
    thread.join()
    sock.close()
    other_end.close()
    what, end = out
    return what, end - start


def wait_until_asleep(thread: threading.Thread) -> None:
    """Return once `thread` sleeps in the kernel, as it does in recv: seen
    twice, 10 ms apart (so not just waiting for the GIL, which this thread
    gives up while it sleeps). A busy machine may take a while to schedule
    it: give it up to 10 s. Without Linux's /proc, sleep SETTLE instead."""
    stat = f"/proc/self/task/{thread.native_id}/stat"
    if not os.path.exists(stat):
        time.sleep(SETTLE)
        return
    asleep, give_up = 0, time.monotonic() + 10
    while asleep < 2 and time.monotonic() < give_up:
        time.sleep(0.01)
        with open(stat) as file:  # "tid (name) S ...": S is asleep
            state = file.read().rpartition(")")[2].split()[0]
        asleep = asleep + 1 if state == "S" else 0


def main() -> None:
    stops = {"close()": close, "shutdown(SHUT_RDWR)": shut_down}
    runs = {
        label: [wake(stop) for _ in range(ROUNDS)]
        for label, stop in stops.items()
    }
    print(
        f"a reader blocked in recv (timeout {GUARD:g} s), {ROUNDS} rounds each"
    )
    for label, results in runs.items():
        what = ", ".join(sorted({what for what, _ in results}))
        median = statistics.median(seconds for _, seconds in results)
        print(f"after {label}: recv {what}, {median * 1000:.1f} ms later")
    if path := os.environ.get("SNIPPET_DATA"):
        # The site's build sets SNIPPET_DATA to draw its tables and charts
        # from this very run; a reader can ignore it.
        keys = {"close()": "close", "shutdown(SHUT_RDWR)": "shutdown"}
        measurements = [
            {
                "key": keys[label],
                "label": f"recv came back, after {label}",
                "unit": "s",
                "samples": [seconds for _, seconds in results],
            }
            for label, results in runs.items()
        ]
        inputs = {"guard": GUARD, "settle": SETTLE}
        with open(path, "w") as file:
            json.dump({"measurements": measurements, "inputs": inputs}, file)


if __name__ == "__main__":
    main()
