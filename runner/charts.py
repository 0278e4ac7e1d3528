"""Charts drawn at build time with matplotlib, as inline SVG that follows the page's theme.

Text and axes are drawn in a placeholder colour that becomes `currentColor`, so they take the
page's text colour in the light and the dark theme alike; the series colours (Okabe and Ito's
colour-blind-safe palette, minus the colours too dark or too light for one of the themes) read on
both backgrounds. Each chart carries a text alternative listing its numbers.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # no display at build time
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import FuncFormatter  # noqa: E402

from runner.result import UNITS

if TYPE_CHECKING:
    from runner.numbers import Stat

INK = "#123456"  # placeholder for the page's text colour; replaced by currentColor
COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#999999"]
PLAIN = FuncFormatter(lambda value, _: f"{value:,g}")  # 0.1, 1, 10 000 rather than 10⁻¹, 10⁰, 10⁴
MARKERS = ["o", "s", "^", "D", "v", "P"]
_STYLE = {
    "svg.fonttype": "none",  # real text: it scales, is searchable and takes the page's font
    "svg.hashsalt": "charts",  # the same chart gives the same SVG
    "font.size": 11,
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


def bar_chart(stats: Sequence[Stat], *, title: str, log: bool, note: str) -> str:
    """Horizontal bars: each measurement's median, with a line from its fastest to its slowest."""
    name, scale = display_unit([s.median for s in stats], stats[0].unit)
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(7, 0.55 * len(stats) + 1.2))
        axes = figure.subplots()
        places = range(len(stats))[::-1]  # first measurement on top
        medians = [s.median / scale for s in stats]
        errors = [
            [(s.median - s.low) / scale for s in stats],
            [(s.high - s.median) / scale for s in stats],
        ]
        axes.barh(places, medians, color=COLOURS[1], xerr=errors, ecolor=INK, capsize=3)
        axes.set_yticks(list(places), [s.name for s in stats])
        axes.set_xlabel(f"median ({name}), line from fastest to slowest run".replace(" ()", ""))
        if log:
            axes.set_xscale("log")
            axes.xaxis.set_major_formatter(PLAIN)
        _finish(axes, title)
        summary = "; ".join(f"{s.name}: {s}" for s in stats)
        return _figure(figure, title, summary, note)


def line_chart(
    lines: Mapping[str, Sequence[Stat]], *, title: str, log: bool, xlabel: str, note: str
) -> str:
    """One line per series: each point a measurement's median against its `x`."""
    every = [s for points in lines.values() for s in points]
    name, scale = display_unit([s.median for s in every], every[0].unit)
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(8, 4.2))
        axes = figure.subplots()
        for index, (series, points) in enumerate(lines.items()):
            if log:  # a log scale has no place for zero (a count of 0 B, say)
                points = [s for s in points if s.median > 0 and s.x > 0]
            axes.errorbar(
                [s.x for s in points],
                [s.median / scale for s in points],
                yerr=[
                    [(s.median - s.low) / scale for s in points],
                    [(s.high - s.median) / scale for s in points],
                ],
                label=series,
                color=COLOURS[index % len(COLOURS)],
                marker=MARKERS[index % len(MARKERS)],
                capsize=3,
            )
        if log:
            axes.set_xscale("log")
            axes.set_yscale("log")
            axes.xaxis.set_major_formatter(PLAIN)
            axes.yaxis.set_major_formatter(PLAIN)
        else:  # a tick at each measured x, not at 1.5 workers
            axes.set_xticks(sorted({s.x for s in every}))
        axes.set_xlabel(xlabel)
        axes.set_ylabel(f"median ({name})".replace(" ()", ""))
        axes.legend(loc="center left", bbox_to_anchor=(1, 0.5))  # beside, never over, the lines
        _finish(axes, title)
        summary = "; ".join(
            f"{series}: " + ", ".join(f"{s.name.removeprefix(s.label + ', ')} → {s}" for s in pts)
            for series, pts in lines.items()
        )
        return _figure(figure, title, summary, note)


def _finish(axes, title: str) -> None:
    # Wrapped: a title wider than the figure would be cut off at its edge.
    axes.set_title("\n".join(textwrap.wrap(title, 64)), loc="left", fontweight="bold")
    axes.grid(True, axis="both", color=INK, alpha=0.15, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.figure.tight_layout()


def _figure(figure: Figure, title: str, summary: str, note: str) -> str:
    """The chart as an accessible inline SVG in a <figure>, with ids unique on the page."""
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
    text = f"{title}. {summary}."
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{html.escape(text)}" class="chart-svg" ', 1
    )
    return (
        f'<figure class="chart">\n{svg}\n<figcaption>{html.escape(summary)}.<br>{note}'
        "</figcaption>\n</figure>"
    )
