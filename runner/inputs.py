"""The numbers a page must not retype: a snippet's inputs, the module-level UPPER_CASE numbers it
sets (a sleep, a count of tasks, the worker counts it tries). Retyped in a page, they go silently
wrong when the script changes; a page takes them from the run instead, with
[`Measured.input`][runner.Measured.input], which reads the `"inputs"` the snippet writes to
`SNIPPET_DATA`.

The check reads a page's Markdown and the scripts it runs, without running anything. It finds an
input typed as digits, in seconds or bytes or another unit of them ("50 ms" for 0.05 s, "32 MiB"
for `32 << 20`): a number in the page's code (outside dictionary keys and a claim's bounds, which
are the claim's own), in its strings, or in its prose. What it cannot see: numbers written as
words ("fifty"), derived ones (0.5 s / 10 ms = 50), and numbers a script writes inline rather than
naming (`range(3)`). Small integers (under 10) are left out: they are also the bounds and counts
of ordinary sentences.
"""

import ast
import math
import operator
import re
from pathlib import Path

EXEC_BLOCK = re.compile(r'^```python[^\n]*exec="on"[^\n]*\n(.*?)^```', re.M | re.S)
QUOTED = re.compile(r"^(````+).*?^\1", re.M | re.S)  # a fence shown inside a longer fence
FENCE = re.compile(r"^(```+).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`|\]\([^)]*\)")  # inline code and link targets
SNIPPET = re.compile(r"""["'](snippets/[\w/.-]+\.py)["']""")
# Digits, their thousands grouped by commas or spaces ("10,000", "10 000"), and the unit after
# them, if any; not part of a word, a version (3.14) or a key (time/3), and not a ratio ("at least
# 10 times", "10×", "10%"), which is a claim's own bound.
NUMBER = re.compile(
    r"(?<![\w.,/])(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+(?:\.\d+)?)(?![\w/]|[.,]\d)"
    r"(?!\s*(?:times|×|%))(?:[ \u202f\u00a0]?(ms|µs|us|s|KiB|MiB|GiB|KB|MB|GB)\b)?"
)
# A number in a unit, as the script would hold it: seconds and bytes.
UNITS = {"ms": 1e-3, "µs": 1e-6, "us": 1e-6, "s": 1, "KiB": 1 << 10, "MiB": 1 << 20}
UNITS |= {"GiB": 1 << 30, "KB": 1e3, "MB": 1e6, "GB": 1e9, "": 1}
BOUNDS = {"at_least", "at_most", "needs_cpus"}
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
}


def number(node: ast.AST) -> float | None:
    """The value of an expression of number literals (`32 << 20`, `-1`, `0.5`), else None."""
    if isinstance(node, ast.Constant):
        value = node.value
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = number(node.operand)
        return None if value is None else -value
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        left, right = number(node.left), number(node.right)
        if left is not None and right is not None:
            try:
                return OPERATORS[type(node.op)](left, right)
            except (ArithmeticError, TypeError, ValueError):
                return None
    return None


def numbers_in(node: ast.AST, skipped: set[int] = frozenset()) -> list[float]:
    """The numbers an expression is made of: each largest part that is a number (`32 << 20` is
    one), in tuples, lists, dicts (keys and values), calls' arguments and so on."""
    if id(node) in skipped:
        return []
    if (value := number(node)) is not None:
        return [value]
    return [n for child in ast.iter_child_nodes(node) for n in numbers_in(child, skipped)]


def snippet_inputs(source: str) -> dict[float, str]:
    """A script's inputs: {value: NAME} for the numbers its module-level UPPER_CASE names hold
    (`SLEEP = 0.2`, `COUNTS = (1, 100)`, `SIZES = [1 << 10]`, `RUNS = {10_000: 3}`), left out
    small integers."""
    inputs = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id.isupper() and node.value is not None:
            for value in numbers_in(node.value):
                if is_distinctive(value):
                    inputs.setdefault(float(value), target.id)
    return inputs


def is_distinctive(number: float) -> bool:
    """A number worth checking: a fraction, or at least 10."""
    return number >= 10 or number != int(number)


def code_numbers(code: str) -> list[tuple[str, float]]:
    """The numbers typed in a block of page code, as (text, value): its literals (outside
    subscripts and a claim's bounds) and the numbers in its strings."""
    tree = ast.parse(code)
    skipped = {
        id(part)
        for node in ast.walk(tree)
        for part in (
            ast.walk(node.slice)
            if isinstance(node, ast.Subscript)
            else ast.walk(node.value)
            if isinstance(node, ast.keyword) and node.arg in BOUNDS
            else ()
        )
    }
    found = [(repr(value), value) for value in numbers_in(tree, skipped)]
    for node in ast.walk(tree):
        if (
            id(node) not in skipped
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
        ):
            found += text_numbers(node.value)
    return found


def text_numbers(text: str) -> list[tuple[str, float]]:
    """The numbers written in a text, as (as written, value in seconds or bytes)."""
    return [
        (match[0], float(re.sub(r"[,\u202f\u00a0 ]", "", match[1])) * UNITS[match[2] or ""])
        for match in NUMBER.finditer(text)
    ]


def retyped(markdown: str, root: Path) -> list[str]:
    """What the page retypes of the inputs of the snippets it runs, one message per number."""
    markdown = QUOTED.sub("", markdown)
    blocks = EXEC_BLOCK.findall(markdown)
    inputs: dict[float, str] = {}
    for path in sorted({p for block in blocks for p in SNIPPET.findall(block)}):
        script = root / path
        if script.is_file():  # a missing script fails the build where the page runs it
            for value, name in snippet_inputs(script.read_text(encoding="utf-8")).items():
                inputs.setdefault(value, f"{path}'s {name}")
    prose = INLINE_CODE.sub("", FENCE.sub("", markdown))
    typed = [n for block in blocks for n in code_numbers(block)] + text_numbers(prose)
    found = {}
    for text, value in typed:
        if is_distinctive(value) and (name := _input(inputs, value)):
            found.setdefault(text, name)
    return [
        f"{text} is {name}: take it from the run (m.input(...)) instead of typing it"
        for text, name in found.items()
    ]


def _input(inputs: dict[float, str], value: float) -> str | None:
    """The input equal to `value`, allowing for a unit's rounding (50 ms is 0.05 s)."""
    return next((name for v, name in inputs.items() if math.isclose(v, value, rel_tol=1e-9)), None)
