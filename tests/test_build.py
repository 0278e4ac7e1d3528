"""The strict build: it passes, each page shows what its snippets printed in that very build, and a
snippet that raises, hangs or prints markup is handled as the runner promises."""

import dataclasses
import html
import re
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, Call, mkdocs_build, page_html, snippet_calls

import runner


@pytest.mark.parametrize("call", snippet_calls(), ids=lambda call: f"{call.page}-{call.snippet}")
def test_page_shows_the_output_of_this_build(built_site, call, monkeypatch):
    assert_page_shows_its_run(built_site, call, monkeypatch)


def assert_page_shows_its_run(build: Path, call: Call, monkeypatch, banner: bool = True):
    """The page in build/site shows the output of each snippet it shows, as that build ran it
    (build/cache), and the environment of every run it quotes: in the page's banner, or beside a
    run whose environment differs from the banner's (a compared interpreter; and every run where
    no hook puts up a banner, as under Zensical). Where no hook runs (`banner=False`), a page that
    only quotes numbers from a run another page shows cannot say where it ran: not checked."""
    monkeypatch.setenv("SNIPPETS_CACHE_DIR", str(build / "cache"))
    shown = page_html(build / "site", call.page)
    banners = re.findall(r'<p class="environment-banner"[^>]*>(.*?)</p>', shown, re.S)
    assert len(banners) <= 1, f"{call.page} has {len(banners)} environment banners"
    pythons = runner.interpreters()[0] if call.function == "compare" else [runner.snippet_python()]
    for python in pythons:
        result = runner.run(call.snippet, python=python, **call.options)
        assert result.cached, f"the build did not run {call.snippet} with {python}"
        if call.shown:
            output = (result.stdout + result.stderr).rstrip("\n")
            assert html.escape(output) in shown, f"{call.page} does not show all of the output"
        # The environment and time of that run; "output cached from that run" may follow it.
        ran = runner.describe(dataclasses.replace(result, cached=False)).removesuffix(".")
        in_banner = banners and html.escape(runner.output.machine(result.environment)) in banners[0]
        if banner or call.shown:
            assert in_banner or html.escape(ran) in shown


def scratch_site(tmp_path: Path, snippet_code: str, call: str = "", then: str = "") -> Path:
    """A one-page site with the project's hook whose page runs one snippet, then the code `then`
    in the same block."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "01_scratch.py").write_text(textwrap.dedent(snippet_code))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Scratch\n\n"
        '```python exec="on" html="1"\n'
        "from runner import run_snippet\n"
        f'print(run_snippet("snippets/01_scratch.py"{call}))\n'
        f"{then}"
        "```\n"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: scratch\n"
        f"hooks: [{ROOT / 'runner' / 'hooks.py'}]\n"
        "markdown_extensions: [pymdownx.superfences]\n"
        "plugins: [markdown-exec]\n"
    )
    return config


def test_a_snippet_that_raises_fails_the_build(tmp_path):
    config = scratch_site(tmp_path, 'print("half way")\nraise RuntimeError("broken on purpose")\n')
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert "page index.md: snippet snippets/01_scratch.py exited with status 1" in done.stderr
    assert "RuntimeError: broken on purpose" in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_snippet_that_hangs_fails_the_build_in_time(tmp_path):
    hang = 600  # seconds the snippet would sleep if nothing stopped it
    config = scratch_site(tmp_path, f"import time\ntime.sleep({hang})\n", call=", timeout=3")
    start = time.monotonic()
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    elapsed = time.monotonic() - start
    assert done.returncode != 0
    assert "page index.md: snippet snippets/01_scratch.py timed out after 3 s" in done.stderr
    # Stopped at its 3 s timeout, not when the sleep ended: this one-page build takes a few
    # seconds, so a fifth of the sleep (120 s) is a margin no busy machine should reach.
    assert elapsed < hang / 5


def test_page_code_that_raises_fails_the_build(tmp_path):
    """Not the runner's error: the page's own code raises. markdown-exec only warns, and the
    strict build must turn that warning into a failure."""
    config = scratch_site(tmp_path, 'print("fine")\n', then="print(1 / 0)\n")
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert "ZeroDivisionError: division by zero" in done.stderr
    assert "Aborted with 1 warnings in strict mode" in done.stdout + done.stderr


def test_markup_in_output_is_shown_as_text(tmp_path):
    config = scratch_site(tmp_path, 'print("<script>alert(1)</script> *not emphasis*")\n')
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    shown = (tmp_path / "site" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *not emphasis*" in shown
    assert "<script>alert(1)" not in shown


def test_a_claim_that_does_not_hold_fails_the_build(tmp_path):
    config = scratch_site(
        tmp_path,
        'print("measured")\n',
        then='from runner import claim\nprint(claim("Two is at least three", 2, at_least=3))\n',
    )
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert (
        "page index.md: claim does not hold in this build: 'Two is at least three': "
        "measured 2; needs at least 3"
    ) in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()
