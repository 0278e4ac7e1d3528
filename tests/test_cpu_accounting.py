"""The choosing page's CPU-time column counts every worker, whatever the start method: with
forkserver (the Linux default from 3.14) the workers are children of the server, not of the
program, and the program's own accounting of its children misses them."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

SNIPPET = str(ROOT / "snippets" / "choosing" / "01_every_model.py")
# Run one round of one model (the snippet's own child mode) under a given start method.
ONE_ROUND = (
    "import multiprocessing, runpy, sys\n"
    "multiprocessing.set_start_method(sys.argv[1])\n"
    "sys.argv = sys.argv[2:]  # as if run as: python SNIPPET WORKLOAD MODEL\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def one_round(model: str, start_method: str = "fork") -> dict:
    command = [sys.executable, "-c", ONE_ROUND, start_method, SNIPPET, "CPU-bound, long", model]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def serial_cpu() -> float:
    return one_round("serial")["cpu"]


@pytest.mark.parametrize("start_method", ["fork", "forkserver", "spawn"])
def test_a_process_pool_is_charged_for_the_work_its_workers_did(serial_cpu, start_method):
    pool = one_round("ProcessPoolExecutor", start_method)
    # The same prime counts, done in other processes. Uncounted workers would leave almost
    # nothing; the margins allow for a shared machine, where the same work can cost more CPU
    # time in one run than in another.
    assert 0.5 * serial_cpu <= pool["cpu"] <= 3 * serial_cpu + 1, (pool, serial_cpu)
