"""Open data: every run a build shows is published as a file of the site, `data/runs/...json`,
with an index of them all and the schema they follow, so that a reader can check any table or
chart against the samples behind it. Each measured table and chart links to its run's file."""

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
"""The JSON Schema every published run follows, written beside the runs (`data/runs/`)."""
FOLDER = PurePosixPath("data/runs")
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


def run_file(result: Result) -> str:
    """A run's file, under the folder of runs: `<topic>/<snippet>[_<args>].<interpreter>.json`,
    the interpreter as `cpython-3.14.0` (`t` added for a free-threaded build)."""
    env = result.environment
    interpreter = f"{env['implementation'].lower()}-{env['version']}"
    interpreter += "t" if env["free_threaded"] else ""
    parts = PurePosixPath(result.snippet).with_suffix("").parts
    name = "/".join(parts[1:] if parts[0] == "snippets" and len(parts) > 1 else parts)
    args = "".join("_" + re.sub(r"[^A-Za-z0-9.-]+", "-", arg) for arg in result.args)
    return f"{name}{args}.{interpreter}.json"


def site_path(result: Result) -> str:
    """Where a run is published in the site: `data/runs/` and its `run_file`."""
    return str(FOLDER / run_file(result))


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


def record(result: Result) -> dict:
    """A run as its file says it: the run's own record, without what only the build needs (where
    its interpreter lives on the build machine, whether it came from the cache)."""
    fields = dataclasses.asdict(result)
    for private in ("python", "cached", "timed_out", "left_behind", "over_memory"):
        fields.pop(private)
    return {"format": FORMAT, **fields}


def publish(site: Path) -> None:
    """Write every run this build showed, their index and the schema into the site at `site`."""
    write(site / FOLDER, _runs.values(), {run_file(r): sorted(_pages[p]) for p, r in _runs.items()})


def write(
    folder: Path, results: Iterable[Result], pages: dict[str, list[str]] | None = None
) -> None:
    """Write `results` into `folder`, one file each (`run_file`), and `index.json`, which lists
    them with the `pages` that show each (by file), if given."""
    index = []
    for result in sorted(results, key=run_file):
        name = run_file(result)
        _write(folder / name, record(result))
        index.append(
            {
                "file": name,
                "snippet": result.snippet,
                "args": result.args,
                "environment": result.environment,
                "ran_at": result.ran_at,
                "pages": (pages or {}).get(name, []),
            }
        )
    _write(folder / "index.json", {"format": "index/1", "schema": SCHEMA.name, "runs": index})
    shutil.copyfile(SCHEMA, folder / SCHEMA.name)


def read(folder: Path) -> list[Result]:
    """The runs that `write` wrote into `folder` (a reference run, say), as results."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    results = []
    for entry in index["runs"]:
        record = json.loads((folder / entry["file"]).read_text(encoding="utf-8"))
        if record.pop("format") != FORMAT:
            raise ValueError(f"{folder / entry['file']} is not in the format {FORMAT}")
        results.append(Result(**record))
    return results


def _write(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
