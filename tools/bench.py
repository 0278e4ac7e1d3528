"""What a build costs and what a reader downloads: the cold, warm and no-execution builds, a
rebuild after an edit, the runner's overhead per snippet; then the search index and each page's
first load, beside the same figures for Material's own one-page site.

    python tools/bench.py [SITE]      (or: make bench, which builds site/ first)
    python tools/bench.py --weights-only [SITE]

The builds run in a copy of the repository with a cache of their own, so your `.cache/` and
`site/` are not touched. The cold build runs every snippet (about 5 minutes on 2 CPUs) once; the
other builds are medians of `ROUNDS`.

A first load is a page opened in a fresh browser context (an empty cache) and left until the
network is idle: every request it makes is counted, the search worker included (this site's
pages fetch the search index only when a reader opens search; Material's fetch it at once).
Bytes are uncompressed: the decoded body of every response, without headers. The local
`http.server` compresses nothing, so they are the files' own sizes, the same from run to run; a
host that compresses (GitHub Pages gzips) sends fewer. 1 KB = 1000 bytes.

The tests hold the site to the limits below (tests/test_weight.py), with this module's code.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEARCH_INDEX_LIMIT = 100_000
"""Bytes: the most the search index may weigh gzipped, as a host that compresses (GitHub Pages)
sends it when a reader opens the search. Issue 10 set 150 KB uncompressed for an index of 14
pages; as pages are added the index grows with them, and what a reader waits for is the
compressed download."""
FIRST_LOAD_LIMIT = 450_000
"""Bytes: the most the median page's first load may weigh (issue 10)."""
SEARCH_INDEX = "search/search_index.json"
LOAD_TIMEOUT = 120_000
"""Milliseconds a page may take to load when every page loads at once (`measure`): Playwright's
default of 30 s is for one page, on a machine that may be shared."""
# Chromium as this benchmark and the tests (tests/conftest.py) launch it: headless, and calling
# no host of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    # Without these Chromium calls home at start: requests that would count against the privacy
    # test and, on a machine with no route out, fail and slow every launch.
    "--disable-background-networking",
    "--disable-component-update",
]


@dataclass
class Load:
    """One page's first load: {resource, as a path in the site: bytes}."""

    page: str
    resources: dict[str, int]

    @property
    def bytes(self) -> int:
        return sum(self.resources.values())


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as a URL path relative to its root ("" for the home page)."""
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
    )


def measure(browser, site: Path, base_url: str, watch=None) -> list[Load]:
    """Every page of `site` (served at `base_url`) loaded cold, heaviest first: the requests each
    makes, each resource named by its file in the site, with the bytes of its decoded body.
    `watch(path)`, if given, returns what to call with each page before it loads (the tests record
    its errors and hosts).

    Each page loads in a fresh context (an empty cache), all of them at once: what a page fetches
    does not depend on when, and each is left until its network is idle (half a second with no
    request), waits that overlap rather than add up."""
    opened = []
    try:
        for path in site_pages(site):
            context = browser.new_context()
            page = context.new_page()
            finished = []
            page.on("requestfinished", lambda request, into=finished: into.append(request))
            if watch:
                watch(path)(page)
            page.goto(base_url + path, wait_until="commit", timeout=LOAD_TIMEOUT)
            opened.append((path, context, page, finished))
        loads = []
        for path, _, page, finished in opened:
            page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT)
            # The decoded body, read once the page is idle: Chromium reports no transfer size for
            # the search worker's script, and a body's length needs no trust in the server's
            # headers.
            named = {}
            for request in finished:
                name = request.url.removeprefix(base_url)
                name += "index.html" if name.endswith("/") or not name else ""
                named[name] = len(request.response().body())
            loads.append(Load(path, named))
    finally:
        for _, context, _, _ in opened:
            context.close()
    return sorted(loads, key=lambda load: -load.bytes)


def median_load(loads: list[Load]) -> float:
    return statistics.median(load.bytes for load in loads)


def index_bytes(site: Path) -> int:
    return (site / SEARCH_INDEX).stat().st_size


def index_gzipped(site: Path) -> int:
    """The search index gzipped (level 6, gzip's default), as a compressing host sends it."""
    return len(gzip.compress((site / SEARCH_INDEX).read_bytes(), 6))


def index_heaviest(site: Path, entries: int = 5) -> list[str]:
    """The search index's largest entries (a page's section each), with their bytes."""
    docs = json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8"))["docs"]
    sizes = sorted(((len(json.dumps(doc).encode()), doc["location"]) for doc in docs), reverse=True)
    return [f"    {kb(n):>8}  {location}" for n, location in sizes[:entries]]


def inline_svg_bytes(html_file: Path) -> int:
    """Bytes of a page's HTML spent on inline `<svg>`: charts, and the theme's icons."""
    text = html_file.read_text(encoding="utf-8")
    return sum(len(m.encode()) for m in re.findall(r"<svg\b.*?</svg>", text, re.S))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(
    site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler, at: str = "/"
) -> Iterator[str]:
    """`site` served by `handler` on 127.0.0.1, on a free port, under the path `at`: yields its
    URL. (The tests serve it under a sub-path, as GitHub Pages does, with their own handler.)"""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{at}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        sys.exit("Chromium is not installed: apt-get install chromium (README.md)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml's tags (!ENV, !!python/name) as nothing: only the theme is wanted."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)

ONE_PAGE = """\
# A page

Material's own weight: one page of plain text, with the theme options and the search plugin of
this site's mkdocs.yml, and nothing else.
"""


def build_material_site(directory: Path) -> Path:
    """A one-page mkdocs-material site with this site's theme options and search, built into
    `directory`/site: Material's own weight, to compare with."""
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    # The theme's options, not this site's own templates (custom_dir), were there any.
    theme = {key: value for key, value in ours["theme"].items() if key != "custom_dir"}
    config = {"site_name": "One page", "theme": theme, "plugins": ["search"]}
    (directory / "docs").mkdir(parents=True, exist_ok=True)
    (directory / "docs" / "index.md").write_text(ONE_PAGE)
    (directory / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", "site"],
        cwd=directory,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return directory / "site"


def kb(n: float) -> str:
    return f"{n / 1000:,.{0 if n >= 10_000 else 1}f} KB"


def figures(site: Path, loads: list[Load]) -> dict[str, float]:
    """The headline figures, in bytes."""
    weights = sorted(load.bytes for load in loads)
    return {
        "search index, gzipped": index_gzipped(site),
        "search index": index_bytes(site),
        f"first load, median of {len(loads)} pages": median_load(loads),
        "first load, lightest page": weights[0],
        "first load, heaviest page": weights[-1],
    }


def heaviest(site: Path, loads: list[Load], pages: int = 3, resources: int = 5) -> list[str]:
    """The heaviest pages and, for each, its heaviest resources."""
    lines = []
    for load in loads[:pages]:
        lines.append(f"  /{load.page}  {kb(load.bytes)}")
        top = sorted(load.resources.items(), key=lambda item: -item[1])[:resources]
        for name, n in top:
            note = ""
            if name == load.page + "index.html":
                note = f"  (inline <svg> {kb(inline_svg_bytes(site / name))})"
            lines.append(f"    {kb(n):>8}  {name}{note}")
    return lines


def report(site: Path) -> str:
    with chromium() as browser:
        with serve(site) as url:
            loads = measure(browser, site, url)
        with tempfile.TemporaryDirectory() as tmp:
            material = build_material_site(Path(tmp))
            with serve(material) as url:
                material_loads = measure(browser, material, url)
            theirs = list(figures(material, material_loads).values())
            material_pages = heaviest(material, material_loads, pages=1, resources=10)
    limits = [kb(SEARCH_INDEX_LIMIT), "", kb(FIRST_LOAD_LIMIT), "", ""]
    table = [f"  {'':32}{'this site':>12}{'Material':>12}{'limit':>10}"]
    for i, (name, n) in enumerate(figures(site, loads).items()):
        table.append(f"  {name:32}{kb(n):>12}{kb(theirs[i]):>12}{limits[i]:>10}".rstrip())
    return "\n".join(
        [
            "Uncompressed bytes (decoded response bodies, no headers) of cold loads in Chromium,",
            "and the search index also gzipped, as a compressing host sends it;",
            "1 KB = 1000 bytes. Material: a one-page site with this site's theme and search.",
            *table,
            "The search index's largest entries:",
            *index_heaviest(site),
            "The heaviest pages, and their heaviest resources:",
            *heaviest(site, loads),
            "Material's one page, by resource:",
            *material_pages[1:],
        ]
    )


# What a copy of the repository leaves out: environments, installs, builds, caches.
LEFT_OUT = (".git", ".venv", ".tools", "node_modules", "site", ".cache", "*_cache", "__pycache__")
ROUNDS = 3
"""How many times each build but the cold one is timed: the figure is their median."""
EDITED_SNIPPET = "snippets/cost/01_sleepers.py"
EDITED_PAGE = "docs/gil/index.md"


def copy_repo(destination: Path) -> Path:
    """A copy of the working tree to build or change without touching the real one."""
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(*LEFT_OUT))
    # The npm packages are installed, not copied: the copy's build takes Mermaid from them.
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination


def timed_build(repo: Path, cache: Path, **env: str) -> float:
    """Seconds of wall time for the strict build of `repo` with the snippet cache `cache`."""
    inherited = {name: value for name, value in os.environ.items() if name != "SNIPPETS_FRESH"}
    env = {**inherited, "SNIPPETS_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1", **env}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", "site"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"the build of {repo} failed:\n{done.stderr}")
    return seconds


def median_build(repo: Path, cache: Path, before=lambda: None) -> float:
    times = []
    for _ in range(ROUNDS):
        before()
        times.append(timed_build(repo, cache))
    return statistics.median(times)


def runs_since(cache: Path, moment: float) -> list[dict]:
    """The snippet runs written to `cache` after `moment` (a time.time())."""
    return [
        json.loads(entry.read_text(encoding="utf-8"))
        for entry in cache.glob("*.json")
        if entry.stat().st_mtime >= moment
    ]


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


OVERHEAD = """
import statistics, subprocess, sys, time
import runner
snippet = sys.argv[1]
runner.run(snippet)  # the interpreter's probes, asked once per build, are not per snippet
bare, by_runner = [], []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    subprocess.run([sys.executable, snippet], capture_output=True, check=True)
    bare.append(time.perf_counter() - start)
    runner.begin_build()  # else a build's second run of a snippet is the first one's result
    start = time.perf_counter()
    runner.run(snippet)
    by_runner.append(time.perf_counter() - start)
print(statistics.median(bare), statistics.median(by_runner))
"""


def runner_overhead(repo: Path) -> tuple[float, float]:
    """Median seconds of a do-nothing snippet run bare (`python snippet.py`) and by the runner,
    uncached, in one process as in a build: what the runner adds is the difference."""
    snippet = repo / "snippets" / "bench_nothing.py"
    snippet.write_text('if __name__ == "__main__":\n    print("nothing")\n')
    env = {**os.environ, "SNIPPETS_FRESH": "1", "SNIPPETS_CACHE_DIR": str(repo / "cache")}
    command = [sys.executable, "-c", OVERHEAD, str(snippet), str(10 * ROUNDS)]
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=True)
    snippet.unlink()
    bare, by_runner = map(float, done.stdout.split())
    return bare, by_runner


def build_report() -> str:
    """The build figures (issue 12), measured now in a copy of the repository."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        repo, cache = copy_repo(Path(tmp) / "repo"), Path(tmp) / "cache"
        started = time.time()
        cold = timed_build(repo, cache, SNIPPETS_FRESH="1")
        snippets = sum(run["seconds"] for run in runs_since(cache, started))
        warm = median_build(repo, cache)
        # The same pages with no block executed: every `exec="on"` fence shown as code.
        quiet = copy_repo(Path(tmp) / "no-exec")
        for page in (quiet / "docs").rglob("*.md"):
            page.write_text(page.read_text(encoding="utf-8").replace(' exec="on"', ""))
        no_exec = median_build(quiet, Path(tmp) / "no-exec-cache")
        edits = iter(range(ROUNDS))
        moment = time.time()
        snippet_rebuild = median_build(
            repo, cache, lambda: append(repo / EDITED_SNIPPET, f"# edit {next(edits)}\n")
        )
        reran = len({run["snippet"] for run in runs_since(cache, moment)})
        page_rebuild = median_build(
            repo, cache, lambda: append(repo / EDITED_PAGE, "\nOne more sentence.\n")
        )
        bare, by_runner = runner_overhead(repo)
    cpus = os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()
    rows = [
        ("cold build (SNIPPETS_FRESH=1), once", f"{cold:.1f} s"),
        ("  the snippets' own run times, summed", f"{snippets:.1f} s"),
        ("  cold build / snippets", f"{cold / snippets:.2f}  (goal ≤ 1.05)"),
        ("warm build (nothing changed)", f"{warm:.1f} s"),
        ("no-execution build (same pages)", f"{no_exec:.1f} s"),
        ("  warm / no-execution", f"{warm / no_exec:.2f}  (goal ≤ 1.2)"),
        (f"rebuild after editing {EDITED_SNIPPET}", f"{snippet_rebuild:.1f} s"),
        ("  snippets it ran", f"{reran}  (goal: that one)"),
        (f"rebuild after editing {EDITED_PAGE}", f"{page_rebuild:.1f} s"),
        ("  over the no-execution build", f"{page_rebuild - no_exec:+.1f} s  (goal ≤ +1 s)"),
        ("a do-nothing snippet, bare", f"{bare * 1000:.0f} ms"),
        ("  by the runner (uncached)", f"{by_runner * 1000:.0f} ms"),
        ("  runner overhead", f"{(by_runner - bare) * 1000:.0f} ms  (goal ≤ 30 ms)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(
        [
            f"Builds on this machine ({cpus} CPUs, load average {os.getloadavg()[0]:.1f} at the "
            f"end), medians of {ROUNDS} except the cold build:",
            *(f"  {name:{width}}  {value}" for name, value in rows),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="a built site")
    parser.add_argument("--weights-only", action="store_true", help="skip the build timings")
    arguments = parser.parse_args()
    site = arguments.site
    if not (site / SEARCH_INDEX).is_file():
        sys.exit(f"{site} holds no built site: run `make build` (or `make bench`, which does)")
    if not arguments.weights_only:
        print(build_report(), flush=True)
    print(report(site.resolve()))


if __name__ == "__main__":
    main()
