"""Turn a snippet's numbers into what a page shows: tables, charts, sentences and checked claims.

A page measures with one call and then quotes the run, so that every number it shows and every
claim it makes comes from the same run of the same build:

```python
m = measure("snippets/cost/02_start_cost.py")
thread, fork = m["thread"], m["process (fork)"]
print(claim("a process costs more to start than a thread", fork.median / thread.median, at_least=5))
print(f"<p>Starting a thread took {thread} here.</p>")
```
"""

from __future__ import annotations

import dataclasses
import html
import statistics
from collections.abc import Sequence

from runner import data
from runner.charts import TABLE, dot_chart, line_chart
from runner.output import describe
from runner.pages import example_html, fail, run, shown
from runner.probe import environment, interpreters, snippet_python
from runner.result import DEFAULT_TIMEOUT, UNITS, Result, SnippetError


def readable(value: float, unit: str) -> str:
    """A value in the largest unit that keeps it at 1 or more: `readable(9.6e-05, "s")` is
    `"96 µs"`, `readable(16384, "B")` is `"16 KiB"`, `readable(10000, "")` is `"10,000"`,
    `readable(8852.3, "")` is `"about 8,900"`."""
    if not unit:
        if float(value).is_integer():
            return f"{value:,.0f}"
        if abs(value) >= 100:  # a person says "about 9,000", not 8.85e+03
            return f"about {float(f'{value:.2g}'):,.0f}"
        return f"{value:.3g}"
    for name, scale in UNITS[unit]:
        if abs(value) >= scale or scale == UNITS[unit][-1][1]:
            return f"{value / scale:.3g} {name}".rstrip()
    raise AssertionError("unreachable: the last scale always matches")


@dataclasses.dataclass(frozen=True)
class Stat:
    """One measurement from a snippet's data: its samples and what they summarise to."""

    key: str
    """How a page refers to it, e.g. `"process (fork)"`."""
    label: str
    """What a reader sees in tables and charts."""
    unit: str
    """`"s"` (seconds), `"B"` (bytes) or `""` (a plain number)."""
    samples: tuple[float, ...]
    series: str | None = None
    """The line it belongs to in a line chart."""
    x: float | None = None
    """Its place on a line chart's horizontal axis."""
    x_unit: str = ""
    """The unit of `x`, if any."""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def __str__(self) -> str:
        """The median, readable: `"96 µs"`."""
        return readable(self.median, self.unit)

    @property
    def name(self) -> str:
        """The label, with its place on the horizontal axis if it has one."""
        return self.label if self.x is None else f"{self.label}, {readable(self.x, self.x_unit)}"


class Measured:
    """One run of a measuring snippet, and the views of it a page prints."""

    def __init__(self, result: Result):
        self.result = result
        items = result.data["measurements"] if result.data else []
        self.stats = {
            item["key"]: Stat(
                key=item["key"],
                label=item["label"],
                unit=item["unit"],
                samples=tuple(item["samples"]),
                series=item.get("series"),
                x=item.get("x"),
                x_unit=item.get("x_unit", ""),
            )
            for item in items
        }
        self.notes: dict[str, str] = (result.data or {}).get("notes", {})
        self.inputs: dict[str, float] = (result.data or {}).get("inputs", {})

    @property
    def free_cpus(self) -> float | None:
        """The usable CPUs that other work on the machine left free while this ran, on average;
        None where the runner could not see that work."""
        others = self.result.others_cpus
        return None if others is None else self.result.environment["cpus"] - others

    @property
    def machine_was_busy(self) -> bool:
        """Whether other work left fewer than `FREE_CPUS` free while this ran (False where the
        runner could not see it): its parallel claims were not checked, and a page should say so
        beside its speed-ups."""
        return self.free_cpus is not None and self.free_cpus < FREE_CPUS

    def __getitem__(self, key: str) -> Stat:
        if key not in self.stats:
            fail(f"{self.result.snippet} measured no {key!r}; it has {sorted(self.stats)}")
        return self.stats[key]

    def __contains__(self, key: str) -> bool:
        return key in self.stats

    def input(self, name: str) -> float:
        """One of the numbers the script set (a sleep, a count), as it wrote them to its data:
        `{"inputs": {"sleep": SLEEP}}`. A page quotes them from here, never retyped (the build
        warns where a page types one of a script's UPPER_CASE numbers)."""
        if name not in self.inputs:
            fail(f"{self.result.snippet} wrote no input {name!r}; it has {sorted(self.inputs)}")
        return self.inputs[name]

    def output(self) -> str:
        """The run's transcript, as [`run_snippet`][runner.run_snippet] shows it."""
        return shown(self.result)

    def example(self, *sections: str) -> str:
        """This run as an example, like [`example`][runner.example]: the snippet's `sections`,
        the whole script folded, and the run. Print it from a markdown-exec block (`exec="on"`)."""
        return example_html(self.result.snippet, sections, self.output())

    def source_note(self) -> str:
        """Which run the numbers come from; where it ran only if the page's banner does not say."""
        elsewhere = self.result.environment != environment(snippet_python())
        where = f" {html.escape(describe(self.result))}" if elsewhere else ""
        snippet = html.escape(self.result.snippet)
        found = data.anchors([self.result])
        published = f" Its data: {found} (JSON)." if found else ""
        return f"From the run of <code>{snippet}</code> in this build.{where}{published}"

    def data_note(self) -> str:
        """Where this run's data is published, for a table a page writes itself (the runner's
        own tables and charts say it already)."""
        return data.link([self.result])

    def table(self, keys: Sequence[str] | None = None, *, folded: bool = False) -> str:
        """An HTML table of the medians, spreads and sample counts of `keys` (default: all);
        `folded`, under a closed "Every number of this run" (the data behind a pivot or chart)."""
        shown = table([self[k] for k in keys or self.stats]) + self.data_note()
        if folded:
            return f"<details><summary>Every number of this run</summary>\n{shown}</details>\n"
        return shown

    def pivot(self, keys: Sequence[str], *, corner: str = "") -> str:
        """An HTML table a person reads: a row per series (a model, say), a column per place on
        the horizontal axis (a count, say), each cell a median. `corner` heads the row names."""
        stats = [self[k] for k in keys]
        if loose := [s.key for s in stats if s.series is None or s.x is None]:
            fail(f"{self.result.snippet}: {loose} have no series and x to pivot on")
        xs = sorted({s.x for s in stats})
        cells = {(s.series, s.x): s for s in stats}
        head = "".join(f"<th>{readable(x, stats[0].x_unit)}</th>" for x in xs)
        rows = "".join(
            f'<tr><th scope="row">{html.escape(series)}</th>'
            + "".join(f"<td>{cells.get((series, x), '–')}</td>" for x in xs)
            + "</tr>\n"
            for series in dict.fromkeys(s.series for s in stats)
        )
        return (
            f"{TABLE}\n<thead><tr><th>{html.escape(corner)}</th>{head}</tr></thead>\n"
            f"<tbody>\n{rows}</tbody>\n</table>\n{self.data_note()}"
        )

    def chart(
        self,
        keys: Sequence[str] | None = None,
        *,
        title: str,
        kind: str = "dot",
        series: Sequence[str] | None = None,
        log: bool = False,
        xlabel: str = "",
        speed_up: bool = False,
    ) -> str:
        """A chart drawn now from this run, under its `title` (HTML, above the chart), with a short
        caption naming the run and the numbers folded in a table below.

        `kind="dot"` shows the median of each of `keys` (default: all) as a dot on a line from its
        lowest to its highest sample. `kind="line"` draws one line per series of `keys` (default:
        every series of every measurement), each point a measurement's median against its `x`
        (the horizontal axis named `xlabel`). `log` puts the measured axis (and a line chart's
        `x`) on a log scale. `speed_up` marks a line chart of speed-ups against one worker: a
        linear axis from zero, "speed-up, × serial", with the ideal line (N workers, N times as
        fast) drawn for comparison."""
        note = self.source_note()
        if kind == "dot":
            if speed_up:
                fail("a speed-up chart is a line chart: pass kind='line'")
            stats = [self[k] for k in keys or self.stats]
            return dot_chart(stats, title=title, log=log, note=note, readable=readable)
        if kind != "line":
            fail(f"chart kind {kind!r} is neither 'dot' nor 'line'")
        pool = [self[k] for k in keys] if keys else self.stats.values()
        chosen = [s for s in pool if s.series is not None and s.x is not None]
        names = list(series or dict.fromkeys(s.series for s in chosen))
        lines = {
            name: sorted((s for s in chosen if s.series == name), key=lambda s: s.x)
            for name in names
        }
        if empty := [name for name, points in lines.items() if not points]:
            fail(f"{self.result.snippet} has no measurements in series {empty}")
        return line_chart(
            lines,
            title=title,
            log=log,
            xlabel=xlabel,
            note=note,
            readable=readable,
            speed_up=speed_up,
        )


def measure(path: str, *, timeout: float = DEFAULT_TIMEOUT, args: Sequence[str] = ()) -> Measured:
    """Run a measuring snippet (or take its cached result) for a page to quote.

    Fails the page when the snippet fails, or when it wrote no data.
    """
    return _measured(path, timeout=timeout, args=args, python=snippet_python())


def _measured(path: str, *, timeout: float, args: Sequence[str], python: str) -> Measured:
    try:
        result = run(path, timeout=timeout, args=args, python=python)
    except SnippetError as error:
        fail(str(error))
    if not result.data:
        fail(f"snippet {path} wrote no data under {python}: it must write SNIPPET_DATA")
    return Measured(result)


class Compared:
    """One snippet run under each of the [`interpreters`][runner.interpreters], side by side."""

    def __init__(self, runs: Sequence[Measured], missing: Sequence[str]):
        self.runs = list(runs)
        """One run per interpreter found, in the configured order."""
        self.missing = list(missing)
        """The configured interpreters that this machine does not have."""

    def __iter__(self):
        return iter(self.runs)

    def output(self) -> str:
        """The transcripts side by side, each with its environment, and the missing named."""
        columns = "".join(f'<div class="compared-run">{m.output()}</div>\n' for m in self.runs)
        return f'<div class="compared">\n{columns}</div>\n{self.missing_note()}'

    def example(self, *sections: str) -> str:
        """The runs as an example: the snippet's `sections`, the whole script folded, the runs."""
        return example_html(self.runs[0].result.snippet, sections, self.output())

    def _stat(self, key: str) -> Stat:
        """The first run's measurement `key` (failing the page if no run has it)."""
        return next((m[key] for m in self.runs if key in m), None) or self.runs[0][key]

    def missing_note(self) -> str:
        if not self.missing:
            return ""
        names = ", ".join(f"<code>{html.escape(name)}</code>" for name in self.missing)
        return _admonition_html(
            "warning",
            "Not run in this build",
            f"Configured but not found on the build machine: {names}.",
        )

    def table(self, keys: Sequence[str]) -> str:
        """An HTML table: a row per measurement (median), a column per interpreter; a run that
        did not measure a row (a library missing from that interpreter, say) shows a dash."""
        head = "".join(f"<th>{html.escape(heading(m.result.environment))}</th>" for m in self.runs)
        rows = "".join(
            f"<tr><td>{html.escape(self._stat(key).name)}</td>"
            + "".join(f"<td>{median_text(m, key)}</td>" for m in self.runs)
            + "</tr>\n"
            for key in keys
        )
        return (
            f"{TABLE}\n<thead><tr><th>Median</th>{head}</tr></thead>\n"
            f"<tbody>\n{rows}</tbody>\n</table>\n{self.data_note()}"
        )

    def data_note(self) -> str:
        """Where the runs' data is published, for a table a page writes itself."""
        return data.link(m.result for m in self.runs)


def data_note(*runs: Measured) -> str:
    """Where the data of `runs` is published, for a table a page writes itself from several runs
    (the runner's own tables and charts say it already)."""
    return data.link(m.result for m in runs)


def median_text(measured: Measured, key: str) -> str:
    """The median of `key` in `measured`, readable, or a dash where that run did not measure it."""
    return str(measured[key]) if key in measured else "–"


def heading(env: dict) -> str:
    """A short name for an interpreter: `"CPython 3.14.0, free-threaded, GIL disabled"`."""
    build = "free-threaded" if env["free_threaded"] else "default build"
    gil = "GIL enabled" if env["gil_enabled"] else "GIL disabled"
    return f"{env['implementation']} {env['version']}, {build}, {gil}"


def compare(path: str, *, timeout: float = DEFAULT_TIMEOUT) -> Compared:
    """Run a measuring snippet under each configured interpreter (`SNIPPET_PYTHONS`), one after
    another, for a page to show side by side. Interpreters that are configured but missing are
    named on the page, not dropped."""
    found, missing = interpreters()
    runs = [_measured(path, timeout=timeout, args=(), python=python) for python in found]
    return Compared(runs, missing)


def table(stats: Sequence[Stat], note: str = "") -> str:
    """An HTML table of measurements, which may come from several runs: the median of each, and
    its spread and number of runs where any was run more than once. Like every table of numbers
    the runner makes, it stays out of the search index (`data-search-exclude`): nobody searches
    for a median."""
    repeated = any(len(s.samples) > 1 for s in stats)
    rows = "".join(
        f"<tr><td>{html.escape(s.name)}</td><td>{readable(s.median, s.unit)}</td>"
        + (
            f"<td>{readable(s.low, s.unit)} – {readable(s.high, s.unit)}</td>"
            f"<td>{len(s.samples)}</td>"
            if repeated
            else ""
        )
        + "</tr>\n"
        for s in stats
    )
    spread = "<th>Spread (min – max)</th><th>Runs</th>" if repeated else ""
    caption = f'<p class="measured-note">{note}</p>\n' if note else ""
    return (
        f"{TABLE}\n<thead><tr><th>Measured</th><th>Median</th>{spread}</tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n</table>\n{caption}"
    )


def claim(
    statement: str,
    value: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    needs_cpus: int | None = None,
    unit: str = "",
) -> str:
    """Check a page's claim against this build's numbers, and say on the page that it was checked.

    `value` is computed from the run (usually a ratio of medians); the claim holds when it is at
    least `at_least` and at most `at_most`. When it does not hold the build fails, naming the page,
    the claim, the value and the bound (shown in `unit`: `"s"`, `"B"` or `""`). With `needs_cpus`,
    a machine with fewer usable CPUs shows that the claim was not checked, instead of checking
    what it cannot show.
    """
    if at_least is None and at_most is None:
        raise ValueError("a claim needs a bound: at_least, at_most or both")
    if not (statement[:1].isupper() or statement[:1].isdigit()):
        raise ValueError(f"a claim is a sentence: start it with a capital: {statement!r}")
    bounds = " and ".join(
        f"{word} {readable(bound, unit)}"
        for word, bound in (("at least", at_least), ("at most", at_most))
        if bound is not None
    )
    cpus = environment(snippet_python())["cpus"]
    if needs_cpus is not None and cpus < needs_cpus:
        return not_checked(
            statement, f"this needs {needs_cpus} usable CPUs, and the build had {cpus}"
        )
    holds = (at_least is None or value >= at_least) and (at_most is None or value <= at_most)
    if not holds:
        fail(
            f"claim does not hold in this build: {statement!r}: "
            f"measured {readable(value, unit)}; needs {bounds}"
        )
    return _claim("checked", statement, f"Measured {readable(value, unit)}; it needs {bounds}.")


FREE_CPUS = 1.75
"""The CPUs a run must have left free, on average, for a claim about parallel workers to be
checked: on a 2-CPU machine, other work may have used a quarter of one."""


def parallel_claim(statement: str, value: float, *, run: Measured, at_least: float) -> str:
    """Check a claim about parallel workers on this machine: that `value`, from `run`, is at least
    `at_least`. Prefer the CPUs the workers kept busy (their CPU time over the wall time, in their
    best round) to a speed-up: it shows that they ran at once on any machine, while a speed-up
    also depends on the hardware (two virtual CPUs that share one core's units give far less than
    twice the speed, at full CPU time each).

    It needs 2 usable CPUs, and that the machine left them free while the snippet ran: the runner
    measures what everything else did meanwhile ([`Result.others_cpus`][runner.Result.others_cpus]),
    independently of the workers, so workers that fail to run at once still fail the claim. With
    fewer than `FREE_CPUS` free, the page says the claim was not checked, and why."""
    free = run.free_cpus
    if free is None:
        return not_checked(statement, "this build cannot see what else the machine ran")
    if free < FREE_CPUS:
        return not_checked(
            statement,
            f"other work on the machine took {run.result.others_cpus:.2f} CPUs on average while "
            f"the snippet ran, leaving {free:.2f} free, and checking needs {FREE_CPUS}",
        )
    return claim(statement, value, at_least=at_least, needs_cpus=2)


def not_checked(statement: str, why: str) -> str:
    """Say on the page that a claim was not checked in this build, and why: for a claim about the
    machine whose condition (free CPUs, say) the run shows was not met."""
    return _claim("unchecked", statement, f"Not checked: {why}.")


CLAIM_TITLES = {"checked": "Checked in this build", "unchecked": "Not checked in this build"}


def _claim(kind: str, statement: str, detail: str) -> str:
    """A claim as one compact line. Claims printed one after another read as one list under one
    title: the stylesheet hides the title of a claim that follows one of its kind. The statement
    is searchable; the title and the figures are not."""
    mark = "✓" if kind == "checked" else "–"
    return (
        f'<div class="claim {kind}">\n'
        f'<p class="claim-title" data-search-exclude>{CLAIM_TITLES[kind]}</p>\n'
        f'<p><span class="claim-mark" aria-hidden="true">{mark}</span> '
        f"{html.escape(statement.rstrip('.'))}. "
        f'<span class="claim-detail" data-search-exclude>{html.escape(detail)}</span></p>\n'
        "</div>\n"
    )


def _admonition_html(kind: str, title: str, body: str, css: str = "") -> str:
    return (
        f'<div class="admonition {kind} {css}">\n<p class="admonition-title">{title}</p>\n'
        f"<p>{body}</p>\n</div>"
    )
