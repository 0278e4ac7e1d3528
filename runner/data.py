"""Open data: every run a build shows is published as a file of the site, `data/runs/...json`,
with an index of them all and the schema they follow (`data/run.schema.json`), so that a reader
can check any table or chart against the samples behind it. Each measured table and chart links
to its run's file."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from runner.result import Result

SCHEMA = Path(__file__).with_name("run.schema.json")
"""The JSON Schema every published run follows; published beside them as `data/run.schema.json`."""
FOLDER = PurePosixPath("data/runs")
INDEX = FOLDER / "index.json"
FORMAT = "run/1"
"""Written into every file, so that a reader's tool can tell the shape it reads."""

# The runs this build showed, by their file in the site, and the pages that showed each.
_runs: dict[str, Result] = {}
_pages: dict[str, set[str]] = {}
# The page being rendered, as its URL (set by the MkDocs hook); None in a build without the hook,
# which publishes no data and so links to none.
_page_url: str | None = None


def begin_build() -> None:
    _runs.clear()
    _pages.clear()


def begin_page(url: str | None) -> None:
    global _page_url
    _page_url = url


def site_path(result: Result) -> str:
    """Where a run is published in the site:
    `data/runs/<topic>/<snippet>[_<args>].<interpreter>.json`, the interpreter as
    `cpython-3.14.0` (`t` added for a free-threaded build)."""
    env = result.environment
    interpreter = f"{env['implementation'].lower()}-{env['version']}"
    interpreter += "t" if env["free_threaded"] else ""
    parts = PurePosixPath(result.snippet).with_suffix("").parts
    name = "/".join(parts[1:] if parts[0] == "snippets" and len(parts) > 1 else parts)
    args = "".join("_" + re.sub(r"[^A-Za-z0-9.-]+", "-", arg) for arg in result.args)
    return str(FOLDER / f"{name}{args}.{interpreter}.json")


def shown(result: Result) -> None:
    """Record that the current page shows `result`: the build publishes it."""
    if _page_url is None:
        return
    path = site_path(result)
    _runs[path] = result
    _pages.setdefault(path, set()).add(_page_url)


def anchors(results: Iterable[Result]) -> str:
    """Links to the data of `results`, relative to the current page, for a chart's caption.
    Empty in a build that publishes no data (no hook)."""
    if _page_url is None:
        return ""
    paths = dict.fromkeys(site_path(r) for r in results)
    return ", ".join(
        f'<a class="data-link" href="{html.escape(_relative(path))}">'
        f"{html.escape(PurePosixPath(path).name)}</a>"
        for path in paths
    )


def link(results: Iterable[Result]) -> str:
    """A line under a table: where the data of its runs is. Empty where `anchors` is."""
    found = anchors(results)
    if not found:
        return ""
    return f'<p class="measured-note data-note" data-search-exclude>Data: {found} (JSON)</p>\n'


def _relative(path: str) -> str:
    depth = len(PurePosixPath(_page_url).parts) if _page_url.strip("/") else 0
    return "../" * depth + path


def published(result: Result) -> dict:
    """A run as its file says it: the run's own record, without what only the build needs (where
    its interpreter lives on the build machine, whether it came from the cache)."""
    record = dataclasses.asdict(result)
    for private in ("python", "cached", "timed_out", "left_behind", "over_memory"):
        record.pop(private)
    return {"format": FORMAT, **record}


def publish(site: Path) -> None:
    """Write every run this build showed, the index and the schema into the site at `site`."""
    for path, result in _runs.items():
        _write(site / path, published(result))
    index = [
        {
            "file": str(PurePosixPath(path).relative_to(FOLDER)),
            "snippet": result.snippet,
            "args": result.args,
            "environment": result.environment,
            "ran_at": result.ran_at,
            "pages": sorted(_pages[path]),
        }
        for path, result in sorted(_runs.items())
    ]
    _write(site / INDEX, {"format": "index/1", "schema": "../run.schema.json", "runs": index})
    shutil.copyfile(SCHEMA, site / "data" / SCHEMA.name)


def _write(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
