"""How many workers a pool gets when you do not say.

`ThreadPoolExecutor()` allows `min(32, cpus + 4)` threads, where cpus is
`os.process_cpu_count()` (3.13+; the CPUs this process may use) or
`os.cpu_count()` before 3.13. `ProcessPoolExecutor()` allows one process
per CPU (at most 61 on Windows). The script prints both for this machine,
and checks the thread pool's by giving it many tasks that each wait 0.2 s
and counting how many ran at once. No process pool is started.
"""

import concurrent.futures
import os
import sys
import threading
import time

cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
lock = threading.Lock()
running = 0
most = 0


def wait() -> None:
    global running, most
    with lock:
        running += 1
        most = max(most, running)
    time.sleep(0.2)
    with lock:
        running -= 1


# --8<-- [start:defaults]
def main() -> None:
    threads = min(32, cpus + 4)
    processes = min(cpus, 61) if sys.platform == "win32" else cpus
    with concurrent.futures.ThreadPoolExecutor() as pool:
        for _ in range(2 * threads):
            pool.submit(wait)
    print(f"CPUs: {cpus}")
    print(f"ThreadPoolExecutor() threads: {threads}")
    print(f"ProcessPoolExecutor() processes: {processes}")
    print(f"tasks at once in ThreadPoolExecutor(): {most}")
    print(f"as many at once as min(32, CPUs + 4): {most == threads}")
    # --8<-- [end:defaults]


if __name__ == "__main__":
    main()
