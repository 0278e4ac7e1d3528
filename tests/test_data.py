"""Open data: the build publishes every run it shows as a JSON file of the site, valid against
the documented schema, with an index of them all, and every measured table and chart links to the
files of its runs. Numbers from elsewhere (published figures, reference runs) are shown where
they are cited, labelled, and never pass for this build's."""

import dataclasses
import functools
import http.server
import importlib.util
import json
import posixpath
import re
import threading
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, page_html, site_pages

from runner import Result, Stat, data, published

SCHEMA = json.loads((ROOT / "runner" / "run.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
FIGURE = re.compile(r'<figure class="chart">.*?</figure>', re.S)
TABLE = re.compile(r"<table data-search-exclude>.*?</table>", re.S)
LINK = re.compile(r'<a class="data-link" href="([^"]+)"')
CITED = re.compile(r'data-published="([^"]+)"')


def published_runs(site: Path) -> dict[str, dict]:
    runs = site / "data" / "runs"
    return {
        path.relative_to(runs).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(runs.rglob("*.json"))
        if path.name not in ("index.json", "run.schema.json")
    }


def test_every_published_run_follows_the_schema_and_the_index_lists_them_all(built_site):
    site = built_site / "site"
    runs = published_runs(site)
    assert len(runs) >= 40, sorted(runs)
    for name, record in runs.items():
        errors = [f"{e.json_path}: {e.message[:200]}" for e in VALIDATOR.iter_errors(record)]
        assert not errors, f"{name}: {errors}"
    index = json.loads((site / "data" / "runs" / "index.json").read_text(encoding="utf-8"))
    assert sorted(run["file"] for run in index["runs"]) == sorted(runs)
    pages = set(site_pages(site))
    assert all(set(run["pages"]) <= pages for run in index["runs"])
    assert json.loads((site / "data/runs/run.schema.json").read_text(encoding="utf-8")) == SCHEMA


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


def test_every_published_figure_is_shown_on_the_page_that_cites_it(built_site):
    site = built_site / "site"
    figures = published.figures()
    assert len(figures) >= 5
    for key, entry in figures.items():
        page = page_html(site, entry["page"])
        shown = re.search(rf'<div class="published" data-published="{key}">.*?</div>', page, re.S)
        assert shown, f"{entry['page']} does not show the published figure {key!r}"
        assert f'href="{entry["url"]}"' in shown[0]  # with its source
    cited = {key for p in site_pages(site) for key in CITED.findall(page_html(site, p + "index"))}
    assert cited <= figures.keys()
    assert (site / "data" / "published.toml").read_bytes() == published.FIGURES.read_bytes()


def test_a_reference_run_is_shown_on_the_gil_page_and_never_as_this_builds(built_site):
    site = built_site / "site"
    others = published.references("snippets/gil/02_cpu_bound.py")
    assert others, "reference/ has no run of the GIL page's snippet"
    page = page_html(site, "gil/index.md")
    table = re.search(r'<div class="reference-runs">.*?</div>', page, re.S)[0]
    heads = re.findall(r"<th>(.*?)</th>", table)[1:]
    ours = [h for h in heads if h.startswith("This build<br>")]
    theirs = [h for h in heads if h.startswith("Reference run<br>")]
    assert ours and len(theirs) == len(others) and len(ours) + len(theirs) == len(heads)
    for name, _ in others:
        assert any(f"<code>{name}</code>" in head for head in theirs)
    # Not this build's: not among the runs it publishes, nor in the page's banner.
    when = {m.result.ran_at for _, m in others}
    assert not when & {run["ran_at"] for run in published_runs(site).values()}
    banner = re.search(r'<p class="environment-banner".*?</p>', page, re.S)[0]
    assert not any(t.replace("T", " ")[:16] in banner for t in when)


def test_a_published_figure_says_when_this_builds_figure_disagrees_with_it():
    entry = published.figures()["pep703-thread-start"]
    value, factor = entry["value"], entry["explained_within"]

    def shown(ours: float) -> str:
        return published.published("pep703-thread-start", Stat("t", "t", "s", (ours,)))

    assert "the same figure" in shown(value)
    assert "within the factor" in shown(value * factor * 0.9)
    assert "they disagree" in shown(value * factor * 1.1)
    assert "they disagree" in shown(value / factor / 1.1)
    assert "no figure here" in published.published("pep703-thread-start", instead="no figure here")


def a_run() -> Result:
    return Result(
        snippet="snippets/t/01_x.py",
        args=["--n", "2"],
        stdout="out\n",
        stderr="",
        returncode=0,
        seconds=1.5,
        ran_at="2026-11-27T06:00:00+00:00",
        environment={
            "implementation": "CPython",
            "version": "3.14.0",
            "free_threaded": True,
            "gil_enabled": False,
            "cpus": 2,
            "start_method": "forkserver",
            "system": "Linux x86_64",
        },
        data={"measurements": [{"key": "k", "label": "k", "unit": "s", "samples": [1.0]}]},
        python="/somewhere/python3.14t",
        others_cpus=0.1,
    )


def test_runs_written_for_a_reference_read_back_as_they_ran(tmp_path):
    runs = [a_run()]
    data.write(tmp_path, runs)
    assert (tmp_path / "t/01_x_--n_2.cpython-3.14.0t.json").is_file()
    record = json.loads((tmp_path / "t/01_x_--n_2.cpython-3.14.0t.json").read_text())
    assert not list(VALIDATOR.iter_errors(record))
    back = data.read(tmp_path)
    assert back == [dataclasses.replace(runs[0], python="")]  # where it ran stays private


def test_compare_reads_a_reference_from_its_folder_a_built_site_or_a_url(tmp_path):
    spec = importlib.util.spec_from_file_location("compare", ROOT / "tools" / "compare.py")
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    expected = [dataclasses.replace(a_run(), python="")]
    data.write(tmp_path / "reference", [a_run()])
    data.write(tmp_path / "site" / "data" / "runs", [a_run()])
    assert compare.reference_runs(str(tmp_path / "reference"))[1] == expected
    assert compare.reference_runs(str(tmp_path / "site"))[1] == expected
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "reference")
    )
    handler.log_message = lambda *args: None
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            assert compare.reference_runs(url)[1] == expected
        finally:
            server.shutdown()
