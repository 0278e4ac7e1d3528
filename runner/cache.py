"""The snippet cache: one entry per run, keyed on everything that can change its output; a lock
that keeps snippets from running at the same time; and the charts drawn from those runs, so that
a build whose numbers have not changed draws no chart again."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import platform
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from runner.output import render
from runner.probe import installed_packages
from runner.result import Result, SnippetError, check

CACHE_FORMAT = 5
"""Bumped whenever a cache entry's layout or meaning changes."""


_log = logging.getLogger("mkdocs.runner")


def directory() -> Path:
    return Path(os.environ.get("SNIPPETS_CACHE_DIR", ".cache/snippets"))


def fresh() -> bool:
    """`SNIPPETS_FRESH=1`: read nothing from the cache (every snippet runs, every chart is drawn);
    what this build makes is still written."""
    return os.environ.get("SNIPPETS_FRESH", "") not in ("", "0")


@contextlib.contextmanager
def alone() -> Iterator[None]:
    """Hold an exclusive lock while a snippet runs, so that no two snippets overlap."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def key(snippet: Path, args: Sequence[str], expect_failure: bool, python: str, env: dict) -> str:
    key = {
        "format": CACHE_FORMAT,
        "snippet": snippet.as_posix(),
        "source": hashlib.sha256(snippet.read_bytes()).hexdigest(),
        "args": list(args),
        "expect_failure": expect_failure,
        "interpreter": python,
        "environment": env,
        "machine": [platform.node(), platform.machine(), platform.release(), os.cpu_count()],
        "packages": installed_packages(python),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]


def read(entry: Path, expect_failure: bool, timeout: float) -> Result | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        result = dataclasses.replace(Result(**data), cached=True)
        render(result)  # an entry that cannot be shown is as good as missing
        # Checked as a fresh run is: an entry that would fail now (written by an older runner, or
        # edited) is not shown; the snippet runs again and that run is checked.
        check(result, expect_failure, timeout)
        return result
    except FileNotFoundError:
        return None
    except (SnippetError, OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        _log.info("snippet cache entry %s not used (%s): running again", entry, error)
        return None


def write(entry: Path, result: Result) -> None:
    _write(entry, json.dumps(dataclasses.asdict(result)))


def _write(entry: Path, text: str) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(entry)  # atomic: a reader sees the old entry or the new one, never half of one


CHART_CODE = Path(__file__).with_name("charts.py")


@functools.cache
def _versions(*packages: str) -> list[str]:
    """The installed versions of `packages`: looked up once per process, not once per entry."""
    return [importlib.metadata.version(package) for package in packages]


@functools.cache
def _chart_code() -> str:
    return CHART_CODE.read_text(encoding="utf-8")


def chart(what: object, draw: Callable[[], str]) -> str:
    """A chart's SVG, drawn by `draw` once for what determines it (`what`: its numbers, labels
    and options, as JSON) and read back by later builds. The key adds the chart code and
    matplotlib's version; an entry that cannot be read, or is not a whole SVG, is drawn again."""
    parts = [what, _chart_code(), _versions("matplotlib")]
    whole = lambda svg: svg.startswith("<svg") and svg.endswith("</svg>")  # noqa: E731
    return _kept("charts", ".svg", parts, draw, whole)


def html(markdown: str, settings: object, convert: Callable[[str], str]) -> str:
    """The HTML of `markdown` (a whole script, folded), converted by `convert` once for that text
    and the Markdown `settings` (the site's extensions and their options, as JSON) and read back by
    later builds: highlighting every script again was most of what a warm build spent beyond a
    build that runs nothing. The key adds the versions of Markdown, its extensions and Pygments."""
    parts = [markdown, settings, _versions("markdown", "pymdown-extensions", "pygments")]
    whole = lambda text: text.startswith("<div") and text.endswith("</div>")  # noqa: E731
    return _kept("html", ".html", parts, lambda: convert(markdown), whole)


def _kept(
    folder: str,
    suffix: str,
    parts: object,
    make: Callable[[], str],
    whole: Callable[[str], bool],
) -> str:
    """What `make` returns for `parts`, made once and kept in the cache's `folder`. An entry that
    cannot be read, or is not `whole` (cut short), is made again, as is every entry with
    `SNIPPETS_FRESH=1`."""
    name = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]
    entry = directory() / folder / f"{name}{suffix}"
    if not fresh():
        try:
            text = entry.read_text(encoding="utf-8")
            if whole(text):
                return text
            _log.info("cache entry %s is not whole: making it again", entry)
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as error:
            _log.info("cache entry %s not used (%s): making it again", entry, error)
    text = make()
    _write(entry, text)
    return text
