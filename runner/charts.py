"""Charts drawn at build time with matplotlib, as inline SVG that follows the page's theme.

Drawn for a phone first: each chart is `WIDTH` SVG units wide with text of `FONT_SIZE` units, and
the page's stylesheet (`docs/stylesheets/charts.css`) shows it between `MIN_WIDTH` and
`MAX_WIDTH` CSS pixels, so that its text renders at 9 CSS px or more on a 390 px wide phone and at
about body size on a desktop; a column narrower than `MIN_WIDTH` scrolls the chart sideways inside
its own box, never the page. The title and a short caption are HTML around the SVG (never clipped,
and they wrap), and the numbers are a table folded under the chart.

Text and axes are drawn in a placeholder colour that becomes `currentColor`, so they take the
page's text colour in the light and the dark theme alike; the series colours (Okabe and Ito's
colour-blind-safe palette, minus the colours too dark or too light for one of the themes) read on
both backgrounds. Each SVG carries a text alternative listing its numbers.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from runner import cache
from runner.pages import late
from runner.result import UNITS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from runner.numbers import Stat

Readable = Callable[[float, str], str]
"""Writes a value in its unit, as the page does (`runner.numbers.readable`)."""

WIDTH = 380
"""A chart's width in SVG units (points): its text is `FONT_SIZE` units tall."""
FONT_SIZE = 12
MIN_WIDTH, MAX_WIDTH = 330, 460
"""The CSS pixels a chart is shown at (charts.css), at the narrowest and the widest: its text then
renders at `FONT_SIZE * MIN_WIDTH / WIDTH` (10.4) to `FONT_SIZE * MAX_WIDTH / WIDTH` (14.5) px;
on a 390 px wide phone, whose column is 358 px, at 11.3 px."""
TABLE = "<table data-search-exclude>"  # numbers, which nobody searches for: out of the index
INK = "#123456"  # placeholder for the page's text colour; replaced by currentColor
COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#999999"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
QUANTITY = {"s": "time", "B": "memory", "": ""}
"""What a value in each unit is, for the value axis's label."""
_STYLE = {
    "svg.fonttype": "none",  # real text: it scales, is searchable and takes the page's font
    "svg.hashsalt": "charts",  # the same chart gives the same SVG
    "font.size": FONT_SIZE,
    # One font, named once: matplotlib lays the text out with it, and every label would otherwise
    # carry its whole list of fallbacks.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def display_unit(values: Sequence[float], unit: str) -> tuple[str, float]:
    """The unit that shows the middle value of `values` at 1 or more, and its scale."""
    middle = sorted(values)[len(values) // 2]
    for name, scale in UNITS[unit]:
        if middle >= scale:
            return name, scale
    return UNITS[unit][-1]


def tick_label(value: float, unit: str) -> str:
    """A round tick value in the largest unit that keeps it at 1 or more: "1 ms", "32 KiB",
    "10,000" (never "1e+04")."""
    for name, scale in UNITS[unit]:
        if abs(value) >= scale * 0.999 or scale == UNITS[unit][-1][1]:
            return f"{_number(value / scale)} {name}".rstrip()
    raise AssertionError("unreachable: the last scale always matches")


def _number(value: float) -> str:
    """A tick's number, to 4 significant digits, with thousands separated: "10,000", "2.5"."""
    value = float(f"{value:.4g}")
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


def dot_chart(
    stats: Sequence[Stat], *, title: str, log: bool, note: str, readable: Readable
) -> str:
    """A dot plot: a row per measurement, its name and median written above a dot at the median
    on a line from the lowest to the highest sample. Rows are labelled above their line, not
    beside it, so the plot keeps the chart's whole width on a phone."""
    unit = stats[0].unit
    labels = [f"{s.name}: {readable(s.median, unit)}" for s in stats]
    summary = "; ".join(f"{s.name}: {s}" for s in stats)
    drawn = ["dot", title, log, unit, labels, summary, [[s.low, s.median, s.high] for s in stats]]
    svg = cache.chart(drawn, lambda: _draw_dots(stats, labels, title, summary, log=log))
    shows = (
        "The dot is the median; the line runs from the lowest to the highest run."
        if any(len(s.samples) > 1 for s in stats)
        else "Each dot is one run."
    )
    return _figure(title, svg, f"{shows} {note}", _dot_table(stats, readable))


def _draw_dots(stats, labels, title: str, summary: str, *, log: bool) -> str:
    matplotlib, Figure = _matplotlib()
    from matplotlib.ticker import NullLocator

    unit = stats[0].unit
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH / 72, 1), layout="constrained")
        axes = figure.subplots()
        rows = range(len(stats))[::-1]  # first measurement on top
        lines = 1
        for row, s, text in zip(rows, stats, labels, strict=True):
            axes.plot([s.low, s.high], [row, row], color=INK, linewidth=1.5, alpha=0.7)
            axes.plot([s.median], [row], "o", color=COLOURS[0], markeredgecolor=INK, ms=8)
            label = axes.annotate(
                text,
                xy=(0, row),
                xycoords=("axes fraction", "data"),
                xytext=(0, 5),
                textcoords="offset points",
                va="bottom",
            )
            lines = max(lines, _fit(label, figure.bbox.width * 0.95))
        # A row's height: its label (one line or more), the gap to it, the dot.
        row_height = 36 + 1.2 * FONT_SIZE * (lines - 1)
        figure.set_figheight((row_height * len(stats) + 56) / 72)
        axes.set_ylim(-0.5, len(stats) - 0.1)
        axes.yaxis.set_major_locator(NullLocator())
        axes.spines["left"].set_visible(False)
        values = [v for s in stats for v in (s.low, s.high)]
        _value_axis(axes, axes.xaxis, values, unit, log=log, quantity=QUANTITY[unit])
        _grid(axes, "x")
        return _svg(figure, title, summary)


def line_chart(
    lines: Mapping[str, Sequence[Stat]],
    *,
    title: str,
    log: bool,
    xlabel: str,
    note: str,
    readable: Readable,
    speed_up: bool = False,
) -> str:
    """One line per series: each point a measurement's median against its `x`, with a bar from
    its lowest to its highest sample. A speed-up chart (`speed_up`) has a linear axis from zero
    and an ideal line, speed-up = x (twice the workers, twice as fast)."""
    every = [s for points in lines.values() for s in points]
    summary = "; ".join(
        f"{series}: " + ", ".join(f"{s.name.removeprefix(s.label + ', ')} → {s}" for s in pts)
        for series, pts in lines.items()
    )
    points = {name: [[s.x, s.low, s.median, s.high] for s in pts] for name, pts in lines.items()}
    drawn = ["line", title, log, xlabel, speed_up, every[0].unit, every[0].x_unit, summary, points]
    svg = cache.chart(
        drawn, lambda: _draw_lines(lines, title, summary, log=log, xlabel=xlabel, speed_up=speed_up)
    )
    shows = (
        "Each point is a median; its bar runs from the lowest to the highest run."
        if any(len(s.samples) > 1 for s in every)
        else "Each point is one run."
    )
    if speed_up:
        shows += " The dashed line is the ideal: N workers, N times as fast."
    table = _line_table(lines, xlabel or "x", readable)
    return _figure(title, svg, f"{shows} {note}", table)


def _draw_lines(lines, title: str, summary: str, *, log: bool, xlabel: str, speed_up: bool) -> str:
    matplotlib, Figure = _matplotlib()
    every = [s for points in lines.values() for s in points]
    unit, x_unit = every[0].unit, every[0].x_unit
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH / 72, 270 / 72), layout="constrained")
        axes = figure.subplots()
        xs = sorted({s.x for s in every})
        if speed_up:
            axes.plot(xs, xs, linestyle="--", color=INK, alpha=0.6, linewidth=1.2, label="ideal")
        for index, (series, points) in enumerate(lines.items()):
            if log:  # a log scale has no place for zero (a count of 0 B, say)
                points = [s for s in points if s.median > 0 and s.x > 0]
            axes.errorbar(
                [s.x for s in points],
                [s.median for s in points],
                yerr=[[s.median - s.low for s in points], [s.high - s.median for s in points]],
                label=series,
                color=COLOURS[index % len(COLOURS)],
                marker=MARKERS[index % len(MARKERS)],
                markeredgecolor=INK,
                markeredgewidth=0.6,
                capsize=3,
            )
        values = [v for s in every for v in (s.low, s.high) if not log or v > 0]
        if speed_up:
            values += xs
        quantity = "speed-up, × serial" if speed_up else QUANTITY[unit]
        _value_axis(axes, axes.yaxis, values, unit, log=log, quantity=quantity, zero=speed_up)
        _x_axis(axes, xs, x_unit, log=log, label=xlabel)
        _grid(axes, "both")
        _legend(figure, axes)
        return _svg(figure, title, summary)


def _matplotlib():
    """matplotlib and its `Figure`, imported only when a chart must be drawn: the import alone
    takes a good part of a second, and a build whose numbers have not changed draws nothing."""
    import matplotlib

    matplotlib.use("Agg")  # no display at build time
    from matplotlib.figure import Figure

    return matplotlib, Figure


def _fit(text, width: float) -> int:
    """Wrap a text drawn wider than `width` (display units) onto lines that fit, at spaces;
    return how many lines it takes. Text cut off at the chart's edge could not be read."""
    drawn = text.get_window_extent().width
    if drawn <= width:
        return 1
    chars = max(12, int(len(text.get_text()) * width / drawn))
    text.set_text(textwrap.fill(text.get_text(), chars, break_on_hyphens=False))
    return text.get_text().count("\n") + 1


def _value_axis(axes, axis, values, unit, *, log, quantity, zero=False) -> None:
    """The measured axis: on a log scale, ticks that carry their unit ("1 ms", "32 KiB") and
    no labelled minor ticks; on a linear scale from zero, plain numbers in one unit, named in the
    label ("time, ms")."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if log:
        _log_axis(axes, axis, values, unit)
        label = ", ".join(part for part in (quantity, "log scale") if part)
    else:
        name, scale = display_unit([max(values)], unit)  # "15 s", never "15,000 ms"
        axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        axis.set_major_formatter(FuncFormatter(lambda value, _: _number(value / scale)))
        low = 0.0 if zero or min(values) >= 0 else min(values) * 1.05
        _set_limits(axes, axis, low, max(values) * 1.08)
        label = ", ".join(part for part in (quantity, name) if part)
    axis.set_label_text(label)


def _x_axis(axes, xs, x_unit, *, log, label) -> None:
    """The horizontal axis of a line chart: a tick at each measured x when there are few
    (never at 1.5 workers), else round ticks; the unit in the ticks or the label."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

    if log:
        xs = [x for x in xs if x > 0]
        axes.set_xscale("log")
    if len(xs) <= 6:
        axes.xaxis.set_major_locator(FixedLocator(xs))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, x_unit)))
        axes.xaxis.set_minor_locator(NullLocator())
        if log:
            _set_limits(axes, axes.xaxis, xs[0] / 1.4, xs[-1] * 1.4)
    elif log:
        _log_axis(axes, axes.xaxis, xs, x_unit)
    else:
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    if log:
        label = ", ".join(part for part in (label, "log scale") if part)
    elif x_unit:
        name, scale = display_unit([max(xs)], x_unit)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _number(value / scale)))
        label = f"{label}, {name}"
    axes.xaxis.set_label_text(label)


def _log_axis(axes, axis, values, unit) -> None:
    """A log axis over `values` with 3 to 7 labelled ticks: powers of 10 (of 2 for bytes, which
    read as 1 KiB, 32 KiB, 1 MiB), and 3 (or 2 and 5) times them where the range is short."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

    low, high = min(values), max(values)
    axis_scale = axes.set_xscale if axis is axes.xaxis else axes.set_yscale
    axis_scale("log")
    low, high = low / 1.25, high * 1.25  # a margin, in which a tick may fall
    ticks = _log_ticks(low, high, base=2 if unit == "B" else 10)
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, unit)))
    axis.set_minor_formatter(NullFormatter())  # no "4 × 10⁰" between the labelled ticks
    if unit == "B":  # minor ticks at 2, 3... times a power of 2 would only clutter the axis
        axis.set_minor_locator(NullLocator())
    _set_limits(axes, axis, low, high)


def _log_ticks(low: float, high: float, *, base: int) -> list[float]:
    first, last = math.floor(math.log(low, base)), math.ceil(math.log(high, base))
    if base == 2:  # every 1, 2, 5 or 10 powers of 2: 1 KiB, 32 KiB, 1 MiB...
        step = next(s for s in (1, 2, 5, 10, 20) if (last - first) / s <= 6)
        powers = range(first - first % step, last + 1, step)
        return [2.0**p for p in powers if low <= 2.0**p <= high]
    for subs in ((1,), (1, 3), (1, 2, 5), (1, 1.5, 2, 3, 5, 7)):
        ticks = [m * 10.0**p for p in range(first, last + 1) for m in subs]
        ticks = [t for t in ticks if low <= t <= high]
        if len(ticks) >= 3:
            break
    step = math.ceil(len(ticks) / 7)  # a wide range: every other decade, or third
    return ticks[::step]


def _set_limits(axes, axis, low: float, high: float) -> None:
    (axes.set_xlim if axis is axes.xaxis else axes.set_ylim)(low, high)


def _grid(axes, which: str) -> None:
    axes.grid(True, axis=which, color=INK, alpha=0.15, linewidth=0.6)
    axes.set_axisbelow(True)


def _legend(figure: Figure, axes) -> None:
    """The legend above the plot, in as few rows as fit the chart's width (measured, not
    guessed); the figure grows by the legend's height, so the plot keeps all of its own."""
    handles, labels = axes.get_legend_handles_labels()
    if len(labels) < 2:  # one line needs no legend: the title names it
        return

    def legend(columns: int):
        return figure.legend(
            handles,
            labels,
            loc="outside upper left",
            ncols=columns,
            handlelength=1.8,
            columnspacing=1.2,
            borderaxespad=0.2,
        )

    for columns in range(len(labels), 0, -1):
        drawn = legend(columns)
        if columns == 1 or drawn.get_window_extent().width <= figure.bbox.width - 6:
            break
        drawn.remove()
    rows = math.ceil(len(labels) / columns)
    if (even := math.ceil(len(labels) / rows)) != columns:  # 3 + 3 rather than 4 + 2
        drawn.remove()
        drawn = legend(even)
    height = drawn.get_window_extent().height / figure.dpi
    figure.set_figheight(figure.get_figheight() + height)


def _svg(figure: Figure, title: str, summary: str) -> str:
    """The chart as an accessible inline SVG, with ids unique on the page."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: this is inline HTML
    # Drop matplotlib's RDF metadata (creator, date): invalid in HTML's SVG, and it dates the SVG.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    svg = svg.replace(INK, "currentColor")
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", svg, count=1)
    svg = _lighter(svg)
    text = f"{title}. {summary}."
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{html.escape(text)}" class="chart-svg" ', 1
    ).strip()


def _lighter(svg: str) -> str:
    """The same drawing in fewer bytes: coordinates to a tenth of a unit (a chart is 380 units
    wide), no rotations by zero, no whitespace between tags."""
    svg = re.sub(r' transform="rotate\(-?0 [^)]*\)"', "", svg)

    def shorter(attribute: re.Match) -> str:
        value = " ".join(re.sub(r"(\d+\.\d)\d+", r"\1", attribute[2]).split())
        return f'{attribute[1]}="{value}"'

    svg = re.sub(r'\b(d|x|y|transform)="([^"]*)"', shorter, svg)
    return re.sub(r">\s+<", "><", svg)


def _figure(title: str, svg: str, caption: str, table: str) -> str:
    """The chart's HTML: its title, the SVG in a box that scrolls sideways when the column is
    narrower than the chart's least width, a short caption, and the numbers folded in a table.
    The table's box scrolls sideways where the table is wider than the column: it takes the
    keyboard's focus (tabindex) so that a reader without a mouse can scroll it too."""
    return (
        f'<figure class="chart">\n<figcaption class="chart-title">{html.escape(title)}'
        f'</figcaption>\n<div class="chart-scroll">\n{late(svg)}\n</div>\n'
        f'<p class="chart-note">{caption}</p>\n'
        '<details class="chart-data">\n<summary>The numbers behind this chart</summary>\n'
        '<div class="chart-table" tabindex="0" role="region" '
        f'aria-label="{html.escape(title)}: the numbers">\n{table}</div>\n</details>\n</figure>'
    )


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], stats: Sequence[Stat]) -> str:
    """An HTML table of cells already written, under a line that says how to read them."""
    runs = {len(s.samples) for s in stats}
    key = ""
    if max(runs) > 1:
        of = f" of {runs.pop()} runs" if len(runs) == 1 else ""
        key = f"<p>Each cell is the median{of}, with the lowest and the highest below it.</p>\n"
    head_html = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"{key}{TABLE}\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def _cell(s: Stat | None, readable: Readable, runs_differ: bool) -> str:
    """A measurement's median, over its lowest – highest sample (and how many runs, where the
    measurements ran different numbers of times)."""
    if s is None:
        return "–"
    if len(s.samples) == 1:
        return readable(s.median, s.unit)
    runs = f", {len(s.samples)} runs" if runs_differ else ""
    spread = f"{readable(s.low, s.unit)} – {readable(s.high, s.unit)}{runs}"
    return f"{readable(s.median, s.unit)}<br><small>{spread}</small>"


def _dot_table(stats: Sequence[Stat], readable: Readable) -> str:
    """A row per measurement: what it is, and its median over its spread."""
    differ = len({len(s.samples) for s in stats}) > 1
    rows = [[html.escape(s.name), _cell(s, readable, differ)] for s in stats]
    return _table(["Measured", "Median"], rows, stats)


def _line_table(lines: Mapping[str, Sequence[Stat]], xlabel: str, readable: Readable) -> str:
    """A row per x, a column per series: each cell a median over its spread."""
    every = [s for points in lines.values() for s in points]
    differ = len({len(s.samples) for s in every}) > 1
    rows = [
        [readable(x, every[0].x_unit)]
        + [
            _cell(next((s for s in pts if s.x == x), None), readable, differ)
            for pts in lines.values()
        ]
        for x in sorted({s.x for s in every})
    ]
    return _table([xlabel, *lines], rows, every)
