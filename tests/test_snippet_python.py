"""`SNIPPET_PYTHON`: one setting runs every snippet of the build under another interpreter, while
MkDocs keeps running under the project's own. Its outputs, the environment banner and the cache
key follow it; an interpreter that is missing, or lacks the snippets' libraries, stops the build
with one message before any snippet runs."""

import sys
from pathlib import Path

import pytest
from conftest import mkdocs_build, python_wrapper
from test_build import scratch_site

import runner
from runner import probe

SAYS_WHO = 'import os\nprint("run by", os.environ.get("WRAPPED", "the build\'s own Python"))\n'


def interpreter(tmp_path: Path, name: str, options: str = "") -> str:
    """Another interpreter: the build's own, marking what it runs (WRAPPED), given `options`,
    and allowed one CPU, so that its banner differs."""
    return python_wrapper(
        tmp_path / name, setup=f"export WRAPPED={name}", prefix="taskset -c 0", options=options
    )


def test_outputs_banner_and_cache_key_follow_the_setting(tmp_path, monkeypatch):
    snippet = tmp_path / "who.py"
    snippet.write_text(SAYS_WHO)
    own = runner.run(str(snippet))
    other = interpreter(tmp_path, "other-python")
    monkeypatch.setenv("SNIPPET_PYTHON", other)
    monkeypatch.delenv("SNIPPET_PYTHONS", raising=False)  # the hosted workflows set it
    assert runner.snippet_python() == other
    assert runner.interpreters() == ([other], [])  # the comparison pages follow it too
    result = runner.run(str(snippet))
    assert not result.cached, "a run under another interpreter must not come from the cache"
    assert (own.stdout, result.stdout) == (
        "run by the build's own Python\n",
        "run by other-python\n",
    )
    assert result.environment == runner.environment(other)
    assert result.environment["cpus"] == 1 and "1 usable CPU," in runner.describe(result)
    runner.begin_build()
    assert runner.run(str(snippet)).cached  # its own cache entry, found again
    monkeypatch.delenv("SNIPPET_PYTHON")
    runner.begin_build()
    assert runner.run(str(snippet)).stdout == own.stdout


def test_a_missing_snippet_python_stops_the_build(tmp_path):
    config = scratch_site(tmp_path, SAYS_WHO)
    done = mkdocs_build(
        config, tmp_path / "site", tmp_path / "cache", SNIPPET_PYTHON="no-such-python3"
    )
    assert done.returncode != 0
    assert "SNIPPET_PYTHON=no-such-python3: no such interpreter" in done.stderr


def test_an_interpreter_without_the_libraries_is_one_message_before_anything_runs(tmp_path):
    ran = tmp_path / "ran"
    config = scratch_site(tmp_path, f"open({str(ran)!r}, 'w').close()\n")
    # -S: no site-packages, so none of the project's libraries, as in a bare new interpreter.
    bare = interpreter(tmp_path, "bare-python", "-S")
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache", SNIPPET_PYTHON=bare)
    assert done.returncode != 0
    assert f"interpreter {bare} cannot import dask, greenlet, joblib" in done.stderr
    assert f"{bare} -m pip install 'dask[distributed]>=2025.1'" in done.stderr
    assert done.stderr.count("cannot import") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not ran.exists(), "no snippet may run under an interpreter that lacks the libraries"


def test_a_compared_interpreter_that_is_missing_fails_only_where_ci_is_set(monkeypatch):
    monkeypatch.setenv("SNIPPET_PYTHONS", f"{sys.executable} no-such-python3")
    monkeypatch.delenv("CI", raising=False)
    runner.check_interpreters()  # locally the page names it (test_measure)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(runner.SnippetError, match=r"\['no-such-python3'\] in SNIPPET_PYTHONS"):
        runner.check_interpreters()


def test_an_interpreter_that_has_every_library_is_asked_once_per_set_of_packages(monkeypatch):
    """Importing the snippets' libraries takes seconds: a warm build does not do it again."""
    asked = []
    ask = probe._ask

    def counted(python, code, *args):
        asked.extend([args] if code == probe._IMPORTS else [])
        return ask(python, code, *args)

    monkeypatch.setattr(probe, "_ask", counted)
    for packages in (None, None, ["a-new-library==1.0"]):
        if packages:
            monkeypatch.setattr(probe, "installed_packages", lambda _, found=packages: found)
        probe.missing_libraries.cache_clear()
        assert probe.missing_libraries(sys.executable) == ""
    assert len(asked) == 2, "asked again with nothing installed, or not after an install"
    probe.missing_libraries.cache_clear()
