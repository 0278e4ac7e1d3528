import ast
import re
from pathlib import Path

import pytest

import runner

ROOT = Path(__file__).resolve().parent.parent
RUNS = {"run_snippet", "measure"}  # the runner's calls that run a snippet for a page


@pytest.fixture(autouse=True)
def isolated_runner(tmp_path_factory, monkeypatch):
    """Every test runs from the repository root with its own empty snippet cache."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SNIPPETS_CACHE_DIR", str(tmp_path_factory.mktemp("snippet-cache")))
    monkeypatch.delenv("SNIPPETS_FRESH", raising=False)
    runner.begin_build()


def snippet_calls() -> list[tuple[str, str, dict]]:
    """Every `run_snippet(...)` or `measure(...)` call in the pages' markdown-exec blocks:
    (page, snippet, keywords).

    Read with `ast` rather than run, so that tests see exactly what the build will run.
    """
    calls = []
    block = re.compile(r'^```python[^\n]*exec="on"[^\n]*\n(.*?)^```', re.M | re.S)
    quoted = re.compile(r"^(````+).*?^\1", re.M | re.S)  # examples shown inside a longer fence
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for code in block.findall(quoted.sub("", page.read_text(encoding="utf-8"))):
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in RUNS:
                    path = ast.literal_eval(node.args[0])
                    keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                    calls.append((page.relative_to(ROOT / "docs").as_posix(), path, keywords))
    return calls
