"""Run the site's snippets as real processes and show their output on a page.

A page shows an example with one line in a markdown-exec block (`python exec="on"`):
`print(`[`example`][runner.example]`("snippets/...", "section"))`, which prints the excerpt, the
whole script folded, and the run.

The snippet runs exactly as a reader would run it (`python snippets/...` from the repository root,
with the build's own interpreter), in its own process group, with a timeout. Its output is shown
escaped; the page's banner (or, where it differs, the run itself) says where it ran. Anything
unexpected (a non-zero exit, a timeout, a word on stderr, a missing file) raises
[`SnippetError`][runner.SnippetError], which fails the strict build with a message naming the
page and the snippet.

A snippet that measures something can also hand the build its numbers: when `SNIPPET_DATA` is
set, it writes them there as JSON (see [`Result.data`][runner.Result.data]). Pages turn them into
tables, charts, sentences and checked claims with [`measure`][runner.measure] and
[`claim`][runner.claim].

Results are cached on disk so that `mkdocs serve` stays fast; see [`run`][runner.run] for what the
cache key covers. Set `SNIPPETS_FRESH=1` to ignore the cache (the hosted build does).

One module per concern; this package only re-exports what pages and hooks use:
`pages` (the calls pages make, and the state the hook keeps), `process` (running a snippet as a
process group), `cache`, `probe` (the interpreters and what they have), `result` (what a run is
and when a page may show it), `output` (a run as HTML), `numbers` (measurements, tables and
claims), `charts` and `data` (the runs a build publishes).
"""

from runner.data import publish as publish_data
from runner.numbers import (
    FREE_CPUS,
    Compared,
    Measured,
    Stat,
    claim,
    compare,
    data_note,
    measure,
    not_checked,
    parallel_claim,
    readable,
)
from runner.output import MAX_CHARS, MAX_LINES, describe, render, summary
from runner.pages import (
    announce,
    banner,
    begin_build,
    begin_page,
    example,
    fail,
    page_failures,
    run,
    run_snippet,
    use_markdown,
    with_early_html,
    with_late_html,
)
from runner.probe import check_interpreters, environment, interpreters, snippet_python
from runner.result import DEFAULT_TIMEOUT, MEMORY_LIMIT, UNITS, Result, SnippetError

__all__ = [
    "announce",
    "DEFAULT_TIMEOUT",
    "FREE_CPUS",
    "MAX_CHARS",
    "MAX_LINES",
    "MEMORY_LIMIT",
    "UNITS",
    "Compared",
    "Measured",
    "Result",
    "SnippetError",
    "Stat",
    "banner",
    "begin_build",
    "begin_page",
    "check_interpreters",
    "claim",
    "compare",
    "data_note",
    "describe",
    "environment",
    "example",
    "fail",
    "interpreters",
    "measure",
    "not_checked",
    "page_failures",
    "readable",
    "render",
    "run",
    "run_snippet",
    "snippet_python",
    "summary",
    "parallel_claim",
    "publish_data",
    "use_markdown",
    "with_early_html",
    "with_late_html",
]
