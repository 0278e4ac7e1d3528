"""`make new-snippet` (tools/new_snippet.py) makes a snippet, its expected output and its page that
pass the tests unedited, and the tests pick the new snippet up by themselves. Run in a copy of the
repository, so nothing generated is left behind."""

import subprocess
import sys

from conftest import ROOT, copy_repo, mkdocs_build


def test_scaffolded_snippets_pass_the_tests_and_the_strict_build(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    for topic, slug in [("scaffold_check", "first"), ("scaffold_check", "second"), ("cost", "x")]:
        done = subprocess.run(
            [sys.executable, "tools/new_snippet.py", topic, slug],
            cwd=repo,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr

    made = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()} - {
        p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()
    }
    assert {
        "snippets/scaffold_check/01_first.py",
        "snippets/scaffold_check/02_second.py",
        "snippets/cost/03_x.py",
        "tests/expected/scaffold_check/01_first.txt",
        "tests/expected/cost/03_x.txt",
        "docs/scaffold_check/index.md",
        "docs/cost/index.md",
    } <= made
    nav = (repo / "mkdocs.yml").read_text()
    assert nav.count("scaffold_check/index.md") == 1 and "cost/index.md" in nav

    # The copy's own tests, unedited, find the new snippets: shape, page, run, output, lint.
    tests = ["tests/test_snippets.py", "tests/test_docs.py", "tests/test_lint.py"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", *tests],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for snippet in ("scaffold_check/01_first.py", "scaffold_check/02_second.py", "cost/03_x.py"):
        assert f"test_runs_and_prints_its_expected_lines[snippets/{snippet}] PASSED" in done.stdout

    built = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site", tmp_path / "cache")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "scaffold_check" / "index.html").read_text()
    assert "first: ready" in page and "second: ready" in page
