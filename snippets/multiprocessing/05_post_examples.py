"""The post's process examples, run as scripts under each start method.

The blog post's multiprocessing and ProcessPoolExecutor examples start
their processes from the top level of the script, with no
`if __name__ == "__main__":` guard. (Its copy lost the indentation; here it
is restored.) This script writes each example to a temporary file, puts in
front of it two lines that choose the start method,

    import multiprocessing
    multiprocessing.set_start_method("spawn", force=True)

(force=True, because a process that imports the file again runs them
again), runs it as `python example.py` with a timeout, and reports how many
of its three tasks finished, whether it printed its last line, its exit
status, and the errors its processes wrote to stderr, counted by type.
Then the same examples with the guard, the ProcessPoolExecutor example with
`result()` in its loop, and the post's joblib example, which starts its
workers its own way.
"""

import contextlib
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile

TIMEOUT = 60  # seconds a run may take before it is killed

PROCESS_EXAMPLE = """\
# --8<-- [start:process]
import multiprocessing
import time

# Function to simulate CPU-bound task (e.g., performing calculations)
def cpu_task(task_id):
    print(f"Task {task_id} started")
    result = sum(i * i for i in range(10**6)) # Simulate CPU work
    print(f"Task {task_id} completed with result {result}")

# Create and start processes
processes = []
for i in range(3):
    process = multiprocessing.Process(target=cpu_task, args=(i,))
    processes.append(process)
    process.start()

# Wait for all processes to complete
for process in processes:
    process.join()

print("All tasks completed!")
# --8<-- [end:process]
"""

POOL_EXAMPLE = """\
# --8<-- [start:pool]
import concurrent.futures

# Function to simulate a CPU-bound task
def cpu_task(task_id):
    print(f"Task {task_id} started")
    result = sum(i * i for i in range(10**6)) # Simulate CPU work
    print(f"Task {task_id} completed with result {result}")

# Use ProcessPoolExecutor for concurrent processes
with concurrent.futures.ProcessPoolExecutor() as executor:
    # Submit tasks for execution
    future_tasks = [executor.submit(cpu_task, i) for i in range(3)]

    # Wait for all tasks to complete
    for future in concurrent.futures.as_completed(future_tasks):
        pass

print("All tasks completed!")
# --8<-- [end:pool]
"""

JOBLIB_EXAMPLE = """\
import joblib
import time

# Function to simulate CPU-bound task
def cpu_task(task_id):
    print(f"Task {task_id} started")
    result = sum(i * i for i in range(10**6)) # Simulate CPU work
    print(f"Task {task_id} completed with result {result}")
    return result

# Use Joblib to parallelize the tasks
task_ids = range(3) # Task IDs from 0 to 2
start_time = time.time()

# Using Parallel and Delayed from Joblib
results = joblib.Parallel(n_jobs=3)(joblib.delayed(cpu_task)(task_id) for task_id in task_ids)

print(f"All tasks completed in {time.time() - start_time} seconds!")
"""  # noqa: E501  (the post's long line, kept as it wrote it)


# --8<-- [start:guard]
def guarded(code: str, first: str) -> str:
    """The same code, with the lines from `first` on under the guard."""
    head, found, tail = code.partition(first)
    assert found, first
    body = "".join(
        f"    {line}" if line.strip() else line
        for line in (found + tail).splitlines(keepends=True)
    )
    return f'{head}if __name__ == "__main__":\n{body}'
    # --8<-- [end:guard]


def with_result(code: str) -> str:
    """The pool example with `future.result()` in its loop instead of pass."""
    return code.replace("        pass\n", "        future.result()\n")


def run(folder: str, code: str, method: str | None) -> dict:
    """Run code as a script under a start method; what it did, in numbers."""
    if method:
        code = (
            "import multiprocessing\n"
            f'multiprocessing.set_start_method("{method}", force=True)\n'
            + code
        )
    # Without the lines that mark the excerpts this page shows.
    code = "".join(s for s in code.splitlines(True) if "# --8<--" not in s)
    script = os.path.join(folder, "example.py")
    with open(script, "w") as file:
        file.write(code)
    # Its own process group, so that whatever it starts can be ended with it.
    process = subprocess.Popen(
        [sys.executable, script],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
        status = process.returncode
    except subprocess.TimeoutExpired:
        status = None
    finally:
        # Whatever the example left running (a hung child, a server): end it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    if status is None:
        out, err = process.communicate()
    # The last line of each traceback: "module.ErrorName: message"
    errors = [
        name.rsplit(".", 1)[-1]
        for name in re.findall(r"^([\w.]+(?:Error|ProcessPool)):", err, re.M)
    ]
    return {
        "done": len(re.findall(r"Task \d+ completed", out)),
        "said all done": "All tasks completed" in out,
        "exit": status,
        "errors": {name: errors.count(name) for name in dict.fromkeys(errors)},
        "bootstrapping": "bootstrapping phase" in err,
    }


def describe(result: dict) -> str:
    if result["exit"] is None:
        return f"timed out after {TIMEOUT} s (killed)"
    said = (
        "printed its last line" if result["said all done"] else "no last line"
    )
    return f"{result['done']} of 3 tasks done, {said}, exit {result['exit']}"


def errors(result: dict) -> str:
    named = []
    for name, count in result["errors"].items():
        if name == "RuntimeError" and result["bootstrapping"]:
            name += " (bootstrap)"
        named.append(f"{name} x{count}")
    return ", ".join(named) or "nothing"


def main() -> None:
    methods = multiprocessing.get_all_start_methods()
    default = multiprocessing.get_start_method()
    print(f"start methods: {', '.join(methods)} (default: {default})")
    examples = [
        ("Process example", "process", PROCESS_EXAMPLE, "# Create and start"),
        (
            "ProcessPoolExecutor example",
            "pool",
            POOL_EXAMPLE,
            "# Use ProcessPoolExecutor",
        ),
    ]
    measurements = []
    with tempfile.TemporaryDirectory() as folder:
        for title, key, code, first in examples:
            variants = [
                ("as the post wrote it (no guard)", "no guard", code),
                ("with the guard", "guard", guarded(code, first)),
            ]
            if key == "pool":
                variants.append(
                    (
                        "no guard, result() in the loop",
                        "result",
                        with_result(code),
                    )
                )
            for heading, variant, source in variants:
                print(f"{title}, {heading}:")
                for method in methods:
                    result = run(folder, source, method)
                    print(f"  {method:>10}: {describe(result)}")
                    # A run that lost tasks says what its processes wrote,
                    # even nothing: a pool can break before they write.
                    if result["errors"] or result["done"] < 3:
                        print(f"  {'':>10}  stderr: {errors(result)}")
                    measurements += [
                        {
                            "key": f"{key}/{variant}/{method}/{name}",
                            "label": f"{title}, {variant}, {method}: {name}",
                            "unit": "",
                            "samples": [value],
                        }
                        for name, value in (
                            ("done", result["done"]),
                            (
                                "exit",
                                -1
                                if result["exit"] is None
                                else result["exit"],
                            ),
                            ("said all done", int(result["said all done"])),
                        )
                    ]
        # loky, joblib's default backend, has its own start method: the
        # line that sets multiprocessing's would change nothing.
        result = run(folder, JOBLIB_EXAMPLE, None)
        print("joblib example, as the post wrote it (no guard):")
        print(f"  {'loky':>10}: {describe(result)}")
        if result["errors"]:
            print(f"  {'':>10}  stderr: {errors(result)}")
        measurements.append(
            {
                "key": "joblib/no guard/loky/done",
                "label": "joblib example, no guard: done",
                "unit": "",
                "samples": [result["done"]],
            }
        )
    # The site's build sets SNIPPET_DATA to draw its tables and charts
    # from this very run; a reader can ignore it.
    if path := os.environ.get("SNIPPET_DATA"):
        with open(path, "w") as file:
            json.dump({"measurements": measurements}, file)


if __name__ == "__main__":
    main()
