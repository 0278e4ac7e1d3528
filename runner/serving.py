"""`mkdocs serve` on a cache that lacks runs: the site is served at once, and the runs are made in
the background, one at a time, in the order of the navigation.

A page whose runs are not all cached is served with its prose, a note at the top, and a line in
place of each of its code blocks (`pending_page`). When its runs are in the cache, the background
thread asks serve for a rebuild (it touches a file that serve watches) and the reader's browser
reloads the page with its outputs. A run that fails fails the rebuild, naming the page and the
snippet, as an edited snippet does. Measurements still run alone: a build waits for the running
snippet to end, and the background waits for the build. Ctrl-C ends serve at once: the running
snippet's processes die with it (the guard in runner.process), and every run that ended is in the
cache for the next `make serve`.

With `SNIPPETS_FRESH=1`, serve builds as `mkdocs build` does, running every snippet first."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

from runner import cache, pages, plan
from runner.result import SnippetError

_log = logging.getLogger("mkdocs.runner")  # MkDocs prints it; `mkdocs serve -q` silences it

REBUILD_EVERY = 30.0
"""Seconds of running between two rebuilds for pages that became ready: a rebuild takes a few
seconds, and the runs wait for it. The first page ready and the last run ask for one at once."""
REBUILT_WITHIN = 120.0
"""Seconds the background waits for serve to rebuild before it runs on anyway."""

_serving = False
_state = threading.Condition()
"""Held to read or change the queue: `_todo`, `_running`, `_failed`, `_runs_of`."""
_todo: list[plan.Run] = []
_running: plan.Run | None = None
_failed: dict[str, tuple[tuple[str, ...], str]] = {}  # entry: (its pages, its error)
_runs_of: dict[str, int] = {}  # page: how many runs it asks for
_quiet = threading.Lock()
"""Held by the background while a snippet runs, and by a build while it renders."""
_build_holds_quiet = False
_rebuilt = threading.Event()
_thread: threading.Thread | None = None


def start() -> None:
    """`mkdocs serve` starts (the MkDocs hook): serve at once, and run in the background."""
    global _serving
    _serving = not cache.fresh()


def active() -> bool:
    return _serving


def trigger() -> Path:
    """The folder serve watches (`server.watch`) for the background's rebuilds."""
    folder = cache.directory() / ".serve"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def before_build(docs: Path, nav: list | None) -> None:
    """A build starts: wait for the running snippet to end, then queue every run the pages ask
    for that the cache lacks, in the order of the navigation, and say what is new in the queue."""
    global _build_holds_quiet
    if not _quiet.acquire(blocking=False):
        with _state:
            running = _running.snippet if _running else "a snippet"
        _log.info("Rebuilding when %s ends (measurements run alone)", running)
        _quiet.acquire()
    _build_holds_quiet = True
    order = {page: n for n, page in enumerate(_nav_pages(nav))}
    try:
        planned = plan.runs(docs)
    except (SyntaxError, ValueError):  # the page fails on it, with its own message
        planned = []
    to_run = sorted(
        (run for run in plan.missing(planned) if run.entry not in _failed),
        key=lambda run: min(order.get(page, len(order)) for page in run.pages),
    )
    with _state:
        for entry in set(_failed) - {run.entry for run in planned}:  # edited since it failed
            del _failed[entry]
        queued = {run.entry for run in _todo}
        new = [run for run in to_run if run.entry not in queued and run != _running]
        _todo[:] = [run for run in to_run if run != _running]
        _runs_of.clear()
        for run in planned:
            for page in run.pages:
                _runs_of[page] = _runs_of.get(page, 0) + 1
        pages.progress.planned = pages.progress.started + len(_todo)
        _state.notify_all()
    if _thread is None and planned and not to_run:  # the first build, and all cached
        _log.info("Snippets: all %d runs from the cache", len(planned))
    if new:
        _log.info(
            "Snippets: %d to run in the background (%s); the pages are served now, and each "
            "shows its outputs when its runs are done",
            len(new),
            plan.took(new),
        )
    _start_thread()


def after_build() -> None:
    """The build ended, rendered or failed: the background may run again."""
    global _build_holds_quiet
    if _build_holds_quiet:
        _build_holds_quiet = False
        _quiet.release()
    _rebuilt.set()


def pending(page: str) -> tuple[int, int] | None:
    """For a page that cannot show all its runs yet: how many of them are done, of how many.
    A run of the page that failed in the background raises `SnippetError`, naming both."""
    with _state:
        waiting = sum(page in run.pages for run in [*_todo, _running] if run)
        failed = [error for pages_, error in _failed.values() if page in pages_]
        total = _runs_of.get(page, waiting)
    if failed:
        raise SnippetError(f"page {page}: {failed[0]}")
    return (total - waiting, total) if waiting else None


def pending_page(markdown: str, done: int, total: int) -> str:
    """A page's Markdown while its runs are made: its prose, with a note under its title and a
    line in place of each code block that runs."""
    note = (
        '!!! info "This page\'s scripts are running"\n\n'
        f"    `mkdocs serve` runs each snippet once, alone, and keeps the result: {done} of this "
        f"page's {total} runs are done. The outputs, tables and charts appear, and the page "
        "reloads, when all are.\n"
    )
    body = plan.without_runs(markdown, "*This output appears when the page's runs are done.*\n")
    title = re.search(r"^# .*\n", body, re.M)
    at = title.end() if title else 0
    return f"{body[:at]}\n{note}\n{body[at:]}"


def _nav_pages(nav: list | dict | str | None) -> list[str]:
    """The Markdown files of a `nav:` setting, in its order."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    items = nav.values() if isinstance(nav, dict) else nav or []
    return [page for item in items for page in _nav_pages(item)]


def _start_thread() -> None:
    global _thread
    if _thread is None:
        # A daemon: Ctrl-C ends serve without waiting for the snippet, whose guard kills it.
        _thread = threading.Thread(target=_run_queue, name="snippets", daemon=True)
        _thread.start()


def _run_queue() -> None:
    """Make the queued runs one at a time; ask for a rebuild when pages are ready."""
    global _running
    ready, last_rebuild, rebuilt_once = False, time.monotonic(), False
    while True:
        with _state:
            _state.wait_for(lambda: _todo)
        with _quiet:
            with _state:
                if not _todo:  # a build emptied the queue meanwhile
                    continue
                _running = run = _todo.pop(0)
            try:
                pages.cached_or_executed(
                    run.snippet,
                    run.entry,
                    timeout=run.timeout,
                    expect_failure=run.expect_failure,
                    args=run.args,
                    python=run.python,
                )
            except SnippetError as error:
                with _state:
                    _failed[run.entry] = (run.pages, str(error))
            with _state:
                _running = None
                waiting = {page for other in _todo for page in other.pages}
                ready = ready or not waiting.issuperset(run.pages)
                rest = len(_todo)
        since = time.monotonic() - last_rebuild
        if ready and (not rebuilt_once or not rest or since > REBUILD_EVERY):
            _rebuild()
            ready, last_rebuild, rebuilt_once = False, time.monotonic(), True


def _rebuild() -> None:
    """Ask serve to rebuild, and wait until it has."""
    _rebuilt.clear()
    (trigger() / "ready").write_text(str(time.time()))
    _rebuilt.wait(REBUILT_WITHIN)
