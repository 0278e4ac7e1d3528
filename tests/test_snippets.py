"""Every snippet: its shape (name, docstring, guard, imports), a page that shows it, and a real run.

A snippet's deterministic output is checked against `tests/expected/<topic>/<nn>_<slug>.txt`: the
lines it prints, in any order. A measured line (`time: <label>: ...`, `memory: <label>: ...`, or
`machine: <label>: ...` for what depends on the machine) counts by its label only, since what
follows the label changes from run to run and from machine to machine. Unless the expected line
states what it must say, in terms of the runner's own probe of the interpreter that ran the
snippet: in `machine: free-threaded build: {free_threaded}`, `{free_threaded}` stands for that
field of `runner.environment(python)` (`free_threaded`, `gil_enabled`, `cpus`,
`start_method`, `version`, ...), and the whole line must match.
"""

import ast
import re
import sys
import tomllib
from collections.abc import Collection
from pathlib import Path

import pytest
from conftest import ROOT, snippet_calls

import runner

SNIPPETS = sorted(p for p in (ROOT / "snippets").glob("*/*.py") if not p.name.startswith("_"))
NAME = re.compile(r"\d\d_[a-z0-9_]+\.py")
MEASURED = re.compile(r"(time|memory|machine): [^:]*:")
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


def deterministic_lines(output: str, checked: Collection[str] = ()) -> list[str]:
    """The output's lines, sorted, with each measured line cut after its label, except those
    whose label is in `checked`."""
    return sorted(
        measured.group()
        if (measured := MEASURED.match(line)) and measured.group() not in checked
        else line
        for line in output.splitlines()
    )


def expected_lines(text: str, env: dict) -> tuple[list[str], set[str]]:
    """An expected file's lines with each `{field}` of a measured line filled in from `env` (the
    interpreter's probe), and the labels of those lines, whose values are checked in full."""

    def field(match: re.Match) -> str:
        assert match[1] in env, f"{{{match[1]}}} is not one of the probe's fields {sorted(env)}"
        return str(env[match[1]])

    lines, checked = [], set()
    for line in text.splitlines():
        if (measured := MEASURED.match(line)) and FIELD.search(line):
            checked.add(measured.group())
            line = FIELD.sub(field, line)
        lines.append(line)
    return lines, checked


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
def test_runs_and_prints_its_expected_lines(path: Path):
    name = ids(path)
    options = next((c.options for c in snippet_calls() if c.snippet == name), {})
    result = runner.run(name, **options)
    expected_file = ROOT / "tests" / "expected" / path.parent.name / f"{path.stem}.txt"
    output = result.stdout + result.stderr
    assert expected_file.is_file(), (
        f"create {ids(expected_file)} with the lines {name} always prints "
        "(in any order):\n" + "\n".join(deterministic_lines(output))
    )
    lines, checked = expected_lines(expected_file.read_text(encoding="utf-8"), result.environment)
    expected = deterministic_lines("\n".join(lines), checked)
    assert expected, f"{ids(expected_file)} is empty: every snippet prints something checkable"
    assert deterministic_lines(output, checked) == expected


def test_an_expected_line_can_state_what_a_machine_line_says():
    """`{field}` in an expected line is the probe's value, and the line is then compared whole."""
    text = "machine: free-threaded build: {free_threaded}\nmachine: version:\n"
    output = "machine: free-threaded build: False\nmachine: version: 3.11.7 (main)\n"
    for free_threaded, agrees in ((False, True), (True, False)):
        lines, checked = expected_lines(text, {"free_threaded": free_threaded})
        assert checked == {"machine: free-threaded build:"}
        same = deterministic_lines(output, checked) == deterministic_lines(
            "\n".join(lines), checked
        )
        assert same == agrees
    with pytest.raises(AssertionError, match="not one of the probe's fields"):
        expected_lines("machine: CPUs: {cores}", {"cpus": 2})
