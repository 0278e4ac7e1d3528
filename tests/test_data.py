"""Open data: the build publishes every run it shows as a JSON file of the site, valid against
the documented schema, with an index of them all, and every measured table and chart links to the
files of its runs."""

import json
import posixpath
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, site_pages

SCHEMA = json.loads((ROOT / "runner" / "run.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
FIGURE = re.compile(r'<figure class="chart">.*?</figure>', re.S)
TABLE = re.compile(r"<table data-search-exclude>.*?</table>", re.S)
LINK = re.compile(r'<a class="data-link" href="([^"]+)"')


def published_runs(site: Path) -> dict[str, dict]:
    runs = site / "data" / "runs"
    return {
        path.relative_to(runs).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(runs.rglob("*.json"))
        if path.name != "index.json"
    }


def test_every_published_run_follows_the_schema_and_the_index_lists_them_all(built_site):
    site = built_site / "site"
    runs = published_runs(site)
    assert len(runs) >= 40, sorted(runs)
    for name, record in runs.items():
        errors = [e.message for e in VALIDATOR.iter_errors(record)]
        assert not errors, f"{name}: {errors}"
    index = json.loads((site / "data" / "runs" / "index.json").read_text(encoding="utf-8"))
    assert sorted(run["file"] for run in index["runs"]) == sorted(runs)
    pages = set(site_pages(site))
    assert all(set(run["pages"]) <= pages for run in index["runs"])
    assert json.loads((site / "data" / "run.schema.json").read_text(encoding="utf-8")) == SCHEMA


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r["data"]["measurements"][0].update(samples=[]), "should be non-empty"),
        (lambda r: r["data"]["measurements"][0].update(unit="ms"), "is not one of"),
        (lambda r: r.update(python="/home/me/.venv/bin/python"), "Additional properties"),
        (lambda r: r["environment"].pop("cpus"), "'cpus' is a required property"),
    ],
)
def test_the_schema_rejects_a_run_that_is_not_in_its_shape(built_site, change, problem):
    record = next(r for r in published_runs(built_site / "site").values() if r["data"])
    change(record)
    assert any(problem in e.message for e in VALIDATOR.iter_errors(record))


def linked_runs(fragment: str, page: str, runs: dict) -> list[str]:
    """The published runs that `fragment` of `page` links to (a link to anything else fails)."""
    found = []
    for href in LINK.findall(fragment):
        target = posixpath.normpath(posixpath.join(page, href))
        assert target.startswith("data/runs/"), f"/{page}: {href}"
        found.append(target.removeprefix("data/runs/"))
    assert set(found) <= runs.keys(), f"/{page} links to a run not published: {found}"
    return found


def test_every_measured_table_and_chart_links_to_the_data_of_its_run(built_site):
    site = built_site / "site"
    runs = published_runs(site)
    linked, unlinked = set(), []
    for page in site_pages(site):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        # A chart names its data in its caption; a table, after it and before the next section.
        fragments = [("a chart", figure) for figure in FIGURE.findall(html)]
        rest = FIGURE.sub("", html)
        fragments += [
            ("a table", re.split(r"<h2", rest[table.end() :], maxsplit=1)[0])
            for table in TABLE.finditer(rest)
        ]
        for what, fragment in fragments:
            found = linked_runs(fragment, page, runs)
            unlinked += [] if found else [f"/{page}: {what}"]
            linked.update(found)
    assert not unlinked
    measured = {name for name, record in runs.items() if record["data"]}
    assert linked and linked <= measured
