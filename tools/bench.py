"""What a reader downloads: the search index, and each page's first load, beside the same figures
for Material's own one-page site.

    python tools/bench.py [SITE]      (or: make bench, which builds site/ first)

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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEARCH_INDEX_LIMIT = 150_000
"""Bytes: the most the search index may weigh (issue 10)."""
FIRST_LOAD_LIMIT = 450_000
"""Bytes: the most the median page's first load may weigh (issue 10)."""
SEARCH_INDEX = "search/search_index.json"
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


def first_load(browser, url: str) -> dict[str, int]:
    """The requests one page makes on a cold load: {URL: bytes of its decoded body}."""
    finished = []
    context = browser.new_context()  # a fresh profile: nothing cached
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="networkidle")
        # The decoded body, read once the page is idle: Chromium reports no transfer size for
        # the search worker's script, and a body's length needs no trust in the server's headers.
        return {request.url: len(request.response().body()) for request in finished}
    finally:
        context.close()


def measure(browser, site: Path, base_url: str) -> list[Load]:
    """Every page of `site` (served at `base_url`) loaded cold, heaviest first; each resource
    named by its file in the site."""
    loads = []
    for path in site_pages(site):
        resources = first_load(browser, base_url + path)
        named = {}
        for url, n in resources.items():
            name = url.removeprefix(base_url)
            named[name + "index.html" if name.endswith("/") or not name else name] = n
        loads.append(Load(path, named))
    return sorted(loads, key=lambda load: -load.bytes)


def median_load(loads: list[Load]) -> float:
    return statistics.median(load.bytes for load in loads)


def index_bytes(site: Path) -> int:
    return (site / SEARCH_INDEX).stat().st_size


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
    limits = [kb(SEARCH_INDEX_LIMIT), kb(FIRST_LOAD_LIMIT), "", ""]
    table = [f"  {'':32}{'this site':>12}{'Material':>12}{'limit':>10}"]
    for i, (name, n) in enumerate(figures(site, loads).items()):
        table.append(f"  {name:32}{kb(n):>12}{kb(theirs[i]):>12}{limits[i]:>10}".rstrip())
    return "\n".join(
        [
            "Uncompressed bytes (decoded response bodies, no headers) of cold loads in Chromium;",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="a built site")
    site = parser.parse_args().site
    if not (site / SEARCH_INDEX).is_file():
        sys.exit(f"{site} holds no built site: run `make build` (or `make bench`, which does)")
    print(report(site.resolve()))


if __name__ == "__main__":
    main()
