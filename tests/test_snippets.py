"""Every snippet: its shape (name, docstring, guard, imports), a page that shows it, and a real run.

A snippet's output is checked against `tests/expected/<topic>/<nn>_<slug>.txt`: one expected line
for each line it prints, in any order. Where a line changes from run to run or from machine to
machine, its expected line marks the part that changes with `…` (U+2026), which stands for any
text of at least one character: `thread: …` matches `thread: 96 µs`, and `plain +=: … lost of
400,000 adds` matches `plain +=: 0, 12, 3 lost of 400,000 adds`. An expected line can also state
what a line must say in terms of the runner's own probe of the interpreter that ran the snippet:
in `free-threaded build: {free_threaded}`, `{free_threaded}` stands for that field of
`runner.environment(python)` (`free_threaded`, `gil_enabled`, `cpus`, `start_method`,
`version`, ...), and the line must then match in full.
"""

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, snippet_calls

import runner

SNIPPETS = sorted(p for p in (ROOT / "snippets").glob("*/*.py") if not p.name.startswith("_"))
NAME = re.compile(r"\d\d_[a-z0-9_]+\.py")
VARIES = "…"  # in an expected line: any text, at least one character
FIELD = re.compile(r"\{(\w+)\}")


def ids(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def allowed_imports() -> set[str]:
    """The standard library, plus the libraries the pages are about (the project's dependencies)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    third_party = {
        re.split(r"[\s<>=!~\[;]", dep)[0].replace("-", "_") for dep in project["dependencies"]
    }
    return set(sys.stdlib_module_names) | third_party


def expected_lines(text: str, env: dict) -> list[str]:
    """An expected file's lines, with each `{field}` filled in from `env` (the interpreter's
    probe)."""

    def field(match: re.Match) -> str:
        assert match[1] in env, f"{{{match[1]}}} is not one of the probe's fields {sorted(env)}"
        return str(env[match[1]])

    return [FIELD.sub(field, line) for line in text.splitlines()]


def unmatched(output: str, expected: list[str]) -> tuple[list[str], list[str]]:
    """Pair each line of `output` with an expected line that matches it, one to one, in any
    order; return what is left: the lines printed but not expected, and the expected lines
    not printed."""
    lines = output.splitlines()
    patterns = [re.compile(".+".join(map(re.escape, line.split(VARIES)))) for line in expected]
    fits = [[j for j, p in enumerate(patterns) if p.fullmatch(line)] for line in lines]
    paired: dict[int, int] = {}  # expected line -> printed line

    def pair(i: int, tried: set[int]) -> bool:
        """Pair printed line i, moving earlier pairs to other lines they fit if need be."""
        for j in fits[i]:
            if j not in tried:
                tried.add(j)
                if j not in paired or pair(paired[j], tried):
                    paired[j] = i
                    return True
        return False

    for i in range(len(lines)):
        pair(i, set())
    printed = set(paired.values())
    return (
        [line for i, line in enumerate(lines) if i not in printed],
        [line for j, line in enumerate(expected) if j not in paired],
    )


def test_there_are_snippets():
    assert SNIPPETS


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_shape(path: Path):
    assert NAME.fullmatch(path.name), f"{ids(path)}: name it <nn>_<slug>.py"
    assert (ROOT / "docs" / path.parent.name).is_dir(), f"{ids(path)}: no docs/{path.parent.name}/"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.splitlines()[0].strip(), (
        f"{ids(path)}: needs a docstring caption"
    )
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert "main" in functions, f"{ids(path)}: needs a main()"
    guards = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'"
    ]
    assert guards, f'{ids(path)}: needs an `if __name__ == "__main__":` guard'


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_imports_only_stdlib_and_the_page_subject(path: Path):
    allowed = allowed_imports()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{ids(path)}: relative import"
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in allowed, f"{ids(path)} imports {name}"


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_shown_on_a_page(path: Path):
    """Some page shows it as an example (its source and its run), not only quotes its numbers."""
    name = ids(path)
    assert any(call.snippet == name and call.shown for call in snippet_calls()), (
        f"no page shows {name}: print(example({name!r}, ...)) on its page"
    )


@pytest.mark.parametrize("path", SNIPPETS, ids=ids)
def test_runs_and_prints_its_expected_lines(path: Path, build_dir: Path, monkeypatch):
    # Into the session build's cache: the build shows this very run, or this test checks the
    # build's (the cache checks a stored run as it checks a fresh one), and the snippet runs once.
    monkeypatch.setenv("SNIPPETS_CACHE_DIR", str(build_dir / "cache"))
    name = ids(path)
    options = next((c.options for c in snippet_calls() if c.snippet == name), {})
    result = runner.run(name, **options)
    expected_file = ROOT / "tests" / "expected" / path.parent.name / f"{path.stem}.txt"
    output = result.stdout + result.stderr
    assert expected_file.is_file(), (
        f"create {ids(expected_file)} with the lines {name} always prints (in any order), "
        "each part that changes from run to run written as …:\n" + output
    )
    expected = expected_lines(expected_file.read_text(encoding="utf-8"), result.environment)
    assert expected, f"{ids(expected_file)} is empty: every snippet prints something checkable"
    printed, missing = unmatched(output, expected)
    assert not printed and not missing, (
        f"{name} printed lines that {ids(expected_file)} does not allow: {printed}\n"
        f"and did not print these expected lines: {missing}"
    )


def test_an_expected_line_marks_what_changes():
    """`…` stands for some text; every printed line needs an expected line, and the other way."""
    expected = expected_lines("all done\nthread: …\nplain: … lost of 40 adds\n", {})
    output = "thread: 96 µs\nall done\nplain: 3, 0 lost of 40 adds\n"
    assert unmatched(output, expected) == ([], [])
    assert unmatched(output + "process: 1 ms\n", expected) == (["process: 1 ms"], [])
    assert unmatched("all done\nthread: \n", expected) == (
        ["thread: "],  # … is never empty
        ["thread: …", "plain: … lost of 40 adds"],
    )
    twice = "thread: 1 µs\nthread: 2 µs\nall done\nplain: 0 lost of 40 adds\n"
    assert unmatched(twice, expected) == (["thread: 2 µs"], [])
    # A line that fits two expected lines takes the one that leaves the others paired.
    assert unmatched("a: 1 b\na: 2\n", expected_lines("a: …\na: … b", {})) == ([], [])


def test_an_expected_line_can_state_what_the_probe_says():
    """`{field}` in an expected line is the probe's value, and the line is then compared whole."""
    text = "free-threaded build: {free_threaded}\nversion: …\n"
    output = "free-threaded build: False\nversion: 3.11.7 (main)\n"
    for free_threaded, agrees in ((False, True), (True, False)):
        lines = expected_lines(text, {"free_threaded": free_threaded})
        assert (unmatched(output, lines) == ([], [])) == agrees
    with pytest.raises(AssertionError, match="not one of the probe's fields"):
        expected_lines("CPUs: {cores}", {"cpus": 2})
