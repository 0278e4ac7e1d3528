"""The numbers a page must not retype: a snippet's inputs, the module-level UPPER_CASE numbers it
sets (a sleep, a count of tasks, the worker counts it tries). Retyped in a page, they go silently
wrong when the script changes; a page takes them from the run instead, with
[`Measured.input`][runner.Measured.input], which reads the `"inputs"` the snippet writes to
`SNIPPET_DATA`.

The check reads a page's Markdown and the scripts it runs, without running anything. It finds an
input typed as digits: a number in the page's code (outside dictionary keys and a claim's bounds,
which are the claim's own), in its strings, or in its prose. What it cannot see: numbers written
as words ("fifty"), in other units (50 ms for 0.05 s) or derived (0.5 s / 10 ms = 50). Small
integers (under 10) are left out: they are also the bounds and counts of ordinary sentences.
"""

import ast
import re
from pathlib import Path

EXEC_BLOCK = re.compile(r'^```python[^\n]*exec="on"[^\n]*\n(.*?)^```', re.M | re.S)
QUOTED = re.compile(r"^(````+).*?^\1", re.M | re.S)  # a fence shown inside a longer fence
FENCE = re.compile(r"^(```+).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`|\]\([^)]*\)")  # inline code and link targets
SNIPPET = re.compile(r"""["'](snippets/[\w/.-]+\.py)["']""")
# Digits, with thousands grouped by commas; not part of a word, a version (3.14) or a key (time/3),
# and not a ratio or a size ("at least 10 times", "10×", "10%", "20 KiB"): a claim's own bounds.
NUMBER = re.compile(
    r"(?<![\w.,/])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/]|[.,]\d)(?!\s*(?:times|×|%|[KMG]i?B))"
)
BOUNDS = {"at_least", "at_most", "needs_cpus", "free_cpus"}


def snippet_inputs(source: str) -> dict[float, str]:
    """A script's inputs: {value: NAME} for its module-level UPPER_CASE numbers (and the numbers
    of an UPPER_CASE tuple or list), left out small integers."""
    inputs = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if not (isinstance(target, ast.Name) and target.id.isupper() and node.value is not None):
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        for number in value if isinstance(value, (tuple, list)) else [value]:
            if is_distinctive(number):
                inputs.setdefault(float(number), target.id)
    return inputs


def is_distinctive(number) -> bool:
    """A number worth checking: not a bool, and a fraction or at least 10."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return False
    return number >= 10 or number != int(number)


def code_numbers(code: str) -> list[str]:
    """The numbers typed in a block of page code: its literals (outside subscripts and a claim's
    bounds) and the digits in its strings."""
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
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.Constant):
            continue
        if isinstance(node.value, str):
            found += NUMBER.findall(node.value)
        elif is_distinctive(node.value):
            found.append(repr(node.value))
    return found


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
    typed = [n for block in blocks for n in code_numbers(block)] + NUMBER.findall(prose)
    return [
        f"{number} is {inputs[value]}: take it from the run (m.input(...)) instead of typing it"
        for number in dict.fromkeys(typed)
        if (value := float(number.replace(",", ""))) in inputs
    ]
