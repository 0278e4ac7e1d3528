"""The GitHub workflows pass actionlint and zizmor (offline, pedantic): least privilege, pinned
actions, no template injection."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: run `make test`, which installs it")
    return found


def test_there_are_workflows():
    assert len(WORKFLOWS) >= 2


def test_actionlint():
    done = subprocess.run([tool("actionlint"), *WORKFLOWS], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor():
    command = [tool("zizmor"), "--offline", "--persona", "pedantic", str(ROOT / ".github")]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
