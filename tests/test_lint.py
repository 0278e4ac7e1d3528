"""The project's Python (runner, snippets, tests) passes ruff's lint and format checks."""

import subprocess
import sys
from pathlib import Path

import pytest

RUFF = Path(sys.executable).parent / "ruff"


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=" ".join)
def test_ruff(command):
    done = subprocess.run([RUFF, *command, "."], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
