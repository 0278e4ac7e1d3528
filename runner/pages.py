"""Runs for the page being rendered: the calls pages make, and the state the MkDocs hook keeps
(the page, its failures, the runs of this build)."""

from __future__ import annotations

import json
import re
import tempfile
import typing
import uuid
from collections.abc import Sequence
from pathlib import Path

from runner import cache, data, output
from runner.plan import Progress, ran
from runner.probe import environment, snippet_python
from runner.process import dying_with_the_build, execute
from runner.result import DEFAULT_TIMEOUT, Result, SnippetError, check

# The page being rendered, set by the MkDocs hook so that an error can name it, and its failures.
_page: str | None = None
_failures: list[str] = []
# The runs the current page showed or quoted, for its environment banner.
_page_results: list[Result] = []
# Results this build ran, by cache entry: a snippet that two pages quote runs once per build.
_ran_in_this_build: dict[str, Result] = {}
progress = Progress()
"""Counts the build's runs for its progress lines."""


def example(
    path: str,
    *sections: str,
    timeout: float = DEFAULT_TIMEOUT,
    expect_failure: bool = False,
    args: Sequence[str] = (),
) -> str:
    """One example, as Markdown for a markdown-exec block (`exec="on"`) to print: the snippet's
    named `sections` (its `# --8<-- [start:name]` ... `[end:name]` excerpts; none for a short
    script, shown whole), the whole script folded, and this build's run of it.

    ```python
    print(example("snippets/threading/02_queue.py", "pipeline"))
    ```

    The options are those of [`run`][runner.run]; a failure fails the page, naming the snippet.
    """
    try:
        result = run(path, timeout=timeout, expect_failure=expect_failure, args=args)
    except SnippetError as error:
        fail(str(error))
    return example_html(path, sections, shown(result))


def example_html(path: str, sections: Sequence[str], runs_html: str) -> str:
    """An example around runs already shown as HTML (`runs_html`); a missing section fails the
    page."""
    try:
        return output.example(path, sections, runs_html, as_html=_as_html)
    except SnippetError as error:
        fail(str(error))


# Set by the MkDocs hook: the site's Markdown, as [its extensions and options as JSON, a converter].
_markdown: list = []
# HTML that the hook puts into the pages, by the placeholder it replaces: early, into the page's
# content before the search index reads it; late, into the rendered page after.
_early: dict[str, str] = {}
_late: dict[str, str] = {}
PLACEHOLDER = re.compile(r'<div data-(?:early|late)="[0-9a-f]{32}"></div>')


def use_markdown(extensions: list, options: dict) -> None:
    """Called by the MkDocs hook: convert the code the examples show with the site's own Markdown
    `extensions` and their `options`, each text once, kept in the cache (see `cache.html`), and put
    it into the pages by placeholder (see `_as_html`). Without it (a build with no hook) the pages
    convert the code themselves, every time."""
    import markdown  # here: pages that never show an example need not import it

    settings = json.loads(json.dumps([extensions, options], default=_named))
    converter = markdown.Markdown(extensions=extensions, extension_configs=options)
    _markdown[:] = [settings, converter]


def _named(value: object) -> str:
    """A function in the extensions' options (a custom fence's formatter), by its name: its
    address would change the key at every build."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value))}"


def _as_html(code: str, searched: bool) -> str:
    """The Markdown of code a page shows, as HTML converted once (highlighting the same code at
    every build was most of what a warm build spent beyond a build that runs nothing), behind a
    placeholder: the page's Markdown and markdown-exec then pass over a short tag, not the
    highlighter's thousands. An excerpt is `searched` (the search index reads it, so the hook puts
    it in early); a folded whole script is not (late)."""
    if not _markdown:
        return code
    settings, converter = _markdown
    html = cache.html(code, settings, lambda text: converter.reset().convert(text))
    return _placeholder(_early, "early", html) if searched else late(html)


def late(html: str) -> str:
    """`html` as a page shows it, or in a build with the hook, a placeholder that the hook
    replaces with it once the page is rendered. For big HTML that the search index leaves out
    anyway (a whole script, a chart's drawing): in the page's Markdown, it would be parsed
    again, tag by tag, by Markdown and by the search index, at every build."""
    return _placeholder(_late, "late", html) if _markdown else html


def _placeholder(kept: dict[str, str], when: str, html: str) -> str:
    placeholder = f'<div data-{when}="{uuid.uuid4().hex}"></div>'
    kept[placeholder] = html
    return placeholder


def with_early_html(content: str) -> str:
    """A page's content with its excerpts' HTML in their place (for the hook, before search)."""
    return PLACEHOLDER.sub(lambda found: _early.get(found[0], found[0]), content)


def with_late_html(page: str) -> str:
    """A rendered page with the HTML of its placeholders in their place (for the hook)."""
    return PLACEHOLDER.sub(lambda found: _late.get(found[0], found[0]), page)


def shown(result: Result) -> str:
    """A run's HTML on the current page: its environment line is marked when the page's banner
    already says it."""
    return output.render(result, banner=environment(snippet_python()))


def banner(methodology: str = "") -> str:
    """The current page's environment banner (empty when it ran no snippet), for the hook, which
    gives the address of the methodology page relative to the current page."""
    return output.banner(environment(snippet_python()), _page_results, methodology)


def run_snippet(
    path: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    expect_failure: bool = False,
    args: Sequence[str] = (),
) -> str:
    """Run a snippet (or take its cached result) and return the HTML a page shows.

    Call it from a markdown-exec block with `html="1"` and print what it returns.

    Args:
        path: The snippet, relative to the repository root, e.g. `"snippets/cost/01_sleepers.py"`.
        timeout: Seconds before the snippet's process group is killed and the build fails.
        expect_failure: The snippet teaches an error: it must exit non-zero, and exiting 0 fails.
        args: Command-line arguments passed to the snippet.

    Raises:
        SnippetError: The snippet is missing, timed out, exited unexpectedly or wrote to stderr.
    """
    try:
        result = run(path, timeout=timeout, expect_failure=expect_failure, args=args)
    except SnippetError as error:
        fail(str(error))
    return shown(result)


def run(
    path: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    expect_failure: bool = False,
    args: Sequence[str] = (),
    python: str | None = None,
) -> Result:
    """Run a snippet as a process of [`snippet_python`][runner.snippet_python] (or of `python`,
    one of [`interpreters`][runner.interpreters]), or return its cached result.

    The cache key covers the snippet's bytes, its arguments, whether it is expected to fail, the
    interpreter and its environment (version, build, CPUs), the machine, and the versions of every
    installed package. A cache entry that cannot be read is ignored and the snippet runs again.
    Only successful runs are cached. With `SNIPPETS_FRESH=1` the cache is not read, but a snippet
    that several pages quote still runs once in a build: every page shows the same run. Snippets
    never run at the same time as one another, even across processes (a lock file in the cache
    directory), so that measurements do not disturb each other.
    """
    python = python or snippet_python()
    entry = cache_entry(path, args, expect_failure, python)
    if entry not in _ran_in_this_build:  # two pages quote one run, even when fresh
        _ran_in_this_build[entry] = cached_or_executed(
            path, entry, timeout=timeout, expect_failure=expect_failure, args=args, python=python
        )
    return _on_page(_ran_in_this_build[entry])


def cache_entry(path: str, args: Sequence[str], expect_failure: bool, python: str) -> str:
    """The name of a run's cache entry; a missing snippet raises `SnippetError`."""
    snippet = Path(path)
    if not snippet.is_file():
        raise SnippetError(f"snippet {path}: no such file")
    return cache.key(snippet, args, expect_failure, python, environment(python))


def cached_or_executed(
    path: str,
    entry: str,
    *,
    timeout: float,
    expect_failure: bool,
    args: Sequence[str],
    python: str,
) -> Result:
    """The cache's run under `entry` (unless SNIPPETS_FRESH=1), or a new run of the snippet,
    cached when it succeeds. Keeps no page's state: `mkdocs serve` runs snippets in the
    background with it (runner.serving)."""
    file = cache.directory() / f"{entry}.json"
    if not cache.fresh() and (cached := cache.read(file, expect_failure, timeout)) is not None:
        return cached
    env = environment(python)
    with (
        dying_with_the_build(),
        cache.alone(),
        tempfile.TemporaryDirectory(prefix="snippet-") as scratch,
    ):
        name = progress.next(path, env)
        result = execute(Path(path), args, timeout, python, env, Path(scratch), name)
    ran(name, result.seconds)
    check(result, expect_failure, timeout)
    cache.write(file, result)
    return result


def _on_page(result: Result) -> Result:
    _page_results.append(result)
    data.shown(result)
    return result


def begin_build() -> None:
    """Start a new build (called by the MkDocs hook): forget which snippets the last one ran."""
    _ran_in_this_build.clear()
    _early.clear()
    _late.clear()
    data.begin_build()


def announce(docs: Path) -> None:
    """Log what the build will run, and how long that took last time (called by the MkDocs hook
    as a build starts, so that a first `mkdocs serve` does not look hung)."""
    progress.begin(docs)


def begin_page(page: str, url: str | None = None) -> None:
    """Name the page being rendered (called by the MkDocs hook), for error messages, and give its
    `url` in the site, which links to the data of its runs."""
    global _page
    _page = page
    data.begin_page(url)
    _failures.clear()
    _page_results.clear()


def page_failures() -> list[str]:
    """The errors raised by snippets on the current page so far."""
    return list(_failures)


def fail(problem: str) -> typing.NoReturn:
    """Fail the page being rendered: record the problem for the MkDocs hook, which stops the build
    (markdown-exec alone would only warn), and raise it to stop the block."""
    message = f"page {_page or '(unknown)'}: {problem}"
    _failures.append(message)
    raise SnippetError(message)
