"""The site also builds with Zensical, Material's successor, from the same mkdocs.yml, and each
page shows its snippets' output from that build. MkDocs stays the primary build: README.md lists
what Zensical does not do yet. It ignores `hooks:` and `strict`, so a snippet that fails does not
stop its build: the error is rendered into the page instead, which the last tests catch."""

import html
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import copy_repo, site_pages, snippet_calls
from test_build import assert_page_shows_its_run, scratch_site

ZENSICAL = Path(sys.executable).parent / "zensical"
# markdown-exec's own frame in the traceback it renders when a block raises.
FAILED_BLOCK = 'File "<code block: '


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
    if not ZENSICAL.exists() and sysconfig.get_config_var("Py_GIL_DISABLED"):
        pytest.skip("Zensical publishes no wheel for the free-threaded build (README.md, Zensical)")
    build = copy_repo(tmp_path_factory.mktemp("zensical") / "repo")
    shutil.copytree(built_site / "cache", build / "cache")
    done = zensical(build, build / "cache")
    assert done.returncode == 0, done.stdout + done.stderr
    return build


def test_zensical_builds_every_page_mkdocs_builds(zensical_build, built_site):
    assert site_pages(zensical_build / "site") == site_pages(built_site / "site")


@pytest.mark.parametrize("call", snippet_calls(), ids=lambda call: f"{call.page}-{call.snippet}")
def test_zensical_page_shows_the_output_of_its_build(zensical_build, call, monkeypatch):
    assert_page_shows_its_run(zensical_build, call, monkeypatch)


def test_no_page_of_the_zensical_build_shows_a_failed_block(zensical_build):
    assert failed_blocks(zensical_build / "site") == []


def test_a_failing_snippet_is_caught_under_zensical(tmp_path):
    """The build fails (as under MkDocs) or the failure shows on the page, where the test above
    finds it: either way a broken snippet cannot pass unnoticed."""
    scratch_site(tmp_path, 'raise RuntimeError("broken on purpose")\n')
    done = zensical(tmp_path, tmp_path / "cache")
    assert done.returncode != 0 or failed_blocks(tmp_path / "site") == ["index.html"]
