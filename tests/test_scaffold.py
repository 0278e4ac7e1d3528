"""`make new-snippet` (tools/new_snippet.py) makes a snippet, its expected output and its page that
pass the tests unedited, and the tests pick the new snippet up by themselves. Run in a copy of the
repository, so nothing generated is left behind."""

import shutil
import subprocess
import sys

from conftest import ROOT, copy_repo, mkdocs_build


def test_scaffolded_snippets_pass_the_tests_and_the_strict_build(tmp_path, built_site):
    repo = copy_repo(tmp_path / "repo")
    # In a folder that has snippets, the new one comes next in reading order.
    cost = f"cost/{len(list((ROOT / 'snippets' / 'cost').glob('[0-9][0-9]_*.py'))) + 1:02d}_x"
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
        f"snippets/{cost}.py",
        "tests/expected/scaffold_check/01_first.txt",
        f"tests/expected/{cost}.txt",
        "docs/scaffold_check/index.md",
        "docs/cost/index.md",
    } <= made
    nav = (repo / "mkdocs.yml").read_text()
    assert nav.count("scaffold_check/index.md") == 1 and "cost/index.md" in nav

    # The copy's own tests, unedited, find the new snippets: shape, page, run, output, lint. Only
    # the new snippets' tests: the others ran in this session already.
    new = ["scaffold_check/01_first.py", "scaffold_check/02_second.py", f"{cost}.py"]
    tests = ["tests/test_snippets.py", "tests/test_docs.py", "tests/test_lint.py"]
    chosen = " or ".join(["scaffold_check", cost.split("/")[1], "test_docs", "test_lint"])
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-k", chosen, *tests],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for snippet in new:
        assert f"test_runs_and_prints_its_expected_lines[snippets/{snippet}] PASSED" in done.stdout
    assert "test_ruff[check] PASSED" in done.stdout

    # The strict build starts from this session's snippet cache, as `make serve` starts from the
    # last build's: only the new snippets run.
    shutil.copytree(built_site / "cache", tmp_path / "cache")
    built = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site", tmp_path / "cache")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "scaffold_check" / "index.html").read_text()
    assert "first: ready" in page and "second: ready" in page
