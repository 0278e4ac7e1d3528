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


class Progress:
    """Counts the runs of a build, to say "3 of 12" beside each."""

    def __init__(self) -> None:
        self.planned = 0
        self.started = 0

    def begin(self, docs: Path) -> None:
        """Log what the build will run: how many runs, how many come from the cache, and what
        the runs still to do took last time, where the cache remembers them."""
        self.started, self.planned = 0, 0
        runs, cached = {}, 0
        try:
            calls = snippet_calls(docs)
        except (SyntaxError, ValueError) as error:  # the page fails on it, with its own message
            _log.info("Snippets: not counted in advance (%s)", error)
            return
        for call in calls:
            snippet = Path(call.snippet)
            if not snippet.is_file():
                continue  # the page fails on it, with its own message
            pythons = interpreters()[0] if call.function == "compare" else [snippet_python()]
            args = call.options.get("args", ())
            failing = call.options.get("expect_failure", False)
            for python in pythons:
                entry = cache.key(snippet, args, failing, python, environment(python))
                runs[entry] = (call.snippet, python)
        for entry in list(runs):
            if not cache.fresh() and (cache.directory() / f"{entry}.json").is_file():
                del runs[entry]
                cached += 1
        self.planned = len(runs)
        if not runs:
            _log.info("Snippets: all %s from the cache", _runs(cached))
            return
        before = _last_durations()
        known = [before[run] for run in runs.values() if run in before]
        if len(known) == len(runs):
            took = f"{'it' if len(runs) == 1 else 'they'} took {_duration(sum(known))} last time"
        elif known:
            took = (
                f"{len(known)} of them took {_duration(sum(known))} last time; "
                f"{len(runs) - len(known)} never ran here"
            )
        else:
            took = "none ran here before"
        _log.info("Snippets: %d to run (%s), %d from the cache", len(runs), took, cached)

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
