"""The GitHub workflows pass actionlint and zizmor (offline, pedantic): least privilege, pinned
actions, no template injection. The issue forms are well-formed and the PR template has its
checklist."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
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


def test_issue_forms_are_well_formed():
    forms = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
    forms = [f for f in forms if f.name != "config.yml"]
    assert forms
    for form in forms:
        data = yaml.safe_load(form.read_text())
        assert data["name"] and data["description"], form.name
        ids = [item["id"] for item in data["body"] if item["type"] != "markdown"]
        assert len(ids) == len(set(ids)), f"{form.name}: ids must be unique"
        assert all(item["attributes"].get("label") for item in data["body"]), form.name


def test_pull_request_template_has_the_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    for item in ("runs alone", "guard", "docstring", "No typed measurements", "strict build"):
        assert item in text, f"the PR checklist misses: {item}"
