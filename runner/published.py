"""Numbers from elsewhere, shown beside this build's and never mixed into them: figures that
primary sources publish (one file, `docs/data/published.toml`, published with the site as
`data/published.toml`, each with its source, its conditions and the page that shows it), and
reference runs of other machines or interpreters kept in `reference/`. `tests/test_data.py`
checks that every published figure is shown where it is cited, and that no reference run passes
for this build's."""

from __future__ import annotations

import html
import tomllib
from collections.abc import Sequence

from runner import data
from runner.charts import TABLE
from runner.numbers import Compared, Measured, Stat, heading, median_text, readable
from runner.pages import fail
from runner.probe import ROOT
from runner.result import Result

FIGURES = ROOT / "docs" / "data" / "published.toml"


def figures() -> dict[str, dict]:
    """The published figures, read afresh (`mkdocs serve` shows an edit at once)."""
    with FIGURES.open("rb") as file:
        return tomllib.load(file)


def published(key: str, ours: Stat | None = None, *, instead: str = "") -> str:
    """The published figure `key` as a labelled note: its source, its conditions and its words,
    then this build's figure `ours` (a measurement in the same unit) and how far apart they
    are: within the factor that different machines and versions explain (the entry's
    `explained_within`), or, past it, a plain statement that they disagree. Without `ours`,
    `instead` says why this build has no figure to compare (no free-threaded interpreter, say)."""
    entry = figures().get(key) or fail(f"docs/data/published.toml has no figure {key!r}")
    source = f'<a href="{html.escape(entry["url"])}">{html.escape(entry["source"])}</a>'
    says = f"{source} ({html.escape(entry['conditions'])}): “{html.escape(entry['quote'])}”"
    if ours is None:
        if not instead:
            fail(f"published({key!r}) needs this build's figure, or `instead` saying why not")
        here = html.escape(instead)
    else:
        if ours.unit != entry["unit"]:
            fail(f"published({key!r}): this build measured {ours.unit!r}, not {entry['unit']!r}")
        ratio, factor = ours.median / entry["value"], entry["explained_within"]
        if round(ratio, 2) == 1:
            verdict = "the same figure"
        elif 1 / factor <= ratio <= factor:
            verdict = (
                f"{readable(ratio, '')} times the published figure, within the factor of "
                f"{factor:g} that other machines and versions explain"
            )
        else:
            verdict = (
                f"{readable(ratio, '')} times the published figure: they disagree by more than "
                f"the factor of {factor:g} that other machines and versions explain"
            )
        here = f"This build: {ours}, {verdict}."
    return (
        f'<div class="published" data-published="{html.escape(key)}">\n'
        '<p class="published-title" data-search-exclude>Published elsewhere</p>\n'
        f"<p>{says} <span data-search-exclude>{here}</span></p>\n</div>\n"
    )


REFERENCES = ROOT / "reference"
"""Runs of other machines or interpreters, kept in the repository: each folder is one run of
`tools/compare.py` (`make compare`), named `<date>-<machine>-<interpreter>`."""


def _references() -> tuple[tuple[str, Result], ...]:
    return tuple(
        (index.parent.name, result)
        for index in sorted(REFERENCES.glob("*/index.json"))
        for result in data.read(index.parent)
    )


def references(snippet: str) -> list[tuple[str, Measured]]:
    """The reference runs of `snippet` that measured something, with their folder's name."""
    return [(name, Measured(r)) for name, r in _references() if r.snippet == snippet and r.data]


def beside_references(this: Compared, keys: Sequence[str], *, corner: str = "Median") -> str:
    """A table of `keys` (medians): a column per run of this build, then a column per reference
    run of the same snippet, headed "Reference run" with its folder (machine and date) and its
    interpreter, so that no reader takes it for this build's. `corner` heads the rows' names.
    Empty without reference runs."""
    others = references(this.runs[0].result.snippet)
    if not others:
        return ""
    head = "".join(
        f"<th>This build<br><small>{html.escape(heading(m.result.environment))}</small></th>"
        for m in this.runs
    )
    head += "".join(
        f"<th>Reference run<br><small><code>{html.escape(name)}</code>, "
        f"{html.escape(heading(m.result.environment))}, {m.result.environment['cpus']} CPUs"
        "</small></th>"
        for name, m in others
    )
    columns = [*this.runs, *(m for _, m in others)]
    rows = "".join(
        f"<tr><td>{html.escape(_row_name(this.runs[0][key]))}</td>"
        + "".join(f"<td>{median_text(m, key)}</td>" for m in columns)
        + "</tr>\n"
        for key in keys
    )
    return (
        f'<div class="reference-runs">\n{TABLE}\n'
        f"<thead><tr><th>{html.escape(corner)}</th>{head}</tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n</table>\n{this.data_note()}"
        '<p class="measured-note">Reference runs are not this build\'s: they were run on the '
        "machine and the date their folder names, kept in the repository's <code>reference/</code> "
        "folder, and written by <code>make compare</code>.</p>\n</div>\n"
    )


def _row_name(stat: Stat) -> str:
    """ "threads, 2" for a point of a line chart's series, else the measurement's own name."""
    if stat.series is None or stat.x is None:
        return stat.name
    return f"{stat.series}, {readable(stat.x, stat.x_unit)}"
