"""A run as a page shows it: the command, its escaped output, and where and when it ran."""

from __future__ import annotations

import html

from runner.result import Result

MAX_LINES = 200
"""Output longer than this is cut on the page, with a note saying so."""


MAX_CHARS = 20_000
"""Output longer than this is cut on the page, with a note saying so."""


def render(result: Result) -> str:
    """The HTML for a result: the command, its escaped output (cut if long), its environment."""
    output = result.stdout + result.stderr
    lines = output.splitlines()
    shown = "\n".join(lines[:MAX_LINES])[:MAX_CHARS]
    cut = ""
    if len(shown) < len(output.rstrip("\n")):
        hidden = len(lines) - shown.count("\n") - 1
        cut = (
            f'\n<span class="snippet-cut">[output cut here: {hidden} more lines; run the snippet '
            f"to see all of it]</span>"
        )
    command = "$ " + " ".join(["python", result.snippet, *result.args])
    return (
        f'<div class="snippet-run" data-snippet="{html.escape(result.snippet)}">\n'
        f'<div class="highlight"><pre><code><span class="snippet-command">{html.escape(command)}'
        f"</span>\n{html.escape(shown)}{cut}</code></pre></div>\n"
        f'<p class="snippet-env">{html.escape(describe(result))}</p>\n</div>'
    )


def describe(result: Result) -> str:
    """One line saying where and when a result was measured."""
    env = result.environment
    build = "free-threaded build" if env["free_threaded"] else "default build"
    gil = "GIL enabled" if env["gil_enabled"] else "GIL disabled"
    cpus = f"{env['cpus']} usable CPU{'s' if env['cpus'] != 1 else ''}"
    when = result.ran_at.replace("T", " ")[:16] + " UTC"
    note = ", output cached from that run" if result.cached else ""
    return (
        f"Ran with {env['implementation']} {env['version']} ({build}, {gil}), {cpus}, "
        f"start method {env['start_method']}, {env['system']}; {when}, "
        f"{result.seconds:.2f} s{note}."
    )
