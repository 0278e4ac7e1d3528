"""The GitHub workflows pass actionlint and zizmor (offline, pedantic): least privilege, pinned
actions, no template injection. Every action is pinned to a release that runs on Node 24; the site
is deployed from main only, and only after the tests passed; a run on main is never cancelled; the
interpreters the pages compare have the snippets' libraries. The issue forms are well-formed and
the PR template has its checklist."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

# What each pinned SHA is, checked in the action's own repository (this test cannot reach GitHub):
# its release, and the runtime its action.yml declares (`runs.using`; for a composite action, that
# of the action it runs). GitHub's runners are retiring node20. To bump a pin, add its row.
PINNED_RELEASES = {
    "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8": ("v5.0.0", "node24"),
    "actions/setup-python@e797f83bcb11b83ae66e0230d6156d7c80228e7c": ("v6.0.0", "node24"),
    "actions/configure-pages@45bfe0192ca1faeb007ade9deae92b16b8254a0d": ("v6.0.0", "node24"),
    # composite: runs actions/upload-artifact v7.0.0
    "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9": ("v5.0.0", "node24"),
    "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128": ("v5.0.0", "node24"),
    # The pins before these, kept so that going back fails saying why.
    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683": ("v4.2.2", "node20"),
    "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065": ("v5.6.0", "node20"),
    "actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b": ("v5.0.0", "node20"),
    # composite: runs actions/upload-artifact v4
    "actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa": ("v3.0.1", "node20"),
    "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e": ("v4.0.5", "node20"),
}
# A step whose output is a compared interpreter: the python `make snippet-env` printed.
MAKES_SNIPPET_ENV = "make -s snippet-env"
PULL_REQUESTS_ONLY = "${{ github.event_name == 'pull_request' }}"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: run `make test`, which installs it")
    return found


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true


def needed(jobs: dict, name: str) -> set[str]:
    """The jobs that job `name` waits for, directly or through others."""
    needs = jobs[name].get("needs", [])
    direct = {needs} if isinstance(needs, str) else set(needs)
    return direct.union(*(needed(jobs, job) for job in direct))


def deploy_jobs(jobs: dict) -> list[str]:
    """The jobs that publish to GitHub Pages."""
    return [
        name
        for name, job in jobs.items()
        if any("actions/deploy-pages@" in step.get("uses", "") for step in job.get("steps", []))
    ]


def bare(condition: str) -> str:
    """A condition without its optional `${{ }}` and with single spaces."""
    match = EXPRESSION.fullmatch(condition.strip())
    return " ".join((match[1] if match else condition).split())


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


def test_actions_are_pinned_to_releases_that_run_on_node24():
    uses = re.compile(r"^\s*(?:- )?uses:\s*(\S+)(?:\s+#\s*(\S+))?\s*$", re.MULTILINE)
    for path in WORKFLOWS:
        for action, comment in uses.findall(path.read_text()):
            if action.startswith(("./", "$/")):
                continue  # this repository's own workflow, at the running commit
            where = f"{path.name}: {action}"
            assert action in PINNED_RELEASES, (
                f"{where} is not a known release SHA: pin the release's commit SHA and add it to "
                "PINNED_RELEASES with its version and the runtime its action.yml declares"
            )
            version, runtime = PINNED_RELEASES[action]
            assert runtime == "node24", f"{where} ({version}) declares {runtime}, not node24"
            assert comment == version, f"{where}: its comment must name its release, {version}"


def test_the_deploy_waits_for_the_tests():
    assert "workflow_call" in triggers(load("test.yml")), "pages.yml cannot call test.yml"
    pages = load("pages.yml")
    jobs = pages["jobs"]
    calls = ("$/.github/workflows/test.yml", "./.github/workflows/test.yml")
    testing = {name for name, job in jobs.items() if job.get("uses") in calls}
    assert testing, "pages.yml must run test.yml's jobs"
    assert deploy_jobs(jobs), "pages.yml has no job that deploys"
    for name in deploy_jobs(jobs):
        chain = needed(jobs, name)
        assert testing & chain, f"pages.yml: {name} deploys without waiting for the tests"
        for job in chain | {name}:
            condition = str(jobs[job].get("if", ""))
            for escape in ("always()", "failure()", "cancelled()"):
                assert escape not in condition, f"pages.yml: {job} runs despite failed tests"
    # The called jobs take test.yml's group: the same one as the caller's would deadlock.
    assert load("test.yml")["concurrency"]["group"] != pages["concurrency"]["group"]


def test_compared_interpreters_have_the_projects_dependencies():
    configured = set()
    for path in WORKFLOWS:
        workflow = load(path.name)
        for level in [workflow, *workflow["jobs"].values()]:
            assert "SNIPPET_PYTHONS" not in level.get("env", {}), f"{path.name}: set it per step"
        for job in workflow["jobs"].values():
            makers = {step["id"]: step for step in job.get("steps", []) if "id" in step}
            for step in job.get("steps", []):
                value = step.get("env", {}).get("SNIPPET_PYTHONS")
                if value is None:
                    continue
                configured.add(path.name)
                where = f"{path.name}: SNIPPET_PYTHONS"
                assert not EXPRESSION.sub("", value).strip(), f"{where} names {value.strip()!r}"
                for expression in EXPRESSION.findall(value):
                    match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.python", expression)
                    maker = makers.get(match[1]) if match else None
                    assert maker and MAKES_SNIPPET_ENV in maker.get("run", ""), (
                        f"{where}: {expression} is not a python that `{MAKES_SNIPPET_ENV}` made"
                    )
    assert configured == {"test.yml", "pages.yml"}, "both workflows compare interpreters"


def test_snippet_env_installs_the_projects_dependencies_and_no_more(tmp_path):
    uv = ROOT / ".tools" / "bin" / "uv"
    if not uv.exists():
        pytest.fail("uv is not installed: run `make test`, which installs it")
    # In a folder of its own (TOOLS), not over the environments this run may be comparing.
    command = [
        "make",
        "-s",
        "snippet-env",
        f"SNIPPET_ENV_PYTHON={sys.executable}",
        f"TOOLS={tmp_path}",
        f"UV={uv}",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    python = done.stdout.strip()
    assert Path(python).is_relative_to(tmp_path), f"prints its python alone: {done.stdout!r}"
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = [re.match(r"[\w.-]+", requirement)[0] for requirement in requirements]
    probe = "import importlib.metadata as m, sys; [m.version(name) for name in sys.argv[1:]]"
    done = subprocess.run([python, "-c", probe, *names], capture_output=True, text=True)
    assert done.returncode == 0, f"{names} not all installed: {done.stderr}"
    done = subprocess.run([python, "-c", "import mkdocs"], capture_output=True, text=True)
    assert done.returncode != 0, "the docs group is not the snippets' to import"


def test_main_is_never_cancelled_and_only_main_deploys():
    for path in WORKFLOWS:
        workflow = load(path.name)
        for level in [workflow, *workflow["jobs"].values()]:
            concurrency = level.get("concurrency")
            if isinstance(concurrency, dict):
                cancel = concurrency.get("cancel-in-progress", False)
                assert cancel in (False, PULL_REQUESTS_ONLY), (
                    f"{path.name}: cancel-in-progress: {cancel} would cancel runs on main; "
                    f"cancel only pull requests: {PULL_REQUESTS_ONLY}"
                )
        for name in deploy_jobs(workflow["jobs"]):
            condition = bare(str(workflow["jobs"][name].get("if", "")))
            assert condition == "github.ref == 'refs/heads/main'", (
                f"{path.name}: {name} must run only for main, `if: github.ref == "
                f"'refs/heads/main'`, not {condition!r}"
            )
