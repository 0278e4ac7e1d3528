"""Every fenced Python block in docs/ and README.md is linted and run by pytest-examples.

Blocks that include a snippet (`--8<--`) or run through markdown-exec (`exec="on"`) are left to
test_snippets.py and test_build.py, which run the real files; pytest-examples cannot expand either.
"""

from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

ROOT = Path(__file__).resolve().parent.parent


def checked_here(example: CodeExample) -> bool:
    return "--8<--" not in example.source and "exec=" not in example.prefix


EXAMPLES = [e for e in find_examples(ROOT / "docs", ROOT / "README.md") if checked_here(e)]


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_example(example: CodeExample, eval_example: EvalExample) -> None:
    eval_example.set_config(line_length=100, target_version="py311")
    eval_example.lint(example)
    # On Python 3.11, pytest-examples' rewritten traceback crashes pytest (INTERNALERROR) when an
    # example raises, even inside `except`; so keep only the message and fail after the handler.
    failure = None
    try:
        eval_example.run_print_check(example)
    except Exception as error:  # noqa: BLE001
        failure = f"{example}: {type(error).__name__}: {error}"
    if failure:
        pytest.fail(failure, pytrace=False)


PAGE_CODE = [e for e in find_examples(ROOT / "docs") if "exec=" in e.prefix]


@pytest.mark.parametrize("example", PAGE_CODE, ids=str)
def test_page_code_is_linted(example: CodeExample, eval_example: EvalExample) -> None:
    """The code a page runs at build time (examples, sentences, tables, claims) is linted like any
    other; the build runs it. A block in a session may use (and import for) the blocks around it."""
    shared = "session=" in example.prefix
    # I001 wants a blank line after the import of a two-line block: `from runner import example`
    # then its `print`, the form every example takes.
    ignored = ["I001", *(["F821", "F401"] if shared else [])]
    eval_example.set_config(line_length=100, target_version="py311", ruff_ignore=ignored)
    eval_example.lint_ruff(example)  # ruff's rules; the layout is the page's
