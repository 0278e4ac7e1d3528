"""What a build will run, said before it runs it: every call of the runner in the pages' code,
read without running it, and which of those runs the cache already holds. The build logs it as
it starts (how many snippets must run, and how long they took last time) and as each one runs;
the tests read the same calls."""

from __future__ import annotations

import ast
import dataclasses
import json
import logging
import re
from pathlib import Path

from runner import cache
from runner.probe import environment, interpreters, snippet_python
from runner.result import DEFAULT_TIMEOUT

RUNS = {"example", "run_snippet", "measure", "compare"}
"""The runner's calls that run a snippet for a page; `example` and `run_snippet` also show it."""
SHOWS = {"example", "output"}
"""The methods of a measured run that show it."""

_log = logging.getLogger("mkdocs.runner")  # MkDocs prints it; `mkdocs build -q` silences it
_BLOCK = re.compile(r'^```python[^\n]*exec="on"[^\n]*\n(.*?)^```', re.M | re.S)
_QUOTED = re.compile(r"^(````+).*?^\1", re.M | re.S)  # examples shown inside a longer fence


@dataclasses.dataclass(frozen=True)
class Call:
    """A page's call of the runner: `compare("snippets/gil/02_cpu_bound.py", timeout=300)`."""

    page: str
    function: str
    snippet: str
    options: dict
    shown: bool
    """Whether the page shows the run (its transcript), not only quotes its numbers."""


def snippet_calls(docs: Path) -> list[Call]:
    """Every call of the runner that runs a snippet, in the markdown-exec blocks of the pages
    under `docs`, in the order of the pages' paths."""
    calls = []
    for page in sorted(docs.rglob("*.md")):
        blocks = _BLOCK.findall(_QUOTED.sub("", page.read_text(encoding="utf-8")))
        nodes = [node for code in blocks for node in ast.walk(ast.parse(code))]
        # The names whose run the page shows: `m.example(...)` or `m.output()`.
        showing = {
            node.func.value.id
            for node in nodes
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SHOWS
            and isinstance(node.func.value, ast.Name)
        }
        assigned = {
            id(node.value): node.targets[0].id
            for node in nodes
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        }
        for node in nodes:
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in RUNS:
                calls.append(
                    Call(
                        page=page.relative_to(docs).as_posix(),
                        function=node.func.id,
                        snippet=ast.literal_eval(node.args[0]),
                        options={k.arg: ast.literal_eval(k.value) for k in node.keywords},
                        shown=node.func.id in {"example", "run_snippet"}
                        or assigned.get(id(node)) in showing,
                    )
                )
    return calls


@dataclasses.dataclass(frozen=True)
class Run:
    """One run the pages ask for: a snippet under one interpreter, named by its cache entry."""

    entry: str
    pages: tuple[str, ...]
    """The pages that ask for it."""
    snippet: str
    python: str
    args: tuple[str, ...]
    expect_failure: bool
    timeout: float


def runs(docs: Path) -> list[Run]:
    """Every run the pages under `docs` ask for, once each, in the order of their calls; a call
    of a missing snippet is left out (its page fails on it, with its own message)."""
    found: dict[str, Run] = {}
    for call in snippet_calls(docs):
        snippet = Path(call.snippet)
        if not snippet.is_file():
            continue
        pythons = interpreters()[0] if call.function == "compare" else [snippet_python()]
        args = tuple(call.options.get("args", ()))
        failing = call.options.get("expect_failure", False)
        timeout = call.options.get("timeout", DEFAULT_TIMEOUT)
        for python in pythons:
            entry = cache.key(snippet, args, failing, python, environment(python))
            run = found.get(entry) or Run(entry, (), call.snippet, python, args, failing, timeout)
            pages = run.pages + (call.page,) * (call.page not in run.pages)
            # Two pages may give one run different timeouts: it gets the longer.
            found[entry] = dataclasses.replace(run, pages=pages, timeout=max(run.timeout, timeout))
    return list(found.values())


def missing(planned: list[Run]) -> list[Run]:
    """The runs of `planned` that the cache does not hold (all of them with SNIPPETS_FRESH=1)."""
    if cache.fresh():
        return list(planned)
    return [run for run in planned if not (cache.directory() / f"{run.entry}.json").is_file()]


def without_runs(markdown: str, instead: str) -> str:
    """A page's Markdown with `instead` in place of each code block that runs (`exec="on"`),
    leaving the examples shown inside a longer fence as they are."""
    quoted = [match.span() for match in _QUOTED.finditer(markdown)]
    return _BLOCK.sub(
        lambda block: (
            block[0] if any(start <= block.start() < end for start, end in quoted) else instead
        ),
        markdown,
    )


class Progress:
    """Counts the runs of a build, to say "3 of 12" beside each."""

    def __init__(self) -> None:
        self.planned = 0
        self.started = 0

    def begin(self, docs: Path) -> None:
        """Log what the build will run: how many runs, how many come from the cache, and what
        the runs still to do took last time, where the cache remembers them."""
        self.started, self.planned = 0, 0
        try:
            planned = runs(docs)
        except (SyntaxError, ValueError) as error:  # the page fails on it, with its own message
            _log.info("Snippets: not counted in advance (%s)", error)
            return
        to_run = missing(planned)
        self.planned = len(to_run)
        cached = len(planned) - len(to_run)
        if not to_run:
            _log.info("Snippets: all %s from the cache", _runs(cached))
            return
        _log.info("Snippets: %d to run (%s), %d from the cache", len(to_run), took(to_run), cached)

    def next(self, snippet: str, env: dict) -> str:
        """The name of the run that starts, for its progress lines: "Snippet 3 of 12:
        snippets/x.py (CPython 3.14.0)"."""
        self.started += 1
        self.planned = max(self.planned, self.started)
        return f"Snippet {self.started} of {self.planned}: {snippet} ({_interpreter(env)})"


def ran(name: str, seconds: float) -> None:
    _log.info("%s: %.1f s", name, seconds)


def still_running(name: str, seconds: float) -> None:
    _log.info("%s: still running after %.0f s", name, seconds)


def took(to_run: list[Run]) -> str:
    """What `to_run` took last time, as far as the cache remembers."""
    before = _last_durations()
    known = [
        before[run.snippet, run.python] for run in to_run if (run.snippet, run.python) in before
    ]
    if len(known) == len(to_run):
        return f"{'it' if len(to_run) == 1 else 'they'} took {_duration(sum(known))} last time"
    if known:
        return (
            f"{len(known)} of them took {_duration(sum(known))} last time; "
            f"{len(to_run) - len(known)} never ran here"
        )
    return "none ran here before"


def _runs(count: int) -> str:
    return f"{count} run{'' if count == 1 else 's'}"


def _interpreter(env: dict) -> str:
    return f"{env['implementation']} {env['version']}{'t' if env['free_threaded'] else ''}"


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def _last_durations() -> dict[tuple[str, str], float]:
    """{(snippet, interpreter): seconds} of the newest run the cache holds of each, whatever its
    key (an edited snippet's old runs say about how long the new one will take)."""
    newest: dict[tuple[str, str], tuple[str, float]] = {}
    for entry in cache.directory().glob("*.json"):
        try:
            run = json.loads(entry.read_text(encoding="utf-8"))
            found = (run["snippet"], run["python"])
            if found not in newest or run["ran_at"] > newest[found][0]:
                newest[found] = (run["ran_at"], float(run["seconds"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return {found: seconds for found, (_, seconds) in newest.items()}
