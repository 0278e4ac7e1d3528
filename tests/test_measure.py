"""Measurements on a page: the JSON a snippet hands the build, the table, the chart and the
claims drawn from one run."""

import html
import html.parser
import json
import os
import re
import shlex
import subprocess
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


def svg_texts(chart: str) -> list[str]:
    """The texts drawn inside a chart's SVG, unescaped."""
    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    return [html.unescape(text) for text in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def test_charts_are_inline_svg_in_the_theme_colour_with_a_text_alternative(tmp_path):
    measured = runner.measure(measuring_snippet(tmp_path))
    dot = measured.chart(["fast", "slow"], title="Two things", log=True)
    line = measured.chart(kind="line", title="Growth", log=True, xlabel="count")
    for chart in (dot, line):
        assert chart.startswith('<figure class="chart">') and "<svg" in chart
        assert "<?xml" not in chart and "DOCTYPE" not in chart
        assert "currentColor" in chart and runner.charts.INK not in chart
        assert 'role="img"' in chart and "From the run of" in chart
        assert "<metadata" not in chart and "rdf:" not in chart
    assert 'aria-label="Two things. fast thing: 200 µs; slow thing: 20 ms."' in dot
    assert "big: 1 → 0 B, 10 → 400 KiB, 100 → 3.91 MiB" in line
    # Two charts on one page never share an element id.
    ids = [re.findall(r'\bid="([^"]+)"', chart) for chart in (dot, line)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    for chart in (dot, line):
        for reference in re.findall(r"url\(#([^)]+)\)", chart):
            assert f'id="{reference}"' in chart


def test_a_chart_has_its_title_a_short_caption_and_its_numbers_folded_in_html(tmp_path):
    measured = runner.measure(measuring_snippet(tmp_path))
    dot = measured.chart(["fast", "slow"], title="Two things", log=True)
    line = measured.chart(kind="line", title="Growth", log=True, xlabel="count")
    for chart, title in ((dot, "Two things"), (line, "Growth")):
        # The title is HTML, where it wraps; drawn in the SVG it would be cut off at its edge.
        assert f'<figcaption class="chart-title">{title}</figcaption>' in chart
        assert title not in svg_texts(chart)
        caption = re.search(r'<p class="chart-note">(.*?)</p>', chart, re.S).group(1)
        assert "From the run of <code>" in caption
        assert "20 ms" not in caption and "400 KiB" not in caption  # the numbers are folded
        assert "<details" in chart and "<summary>The numbers behind this chart</summary>" in chart
        assert chart.index("<details") > chart.index("</svg>")
    # What a mark stands for: a median over a range, or the one run there was.
    assert "The dot is the median; the line runs from the lowest to the highest run." in dot
    assert "Each point is one run." in line
    # A dot chart's table: a row per measurement, its median over its spread, and the runs.
    assert "<td>fast thing</td><td>200 µs<br><small>100 µs – 300 µs</small></td>" in dot
    assert "Each cell is the median of 3 runs, with the lowest and the highest below it." in dot
    # A line chart's table: a row per x, a column per series; one run each: no spread.
    assert "<th>count</th><th>small</th><th>big</th>" in line
    assert "<tr><td>10</td><td>4 KiB</td><td>400 KiB</td></tr>" in line
    assert "lowest" not in line and "<small>" not in line


def test_axes_name_their_units_and_label_no_minor_ticks(tmp_path):
    measured = runner.measure(measuring_snippet(tmp_path))
    dot = svg_texts(measured.chart(["fast", "slow"], title="t", log=True))
    line = svg_texts(measured.chart(kind="line", title="t", log=True, xlabel="count"))
    linear = svg_texts(measured.chart(["fast", "slow"], title="t"))
    assert "time, log scale" in dot and {"100 µs", "1 ms", "10 ms"} <= set(dot)
    assert "memory, log scale" in line and "count, log scale" in line
    assert {"10", "100"} <= set(line)  # a tick at each measured x, when there are few
    assert {"16 KiB", "1 MiB"} <= set(line)  # bytes tick at powers of 2, in their unit
    assert "time, ms" in linear and "0" in linear  # a linear axis starts at zero
    for texts in (dot, line, linear):
        assert not [t for t in texts if re.search(r"\de[+-]|×|\$", t)], texts  # no 1e+06, 4×10⁰


def test_a_linear_axis_counts_in_the_unit_of_its_largest_value(tmp_path):
    """It reads "15 s", never "15,000 ms", though most values are under a second."""
    data = {
        "measurements": [
            {"key": k, "label": k, "unit": "s", "samples": v}
            for k, v in (("a", [0.1, 0.2]), ("b", [0.2, 0.3]), ("c", [10, 15]))
        ]
    }
    texts = svg_texts(runner.measure(measuring_snippet(tmp_path, data)).chart(title="t"))
    assert "time, s" in texts and {"0", "5", "10", "15"} <= set(texts)


def test_a_label_too_long_for_the_chart_wraps_rather_than_being_cut_off(tmp_path):
    long = "a measurement whose name runs on and on, far wider than any phone could show"
    data = {"measurements": [{"key": "a", "label": long, "unit": "s", "samples": [1, 2]}]}
    texts = svg_texts(runner.measure(measuring_snippet(tmp_path, data)).chart(title="t"))
    first = texts.index(next(t for t in texts if t.startswith("a measurement")))
    assert texts[first] != f"{long}: 1.5 s"  # drawn on lines, one text each
    assert " ".join(texts[first : first + 2]) == f"{long}: 1.5 s"


def test_a_short_log_range_still_has_labelled_ticks():
    """Less than a decade on a log axis: ticks at 1, 2 and 5 times a power of ten, in place of
    matplotlib's labelled minor ticks ("4 × 10⁰")."""
    ticks = runner.charts._log_ticks(3, 9, base=10)
    assert [runner.charts.tick_label(t, "") for t in ticks] == ["3", "5", "7"]
    assert runner.charts._log_ticks(2e-4, 8e-4, base=10) == pytest.approx([2e-4, 3e-4, 5e-4, 7e-4])
    assert runner.charts._log_ticks(1.5e-7, 4.5e-5, base=10) == pytest.approx(
        [3e-7, 1e-6, 3e-6, 1e-5, 3e-5]  # two decades: 1 and 3 times each, evenly spaced
    )
    assert runner.charts._log_ticks(1e-6, 1e2, base=10)[:2] == pytest.approx([1e-6, 1e-4])
    assert runner.charts._log_ticks(1000, 40e6, base=2) == [2.0**10, 2.0**15, 2.0**20, 2.0**25]
    assert runner.charts.tick_label(1e-3, "s") == "1 ms"
    assert runner.charts.tick_label(32 * 2**10, "B") == "32 KiB"
    assert runner.charts.tick_label(1e5, "") == "100,000"


def test_a_speed_up_chart_draws_the_ideal_line_from_zero(tmp_path):
    data = {
        "measurements": [
            {"key": f"{s}/{n}", "label": s, "series": s, "x": n, "unit": "", "samples": [v, v]}
            for s, speed in (("threads", 0), ("processes", 1))
            for n in (1, 2, 4)
            for v in [1 + (n - 1) * speed * 0.9]
        ]
    }
    measured = runner.measure(measuring_snippet(tmp_path, data))
    chart = measured.chart(kind="line", title="Speed-up", xlabel="workers", speed_up=True)
    texts = svg_texts(chart)
    assert "speed-up, × serial" in texts and "ideal" in texts and "0" in texts
    assert "median" not in texts
    assert "The dashed line is the ideal" in chart
    plain = measured.chart(kind="line", title="Speed-up", xlabel="workers")
    assert "ideal" not in svg_texts(plain)
    with pytest.raises(runner.SnippetError, match="a speed-up chart is a line chart"):
        measured.chart(title="Speed-up", speed_up=True)
    with pytest.raises(runner.SnippetError, match="neither 'dot' nor 'line'"):
        measured.chart(title="Bars", kind="bar")


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
    dot_summary, line_summary = f"{MARKUP}: 1.5 s.", f"{MARKUP}: 1 → 1 s, 2 → 2 s."
    shown = {
        # fragment: (texts it must hold whole, aria-labels it must have)
        measured.table(["a"]): ([MARKUP], []),
        compared.table(["a"]): ([MARKUP], []),
        measured.chart(["a"], title=MARKUP): (
            [MARKUP, f"{MARKUP}: 1.5 s", path],  # the title, the dot's label, the note
            [f"{MARKUP}. {dot_summary}", f"{MARKUP}: the numbers"],  # the SVG, the table's box
        ),
        measured.chart(kind="line", title=MARKUP, xlabel=MARKUP): (
            [MARKUP, path],  # the title, the series and the axis; the note
            [f"{MARKUP}. {line_summary}", f"{MARKUP}: the numbers"],
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


def counting_draws(monkeypatch) -> list[str]:
    """Record each chart matplotlib draws (the cache's misses)."""
    draws = []
    for name in ("_draw_dots", "_draw_lines"):
        drawing = getattr(runner.charts, name)

        def counted(*args, _drawing=drawing, _name=name, **kwargs):
            draws.append(_name)
            return _drawing(*args, **kwargs)

        monkeypatch.setattr(runner.charts, name, counted)
    return draws


def test_a_chart_is_drawn_once_for_its_data_and_options(tmp_path, monkeypatch):
    draws = counting_draws(monkeypatch)
    measured = runner.measure(measuring_snippet(tmp_path))
    first = measured.chart(["fast", "slow"], title="Two things", log=True)
    line = measured.chart(kind="line", title="Growth", log=True, xlabel="count")
    assert draws == ["_draw_dots", "_draw_lines"]
    assert measured.chart(["fast", "slow"], title="Two things", log=True) == first
    assert measured.chart(kind="line", title="Growth", log=True, xlabel="count") == line
    assert len(draws) == 2, "the same data and options were drawn again"
    measured.chart(["fast", "slow"], title="Two things", log=False)  # another option
    measured.chart(["fast"], title="Two things", log=True)  # other data
    measured.chart(kind="line", title="Growth", log=True, xlabel="count, x")
    assert len(draws) == 5


def test_a_chart_whose_numbers_changed_is_drawn_again(tmp_path, monkeypatch):
    draws = counting_draws(monkeypatch)
    runner.measure(measuring_snippet(tmp_path)).chart(["fast"], title="T", log=True)
    changed = json.loads(json.dumps(DATA))
    changed["measurements"][0]["samples"] = [1e-4, 2.5e-4, 3e-4]
    (other := tmp_path / "changed").mkdir()
    runner.measure(measuring_snippet(other, changed)).chart(["fast"], title="T", log=True)
    assert len(draws) == 2


def test_a_corrupt_or_fresh_chart_entry_is_drawn_again(tmp_path, monkeypatch):
    draws = counting_draws(monkeypatch)
    measured = runner.measure(measuring_snippet(tmp_path))
    chart = measured.chart(["fast"], title="T", log=True)
    [entry] = (Path(runner.cache.directory()) / "charts").glob("*.svg")
    entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a crash
    assert measured.chart(["fast"], title="T", log=True) == chart and len(draws) == 2
    entry.write_bytes(b"\xff\xfe not text")
    assert measured.chart(["fast"], title="T", log=True) == chart and len(draws) == 3
    monkeypatch.setenv("SNIPPETS_FRESH", "1")
    assert measured.chart(["fast"], title="T", log=True) == chart and len(draws) == 4


def _run_with(others_cpus: float | None, cpus: int = 2) -> runner.Measured:
    """A run of a snippet as the runner reports it, with what else the machine did meanwhile."""
    env = {**runner.environment(sys.executable), "cpus": cpus}
    result = runner.Result(
        snippet="snippets/x/01_x.py",
        args=[],
        stdout="",
        stderr="",
        returncode=0,
        seconds=1.0,
        ran_at="",
        environment=env,
        others_cpus=others_cpus,
    )
    return runner.Measured(result)


@pytest.fixture
def two_cpus(monkeypatch):
    two = {**runner.environment(sys.executable), "cpus": 2}
    monkeypatch.setattr(runner.numbers, "environment", lambda python: two)


def test_a_parallel_claim_is_checked_when_the_machine_left_its_cpus_free(two_cpus):
    free = _run_with(others_cpus=0.1)
    shown = runner.parallel_claim("Two workers keep two CPUs busy", 1.9, run=free, at_least=1.5)
    assert "Checked in this build" in shown
    runner.begin_page("gil/index.md")
    # Workers that did not run at once on a free machine fail it: the condition is not theirs.
    with pytest.raises(runner.SnippetError, match="measured 1.02; needs at least 1.5"):
        runner.parallel_claim("Two workers keep two CPUs busy", 1.02, run=free, at_least=1.5)


def test_a_parallel_claim_on_a_busy_machine_says_why_it_was_not_checked(two_cpus):
    busy, unseen = _run_with(others_cpus=0.9), _run_with(others_cpus=None)
    shown = runner.parallel_claim("Two workers keep two CPUs busy", 1.0, run=busy, at_least=1.5)
    assert "Not checked in this build" in shown
    assert "took 0.90 CPUs on average while the snippet ran, leaving 1.10 free" in shown
    assert busy.machine_was_busy and not unseen.machine_was_busy
    shown = runner.parallel_claim("Two workers keep two CPUs busy", 1.0, run=unseen, at_least=1.5)
    assert "Not checked" in shown and "cannot see what else the machine ran" in shown


@pytest.mark.skipif(not Path("/proc/stat").is_file(), reason="the runner reads /proc/stat")
def test_the_runner_counts_what_else_the_machine_did_and_not_the_snippet(tmp_path):
    # The snippet keeps two processes computing; another program (started here, before it)
    # computes beside it. The snippet's own CPU time must not count as other work: the two
    # together cannot pass the machine's CPUs.
    path = tmp_path / "spin.py"
    path.write_text(
        textwrap.dedent("""
        import multiprocessing, os, time
        def spin():
            end = time.monotonic() + 1.5
            while time.monotonic() < end:
                pass
        if __name__ == "__main__":
            workers = [multiprocessing.Process(target=spin) for _ in range(2)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            times = os.times()
            print(times.children_user + times.children_system)
        """)
    )
    other = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        run = runner.run(str(path))
    finally:
        other.kill()
        other.wait()
    cpus = len(os.sched_getaffinity(0))
    snippet_cpus = float(run.stdout) / run.seconds
    assert run.others_cpus is not None
    assert run.others_cpus + snippet_cpus <= cpus + 0.25, (run.others_cpus, snippet_cpus)
    if cpus == 2:  # the other program got its share: what the snippet's processes left
        assert run.others_cpus >= 0.3, (run.others_cpus, snippet_cpus)
