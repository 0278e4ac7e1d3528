"""Measurements on a page: the JSON a snippet hands the build, the table, the chart and the
claims drawn from one run."""

import html.parser
import json
import re
import shlex
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import python_wrapper

import runner

MARKUP = "R&D <b>\"fast\"</b> 'x' &amp; -->"
"""A label that is also markup: it must reach the reader as these characters."""
DATA = {
    "measurements": [
        {"key": "fast", "label": "fast thing", "unit": "s", "samples": [1e-4, 2e-4, 3e-4]},
        {"key": "slow", "label": "slow thing", "unit": "s", "samples": [0.02, 0.03, 0.01]},
        *(
            {"key": f"{s}/{n}", "label": s, "series": s, "x": n, "unit": "B", "samples": [v]}
            for s, scale in (("small", 1), ("big", 100))
            for n, v in ((1, 0), (10, 4096 * scale), (100, 40960 * scale))
        ),
    ]
}


def measuring_snippet(tmp_path: Path, data: object = DATA) -> str:
    """A snippet that prints a line and writes `data` where the build asks for it."""
    path = tmp_path / "measuring.py"
    path.write_text(
        textwrap.dedent(f"""
        import json, os
        print("measured")
        if path := os.environ.get("SNIPPET_DATA"):
            with open(path, "w") as file:
                file.write({json.dumps(data)!r})
        """)
    )
    return str(path)


def test_data_reaches_the_page_and_the_cache(tmp_path):
    path = measuring_snippet(tmp_path)
    first = runner.measure(path)
    runner.begin_build()
    second = runner.measure(path)
    assert first.result.data == DATA and first.result.stdout == "measured\n"
    assert second.result.cached and second.result.data == DATA
    fast = second["fast"]
    assert (fast.median, fast.low, fast.high) == (2e-4, 1e-4, 3e-4)
    assert str(fast) == "200 µs" and str(second["slow"]) == "20 ms"
    assert second["slow"].median / fast.median == pytest.approx(100)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("not json", 'not a JSON object with a "measurements" list'),
        ({"measurements": [{"key": "a", "unit": "s", "samples": [1]}]}, "without key, label"),
        ({"measurements": [{"key": "a", "label": "a", "unit": "h", "samples": [1]}]}, "unit 'h'"),
        ({"measurements": [{"key": "a", "label": "a", "unit": "s", "samples": []}]}, "numeric"),
    ],
)
def test_malformed_data_fails_the_snippet(tmp_path, data, problem):
    path = tmp_path / "bad.py"
    text = data if isinstance(data, str) else json.dumps(data)
    path.write_text(f"import os\nopen(os.environ['SNIPPET_DATA'], 'w').write({text!r})\n")
    with pytest.raises(runner.SnippetError, match="wrote SNIPPET_DATA that") as error:
        runner.run(str(path))
    assert problem in str(error.value)


def test_a_snippet_without_data_cannot_be_measured(tmp_path):
    path = tmp_path / "plain.py"
    path.write_text("print('no numbers')\n")
    with pytest.raises(runner.SnippetError, match="wrote no data"):
        runner.measure(str(path))


def test_unknown_key_names_the_keys_there_are(tmp_path):
    measured = runner.measure(measuring_snippet(tmp_path))
    with pytest.raises(runner.SnippetError, match=r"measured no 'medium'; it has \['big/1'"):
        measured["medium"]


def test_readable_units():
    assert runner.readable(9.6e-5, "s") == "96 µs"
    assert runner.readable(1.5, "s") == "1.5 s"
    assert runner.readable(16 * 1024, "B") == "16 KiB"
    assert runner.readable(0, "B") == "0 B"
    assert runner.readable(10_000, "") == "10,000"


def test_table_shows_median_spread_and_runs(tmp_path):
    table = runner.measure(measuring_snippet(tmp_path)).table(["fast", "big/10"])
    assert "<td>fast thing</td><td>200 µs</td><td>100 µs – 300 µs</td><td>3</td>" in table
    assert "<td>big, 10</td><td>400 KiB</td>" in table
    assert "Ran with" not in table  # the page's banner says where it ran


def test_charts_are_inline_svg_in_the_theme_colour_with_a_text_alternative(tmp_path):
    measured = runner.measure(measuring_snippet(tmp_path))
    bar = measured.chart(["fast", "slow"], title="Two things", log=True)
    line = measured.chart(kind="line", title="Growth", log=True, xlabel="count")
    for chart in (bar, line):
        assert chart.startswith('<figure class="chart">') and "<svg" in chart
        assert "<?xml" not in chart and "DOCTYPE" not in chart
        assert "currentColor" in chart and runner.charts.INK not in chart
        assert 'role="img"' in chart and "Ran with CPython" in chart
        assert "<metadata" not in chart and "rdf:" not in chart
    assert 'aria-label="Two things. fast thing: 200 µs; slow thing: 20 ms."' in bar
    assert "big: 1 → 0 B, 10 → 400 KiB, 100 → 3.91 MiB" in line
    # Two charts on one page never share an element id.
    ids = [re.findall(r'\bid="([^"]+)"', chart) for chart in (bar, line)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    for chart in (bar, line):
        for reference in re.findall(r"url\(#([^)]+)\)", chart):
            assert f'id="{reference}"' in chart


class Parsed(html.parser.HTMLParser):
    """An HTML fragment as a browser reads it: its tags, its text, its attribute values."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.attributes = [], [], {}
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.setdefault(name, []).append(value)

    def handle_data(self, data):
        self.texts.append(data)


def test_labels_names_and_paths_reach_tables_charts_and_notes_as_text(tmp_path, monkeypatch):
    data = {
        "measurements": [
            {"key": "a", "label": MARKUP, "unit": "s", "samples": [1, 2]},
            *(
                {
                    "key": f"p{x}",
                    "label": MARKUP,
                    "series": MARKUP,
                    "x": x,
                    "unit": "s",
                    "samples": [x],
                }
                for x in (1, 2)
            ),
        ]
    }
    folder = tmp_path / 'R&D <"q">'  # the notes name the snippet by its path
    folder.mkdir()
    path = measuring_snippet(folder, data)
    missing = 'python<&"9'
    monkeypatch.setenv("SNIPPET_PYTHONS", f"{sys.executable} {missing}")
    compared = runner.compare(path)
    measured = compared.runs[0]
    bar_summary, line_summary = f"{MARKUP}: 1.5 s.", f"{MARKUP}: 1 → 1 s, 2 → 2 s."
    shown = {
        # fragment: (texts it must hold whole, aria-labels it must have)
        measured.table(["a"]): ([MARKUP], []),
        compared.table(["a"]): ([MARKUP], []),
        measured.chart(["a"], title=MARKUP): (
            [MARKUP, bar_summary, path],
            [f"{MARKUP}. {bar_summary}"],
        ),
        measured.chart(kind="line", title=MARKUP, xlabel=MARKUP): (
            [MARKUP, line_summary, path],
            [f"{MARKUP}. {line_summary}"],
        ),
        compared.missing_note(): ([missing], []),
    }
    for fragment, (texts, labels) in shown.items():
        parsed = Parsed(fragment)
        assert "b" not in parsed.tags
        for text in texts:
            assert text in parsed.texts
        assert parsed.attributes.get("aria-label", []) == labels


def test_a_claim_that_holds_says_it_was_checked():
    shown = runner.claim("Ten is at least five", 10, at_least=5)
    assert "Checked in this build" in shown and "Measured 10; it needs at least 5." in shown


def test_a_claim_is_a_sentence():
    with pytest.raises(ValueError, match="start it with a capital"):
        runner.claim("ten is at least five", 10, at_least=5)


def test_large_ratios_read_as_a_person_would_say_them():
    assert runner.readable(8852.3, "") == "about 8,900"
    assert runner.readable(567.8, "") == "about 570"
    assert runner.readable(1.254, "") == "1.25"
    assert runner.readable(10_000, "") == "10,000"


def test_a_claim_that_fails_names_page_claim_value_and_bound():
    runner.begin_page("cost/thread.md")
    with pytest.raises(runner.SnippetError) as error:
        runner.claim("A thread starts within a millisecond", 0.004, at_most=1e-3, unit="s")
    assert str(error.value) == (
        "page cost/thread.md: claim does not hold in this build: "
        "'A thread starts within a millisecond': measured 4 ms; needs at most 1 ms"
    )
    assert runner.page_failures() == [str(error.value)]


def test_a_claim_the_machine_cannot_show_is_visibly_not_checked(monkeypatch):
    one_cpu = {**runner.environment(sys.executable), "cpus": 1}
    monkeypatch.setattr(runner.numbers, "environment", lambda python: one_cpu)
    shown = runner.claim("Two workers are faster", 0.1, at_least=1.5, needs_cpus=2)
    assert "Not checked in this build" in shown and "needs 2 usable CPUs" in shown


def test_compare_runs_each_configured_interpreter_and_names_the_missing(tmp_path, monkeypatch):
    # Two interpreters without needing another Python: this one, and a script at another path
    # that runs it (the same version, packages and probe, so only the interpreter itself tells
    # the runs apart: neither the cache nor `run` may mix them up), and one that does not exist.
    # The script logs what it is asked to run.
    log = tmp_path / "wrapper.log"
    wrapper = python_wrapper(
        tmp_path / "python-wrapper", setup=f'echo "$1" >> {shlex.quote(str(log))}'
    )
    pythons = [sys.executable, wrapper]
    monkeypatch.setenv("SNIPPET_PYTHONS", f"{' '.join(pythons)} python9.99t")
    path = measuring_snippet(tmp_path)
    compared = runner.compare(path)
    assert [m.result.python for m in compared] == pythons
    assert path in log.read_text().splitlines()
    assert [m.result.data for m in compared] == [DATA, DATA]
    assert compared.missing == ["python9.99t"]
    shown = compared.output()
    assert shown.count('<div class="compared-run">') == 2
    assert "Configured but not found on the build machine: <code>python9.99t</code>" in shown
    table = compared.table(["fast"])
    assert table.count("<th>CPython ") == 2 and table.count("<td>200 µs</td>") == 2


def test_compare_defaults_to_the_build_interpreter(tmp_path, monkeypatch):
    monkeypatch.delenv("SNIPPET_PYTHONS", raising=False)
    compared = runner.compare(measuring_snippet(tmp_path))
    assert len(compared.runs) == 1 and not compared.missing


def test_a_pivot_has_a_row_per_series_and_a_column_per_x(tmp_path):
    m = runner.measure(measuring_snippet(tmp_path))
    shown = m.pivot([k for k in m.stats if "/" in k], corner="Size")
    assert "<thead><tr><th>Size</th><th>1</th><th>10</th><th>100</th></tr></thead>" in shown
    assert '<tr><th scope="row">big</th><td>0 B</td><td>400 KiB</td><td>3.91 MiB</td></tr>' in shown


def test_a_table_shows_spread_and_runs_only_where_something_ran_twice(tmp_path):
    m = runner.measure(measuring_snippet(tmp_path))
    assert "Spread" in m.table(["fast", "slow"]) and "Runs" in m.table(["fast"])
    once = m.table(["small/1", "big/10"])
    assert "Spread" not in once and "Runs" not in once
    assert m.table(["fast"], folded=True).startswith("<details><summary>Every number")
