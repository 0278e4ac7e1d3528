"""The site also builds with Zensical, Material's successor, from the same mkdocs.yml, and each
page shows its snippets' output from that build. MkDocs stays the primary build: README.md lists
what Zensical does not do yet. It ignores `hooks:` and `strict`, so a snippet that fails does not
stop its build: the error is rendered into the page instead, which the last tests catch.

On a free-threaded Python the whole module is skipped: Zensical ships no wheel it can load, so
`make` does not install it there (README.md, Zensical)."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_repo, site_pages, snippet_calls
from test_build import assert_page_shows_its_run, scratch_site

ZENSICAL = Path(sys.executable).parent / "zensical"
# markdown-exec's own frame in the traceback it renders when a block raises.
FAILED_BLOCK = 'File "<code block: '


def zensical_unavailable(python: str) -> str | None:
    """Why Zensical cannot run beside the interpreter `python`, or None when it must run (and a
    missing Zensical fails the tests: a check that cannot run must not pass)."""
    asked = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_config_var('Py_GIL_DISABLED'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    if asked.stdout.strip() == "1":
        return "Zensical publishes no wheel for the free-threaded build (README.md, Zensical)"
    return None


if reason := zensical_unavailable(sys.executable):
    pytest.skip(reason, allow_module_level=True)


def fake_python(tmp_path: Path, gil_disabled: str) -> str:
    """An "interpreter" that answers any question with what sysconfig would say for a build
    whose Py_GIL_DISABLED is `gil_disabled`."""
    path = tmp_path / f"python-{gil_disabled}"
    path.write_text(f"#!/bin/sh\necho {gil_disabled}\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize(("gil_disabled", "skipped"), [("1", True), ("0", False), ("None", False)])
def test_the_module_is_skipped_on_a_free_threaded_build_only(tmp_path, gil_disabled, skipped):
    reason = zensical_unavailable(fake_python(tmp_path, gil_disabled))
    assert (reason is not None) == skipped
    assert reason is None or "free-threaded" in reason


def zensical(project: Path, cache: Path) -> subprocess.CompletedProcess:
    """Build `project` (which holds mkdocs.yml) with Zensical: the site lands in project/site."""
    env = {**os.environ, "SNIPPETS_CACHE_DIR": str(cache)}
    env.pop("SNIPPETS_FRESH", None)
    return subprocess.run(
        [ZENSICAL, "build", "--clean", "-f", "mkdocs.yml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


def failed_blocks(site: Path) -> list[str]:
    """The pages of a built site that show a markdown-exec block that raised."""
    return [
        page.relative_to(site).as_posix()
        for page in sorted(site.rglob("*.html"))
        if FAILED_BLOCK in html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    ]


@pytest.fixture(scope="module")
def zensical_build(tmp_path_factory, built_site) -> Path:
    """A copy of the project, built by Zensical (it writes site/ and .cache/ beside mkdocs.yml).

    It starts from the snippet cache of this session's MkDocs build, as `make serve` starts from
    the last build's: the runner takes the same results, and the snippets do not all run again."""
    build = copy_repo(tmp_path_factory.mktemp("zensical") / "repo")
    shutil.copytree(built_site / "cache", build / "cache")
    done = zensical(build, build / "cache")
    assert done.returncode == 0, done.stdout + done.stderr
    return build


def test_zensical_builds_every_page_mkdocs_builds(zensical_build, built_site):
    assert site_pages(zensical_build / "site") == site_pages(built_site / "site")


@pytest.mark.parametrize("call", snippet_calls(), ids=lambda call: f"{call.page}-{call.snippet}")
def test_zensical_page_shows_the_output_of_its_build(zensical_build, call, monkeypatch):
    # Zensical runs no MkDocs hook, so its pages have no environment banner (README.md).
    assert_page_shows_its_run(zensical_build, call, monkeypatch, banner=False)


def test_no_page_of_the_zensical_build_shows_a_failed_block(zensical_build):
    assert failed_blocks(zensical_build / "site") == []


def test_a_failing_snippet_is_caught_under_zensical(tmp_path):
    """The build fails (as under MkDocs) or the failure shows on the page, where the test above
    finds it: either way a broken snippet cannot pass unnoticed. And either way it is this
    snippet's failure, named, not some other error (a configuration Zensical cannot read, say)."""
    scratch_site(tmp_path, 'raise RuntimeError("broken on purpose")\n')
    done = zensical(tmp_path, tmp_path / "cache")
    if done.returncode != 0:
        report = done.stdout + done.stderr
    else:
        assert failed_blocks(tmp_path / "site") == ["index.html"]
        page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
        report = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "snippet snippets/01_scratch.py exited with status 1" in report
    assert "RuntimeError: broken on purpose" in report
