import ast
import re
from pathlib import Path
from typing import NamedTuple

import pytest

import runner

ROOT = Path(__file__).resolve().parent.parent
RUNS = {"run_snippet", "measure", "compare"}  # the runner's calls that run a snippet for a page


@pytest.fixture(autouse=True)
def isolated_runner(tmp_path_factory, monkeypatch):
    """Every test runs from the repository root with its own empty snippet cache."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SNIPPETS_CACHE_DIR", str(tmp_path_factory.mktemp("snippet-cache")))
    monkeypatch.delenv("SNIPPETS_FRESH", raising=False)
    runner.begin_build()


class Call(NamedTuple):
    """A page's call of the runner: `compare("snippets/gil/02_cpu_bound.py", timeout=300)`."""

    page: str
    function: str
    snippet: str
    options: dict


def snippet_calls() -> list[Call]:
    """Every call of the runner that runs a snippet, in the pages' markdown-exec blocks.

    Read with `ast` rather than run, so that tests see exactly what the build will run.
    """
    calls = []
    block = re.compile(r'^```python[^\n]*exec="on"[^\n]*\n(.*?)^```', re.M | re.S)
    quoted = re.compile(r"^(````+).*?^\1", re.M | re.S)  # examples shown inside a longer fence
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for code in block.findall(quoted.sub("", page.read_text(encoding="utf-8"))):
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in RUNS:
                    calls.append(
                        Call(
                            page=page.relative_to(ROOT / "docs").as_posix(),
                            function=node.func.id,
                            snippet=ast.literal_eval(node.args[0]),
                            options={k.arg: ast.literal_eval(k.value) for k in node.keywords},
                        )
                    )
    return calls
