import contextlib
import http.server
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import views

import runner
import runner.plan
from runner.plan import Call

ROOT = Path(__file__).resolve().parent.parent
# The page weights' benchmark (`make bench`), which also serves a site and launches Chromium for
# the tests. tools/ holds scripts, not a package: it is loaded from its file.
_spec = importlib.util.spec_from_file_location("bench", ROOT / "tools" / "bench.py")
bench = sys.modules["bench"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
# Chromium as Debian installs it (`apt-get install chromium`); CHROMIUM names another build of it
# (the GitHub workflow points it at the runner's Chrome). Playwright never downloads a browser here.
CHROMIUM_ARGS = bench.CHROMIUM_ARGS
FIGURES: dict[str, str] = {}
"""Figures the checks measured (pages, violations, page weight), printed after the test run."""


@pytest.fixture(autouse=True)
def isolated_runner(tmp_path_factory, monkeypatch):
    """Every test runs from the repository root with its own empty snippet cache."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SNIPPETS_CACHE_DIR", str(tmp_path_factory.mktemp("snippet-cache")))
    monkeypatch.delenv("SNIPPETS_FRESH", raising=False)
    runner.begin_build()


def snippet_calls() -> list[Call]:
    """Every call of the runner that runs a snippet, in the pages' markdown-exec blocks, read with
    `ast` rather than run, so that tests see exactly what the build will run."""
    return runner.plan.snippet_calls(ROOT / "docs")


def python_wrapper(path: Path, *, setup: str = "", prefix: str = "", options: str = "") -> str:
    """Another interpreter without another Python: a shell script at `path` that runs the shell
    line `setup`, then this Python (behind `prefix`, e.g. `taskset -c 0`; given `options`) with
    the script's arguments. Only its path, and what `setup`, `prefix` and `options` change, tell
    it from this one."""
    python = shlex.quote(sys.executable)
    path.write_text(f'#!/bin/sh\n{setup}\nexec {prefix} {python} {options} "$@"\n')
    path.chmod(0o755)
    return str(path)


copy_repo = bench.copy_repo


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ends(pid: int, within: float = 30.0) -> bool:
    """Whether a process killed with SIGKILL is gone within `within` seconds: the signal is
    delivered asynchronously, so on a busy machine the process may still be running for a moment
    after `kill` returns (a one-shot check failed about one run in six here)."""
    deadline = time.monotonic() + within
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def build_command(config: Path, site: Path, quiet: bool = False) -> list[str]:
    """The strict build of `config` into `site`, as this Python runs it."""
    quietly = ["-q"] if quiet else []
    strict = ["build", "--strict", *quietly, "-f", str(config), "-d", str(site)]
    return [sys.executable, "-m", "mkdocs", *strict]


def build_env(cache: Path, **env: str) -> dict[str, str]:
    """The environment of a test's build: its own snippet cache, nothing forced fresh."""
    env = {**os.environ, "SNIPPETS_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1", **env}
    env.pop("SNIPPETS_FRESH", None)
    return env


def mkdocs_build(
    config: Path, site: Path, cache: Path, quiet: bool = False, **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        build_command(config, site, quiet),
        cwd=config.parent,
        env=build_env(cache, **env),
        capture_output=True,
        text=True,
        timeout=1800,
    )


# GitHub Pages serves a project site under /<repository>/, not at the root; the tests build and
# serve it so too, where a hand-written absolute path ("/javascripts/...") fails to load.
SUB_PATH = "/python-concurrency-measured/"


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    """Where this session builds the real site: `site/`, and `cache/`, the snippet runs. The
    snippet tests run their snippets into the same cache, so that a test run runs each snippet
    once per interpreter: the build takes the snippet tests' runs, or they take the build's."""
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def built_site(build_dir) -> Path:
    """The real site, built once per test session from an empty snippet cache (or one that only
    the snippet tests filled): every snippet runs once, checked the same way either way.
    `site/` holds the pages, `cache/` what the runner recorded.

    Built as the Pages workflow builds it, with SITE_URL under a sub-path (MkDocs takes the 404
    page's links from its path); the port does not matter to the build, so none is given."""
    done = mkdocs_build(
        ROOT / "mkdocs.yml",
        build_dir / "site",
        build_dir / "cache",
        SITE_URL=f"http://127.0.0.1{SUB_PATH}",
    )
    assert done.returncode == 0, done.stderr
    return build_dir


def page_html(site: Path, page: str) -> str:
    stem = page.removesuffix(".md")
    target = "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"
    return (site / target).read_text(encoding="utf-8")


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as a URL path relative to its root ("" for the home page).

    Found in the build rather than listed, so every page added later is checked too."""
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
    )


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a site under SUB_PATH as GitHub Pages serves a project site: anything outside it is
    a bare 404, and a missing file inside it gets the site's own 404.html."""

    def send_head(self):
        if not (self.path + "/").startswith(SUB_PATH):
            self.send_error(404, f"nothing here: the site is under {SUB_PATH}")
            return None
        return super().send_head()

    def translate_path(self, path):
        return super().translate_path(path.removeprefix(SUB_PATH.rstrip("/")))

    def send_error(self, code, message=None, explain=None):
        missing_page = Path(self.directory) / "404.html"
        if code != 404 or not self.path.startswith(SUB_PATH) or not missing_page.is_file():
            return super().send_error(code, message, explain)
        body = missing_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # one line per request would drown pytest's output
        pass


def serve(directory: Path) -> contextlib.AbstractContextManager[str]:
    """`directory` served over HTTP on 127.0.0.1, on a free port, under SUB_PATH: yields its URL."""
    return bench.serve(directory, _SubPathHandler, SUB_PATH)


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    """The built site served for the session, under SUB_PATH (the root is a 404)."""
    with serve(built_site / "site") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, driven by Playwright. Missing Chromium fails the tests, never skips them:
    a check that cannot run must not pass."""
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail(
            "Chromium is not installed, so the browser, privacy and accessibility checks cannot "
            "run. Install it once: `apt-get install chromium default-jre-headless` "
            "(README.md, 'Two commands'), or set CHROMIUM to a Chromium or Chrome executable.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


LOOPBACK = "127.0.0.1"


@dataclass
class PageLoad:
    problems: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)


def watch(page, load: PageLoad) -> None:
    """Record on `load` what a page asks for and whatever goes wrong while it loads."""
    page.on("console", lambda m: m.type == "error" and load.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: load.problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: load.problems.append(f"failed: {r.url} ({r.failure})"))
    # A URL with no host (data:) is part of the page.
    page.on("request", lambda r: load.hosts.add(urlsplit(r.url).hostname or LOOPBACK))

    def finished(request):
        response = request.response()
        if response and response.status >= 400:
            load.problems.append(f"HTTP {response.status}: {request.url}")

    page.on("requestfinished", finished)


@dataclass
class FirstLoads:
    watched: dict[str, PageLoad]
    """{page: what went wrong while it loaded, and the hosts it asked}"""
    weighed: list
    """bench.Load for every page: what it downloaded"""


@pytest.fixture(scope="session")
def first_loads(browser, built_site, site_url) -> FirstLoads:
    """Every page opened once, each in a fresh context (an empty cache, as a first visit) and
    left until the network is idle ("networkidle" waits for the search worker too): what each
    page asks for, what goes wrong, and what it weighs (tools/bench.py's measure, which loads
    them all at once)."""
    watched = {}

    def watcher(path):
        watched[path] = load = PageLoad()
        return lambda page: watch(page, load)

    weighed = bench.measure(browser, built_site / "site", site_url, watcher)
    FIGURES["pages checked in the browser"] = str(len(watched))  # their weight: test_weight.py
    return FirstLoads(watched, weighed)


@pytest.fixture(scope="session")
def seen(browser, built_site, site_url) -> dict[tuple, dict]:
    """Every page seen once in each view (tests/views.py): {(viewport, scheme, page): findings}."""
    return views.see_every_page(browser, site_url, site_pages(built_site / "site"))


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
