"""What a page shows of a snippet: the example (excerpts, the whole script folded, the run), a run
as HTML, and the environment banner that says once where the page's runs ran."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from runner.result import Result, SnippetError

MAX_LINES = 200
"""Output longer than this is cut on the page, with a note saying so."""


MAX_CHARS = 20_000
"""Output longer than this is cut on the page, with a note saying so."""


FOLD_AFTER = 16
"""An output longer than this shows its first `PREVIEW_LINES` lines and folds the whole."""
PREVIEW_LINES = 10

WHOLE_LINES = 40
"""A script longer than this is shown by its excerpts, the whole of it folded."""

# pymdownx.snippets' section markers, which snippets use to name their excerpts.
_SECTION = re.compile(r"^[ \t]*# --8<-- \[(start|end):(\w+)\][ \t]*\n", re.M)


def example(
    snippet: str,
    sections: Sequence[str],
    run_html: str,
    as_html: Callable[[str, bool], str] = lambda markdown, searched: markdown,
) -> str:
    """Markdown for one example: each named section of the snippet (dedented), the whole script
    folded, then the run. The whole script and the run stay out of the search index. The code's
    Markdown passes through `as_html`, which may convert it, told whether search reads it."""
    source = Path(snippet).read_text(encoding="utf-8")
    excerpts = "".join(as_html(_fence(excerpt(snippet, source, n)), True) + "\n" for n in sections)
    whole = _fence(_SECTION.sub("", source), title=snippet)
    if not sections:  # a short script is its own excerpt: show it whole, with no fold
        if (length := source.count("\n")) > WHOLE_LINES:
            raise SnippetError(
                f"snippet {snippet} has {length} lines: show excerpts of it "
                f"(name its sections), not all of it"
            )
        return f"{as_html(whole, True)}\n{run_html}\n"
    fold = (
        f'<div data-search-exclude markdown="1">\n\n'
        f'??? example "The whole script: `{snippet}`"\n\n'
        f"{textwrap.indent(whole, '    ')}\n</div>"
    )
    return f"{excerpts}{as_html(fold, False)}\n\n{run_html}\n"


def excerpt(snippet: str, source: str, name: str) -> str:
    """The lines between `# --8<-- [start:name]` and `# --8<-- [end:name]`, dedented."""
    pattern = rf"^[ \t]*# --8<-- \[start:{name}\][ \t]*\n(.*?)^[ \t]*# --8<-- \[end:{name}\]"
    found = re.search(pattern, source, re.M | re.S)
    if not found:
        raise SnippetError(f"snippet {snippet} has no section {name!r} (# --8<-- [start:{name}])")
    return textwrap.dedent(_SECTION.sub("", found[1]))


def _fence(code: str, title: str = "") -> str:
    fence = "`" * max([3, *(len(m) + 1 for m in re.findall(r"`{3,}", code))])
    options = f' title="{title}"' if title else ""
    return f"{fence}python{options}\n{code.rstrip()}\n{fence}\n"


def render(result: Result, banner: dict | None = None) -> str:
    """The HTML for a result: the command, its escaped output (a long one folded, a huge one cut),
    and the environment it ran in, marked as the same as the page's `banner` environment when it
    is (the page's banner then says it once)."""
    output = (result.stdout + result.stderr).rstrip("\n")
    lines = output.splitlines()
    shown = "\n".join(lines[:MAX_LINES])[:MAX_CHARS]
    cut = ""
    if len(shown) < len(output):
        hidden = len(lines) - shown.count("\n") - 1
        cut = (
            f'\n<span class="snippet-cut">[output cut here: {hidden} more lines; run the snippet '
            f"to see all of it]</span>"
        )
    command = "$ " + " ".join(["python", result.snippet, *result.args])
    if len(lines) > FOLD_AFTER:
        preview = "\n".join(lines[:PREVIEW_LINES])
        transcript = (
            _pre(
                f'<span class="snippet-command">{html.escape(command)}</span>\n'
                f"{html.escape(preview)}\n…"
            )
            + f'<details class="snippet-more" data-search-exclude><summary>Full output, '
            f"{len(lines)} lines</summary>\n{_pre(html.escape(shown) + cut)}</details>\n"
        )
    else:
        transcript = _pre(
            f'<span class="snippet-command">{html.escape(command)}</span>\n'
            f"{html.escape(shown)}{cut}"
        )
    same = " data-same-as-banner" if banner == result.environment else ""
    # No copy button on a run (no-copy): it would copy a transcript, output behind a prompt, that
    # nobody pastes; the script keeps its button.
    return (
        f'<div class="snippet-run no-copy" data-snippet="{html.escape(result.snippet)}">\n'
        f'{transcript}<p class="snippet-env"{same} data-search-exclude>'
        f"{html.escape(describe(result))}</p>\n</div>"
    )


def _pre(text: str) -> str:
    # Out of the search index: Material's parser ends an exclusion at the first nested element of
    # the same tag, so each part of a run is excluded on its own, not the run's <div> around them.
    return f'<div class="highlight" data-search-exclude><pre><code>{text}</code></pre></div>\n'


def describe(result: Result) -> str:
    """One line saying where and when a result was measured."""
    when = result.ran_at.replace("T", " ")[:16] + " UTC"
    note = ", output cached from that run" if result.cached else ""
    return f"Ran with {machine(result.environment)}; {when}, {result.seconds:.2f} s{note}."


def machine(env: dict) -> str:
    """The interpreter, its build and GIL, the usable CPUs, the start method and the system."""
    build = "free-threaded build" if env["free_threaded"] else "default build"
    gil = "GIL enabled" if env["gil_enabled"] else "GIL disabled"
    cpus = f"{env['cpus']} usable CPU{'s' if env['cpus'] != 1 else ''}"
    return (
        f"{env['implementation']} {env['version']} ({build}, {gil}), {cpus}, "
        f"start method {env['start_method']}, {env['system']}"
    )


def banner(env: dict, results: Sequence[Result], methodology: str = "") -> str:
    """The page's environment banner: where its runs in `env` ran, when, that the timings are
    the build machine's, and (given its address, `methodology`) a link to how the site measures.
    Empty when none of the page's runs ran there."""
    here = [r for r in results if r.environment == env]
    if not here:
        return ""
    times = sorted(r.ran_at.replace("T", " ")[:16] for r in here)
    when = times[0] if times[0] == times[-1] else f"{times[0]} to {times[-1]}"
    cached = any(r.cached for r in here)
    how = "outputs cached from runs of" if cached else "run during this build,"
    how_measured = (
        f' <a href="{html.escape(methodology)}">How the site measures</a>.' if methodology else ""
    )
    return (
        '<p class="environment-banner" data-search-exclude>Every output and number on this '
        f"page, unless labelled otherwise, was produced by its scripts ({how} {when} UTC) with "
        f"{html.escape(machine(env))}. "
        "Timings are that machine's: yours will differ, and the page says what must hold "
        f"anywhere.{how_measured}</p>\n"
    )


def summary(question: str, answer: str) -> str:
    """A page's answer first: the question it settles and its answer, with the headline number
    of this build in it (`answer` is HTML: quote numbers from the run, never type them)."""
    return (
        '<div class="admonition abstract page-summary">\n<p class="admonition-title">In short</p>\n'
        f"<p><strong>{html.escape(question)}</strong> {answer}</p>\n</div>\n"
    )
