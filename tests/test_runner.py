"""The runner's behaviour, one test each: failures, timeouts, escaping, cutting, the cache."""

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import conftest
import pytest
from conftest import alive, ends

import runner


def snippet(tmp_path: Path, body: str, name: str = "snippet.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(path)


def python_wrapper(tmp_path: Path, pythonpath: Path | None = None) -> str:
    """Another interpreter, with `pythonpath` on its sys.path if given (where a test can
    "install" a library)."""
    setting = f"export PYTHONPATH={shlex.quote(str(pythonpath))}" if pythonpath else ""
    return conftest.python_wrapper(tmp_path / "python-wrapper", setup=setting)


def cache_entries() -> list[Path]:
    return sorted(Path(os.environ["SNIPPETS_CACHE_DIR"]).glob("*.json"))


def test_failure_names_page_snippet_status_and_output(tmp_path):
    path = snippet(tmp_path, 'print("before the error")\nraise ValueError("boom")\n')
    runner.begin_page("topic/page.md")
    with pytest.raises(runner.SnippetError) as error:
        runner.run_snippet(path)
    message = str(error.value)
    assert "page topic/page.md" in message
    assert path in message
    assert "exited with status 1" in message
    assert "before the error" in message and "ValueError: boom" in message
    assert runner.page_failures() == [message]


def test_missing_snippet_fails():
    with pytest.raises(runner.SnippetError, match="no such file"):
        runner.run("snippets/nowhere/01_missing.py")


def test_output_on_stderr_fails(tmp_path):
    path = snippet(tmp_path, 'import warnings\nwarnings.warn("careful")\nprint("done")\n')
    with pytest.raises(runner.SnippetError, match="wrote to stderr"):
        runner.run(path)


def test_expected_failure_shows_its_error_and_fails_when_it_succeeds(tmp_path):
    failing = snippet(tmp_path, 'raise TypeError("cannot pickle")\n', "failing.py")
    shown = runner.run_snippet(failing, expect_failure=True)
    assert "TypeError: cannot pickle" in shown
    working = snippet(tmp_path, 'print("fine")\n', "working.py")
    with pytest.raises(runner.SnippetError, match="meant to fail"):
        runner.run(working, expect_failure=True)


def snippet_with_a_child(tmp_path: Path, then: str) -> tuple[str, Path]:
    """A snippet that starts a long-lived child, writes its pid to a file, then runs `then`."""
    pid_file = tmp_path / "child.pid"
    body = f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        print("started")
        {then}
        """
    return snippet(tmp_path, body), pid_file


def test_timeout_kills_the_whole_process_group(tmp_path):
    path, pid_file = snippet_with_a_child(tmp_path, then="time.sleep(600)")
    start = time.monotonic()
    with pytest.raises(runner.SnippetError, match="timed out after 2 s") as error:
        runner.run(path, timeout=2)
    assert time.monotonic() - start < 60
    assert "started" in str(error.value)
    assert ends(int(pid_file.read_text()))


def test_processes_left_behind_fail_and_are_killed(tmp_path):
    path, pid_file = snippet_with_a_child(tmp_path, then="pass")
    with pytest.raises(runner.SnippetError, match="left 1 process"):
        runner.run(path)
    assert ends(int(pid_file.read_text()))


def test_a_process_of_the_build_orphaned_while_a_snippet_runs_is_not_taken_for_its(tmp_path):
    """While a snippet runs, the build adopts orphans; one that descended from the build before
    (a browser's process, in the tests) is not the snippet's, and is left alone."""
    go, grandchild_file = tmp_path / "go", tmp_path / "grandchild.pid"
    # A child of the build, whose own child outlives it: it exits once the snippet says "go".
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, subprocess, sys, time\n"
            "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
            f"open({str(grandchild_file)!r}, 'w').write(str(g.pid))\n"
            f"while not os.path.exists({str(go)!r}): time.sleep(0.01)\n",
        ]
    )
    deadline = time.monotonic() + 30
    while not grandchild_file.exists() or not grandchild_file.read_text():
        assert time.monotonic() < deadline, "the grandchild never started"
        time.sleep(0.05)
    grandchild = int(grandchild_file.read_text())
    path = snippet(
        tmp_path,
        f"""
        import pathlib, time
        pathlib.Path({str(go)!r}).touch()
        stat = pathlib.Path("/proc/{child.pid}/stat")
        while stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":
            time.sleep(0.01)  # until the build's child has exited, orphaning its own
        print("done")
        """,
    )
    try:
        assert "done" in runner.run(path).stdout
        assert alive(grandchild)
    finally:
        child.wait()
        os.kill(grandchild, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(grandchild, 0)  # adopted by this process while the snippet ran


def test_output_is_escaped_text(tmp_path):
    path = snippet(
        tmp_path,
        r"""
        import sys
        print("<script>alert(1)</script> **not bold** <b>&amp;</b>")
        sys.stdout.flush()
        sys.stdout.buffer.write(b"bad bytes: \xff\xfe\n")
        """,
    )
    shown = runner.run_snippet(path)
    assert "<script>" not in shown and "<b>" not in shown
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; **not bold** &lt;b&gt;&amp;amp;&lt;/b&gt;" in shown
    )
    assert "bad bytes: \ufffd\ufffd" in shown


def test_large_output_is_cut_with_a_note(tmp_path):
    path = snippet(tmp_path, "for i in range(1000):\n    print(f'line {i}')\n")
    shown = runner.run_snippet(path)
    assert f"line {runner.MAX_LINES - 1}\n" in shown
    assert f"line {runner.MAX_LINES}\n" not in shown
    assert f"output cut here: {1000 - runner.MAX_LINES} more lines" in shown


def test_environment_is_shown_beside_the_output(tmp_path):
    shown = runner.run_snippet(snippet(tmp_path, 'print("hello")\n'))
    env = runner.environment(os.sys.executable)
    assert f"Ran with {env['implementation']} {env['version']}" in shown
    assert f"start method {env['start_method']}" in shown
    assert "usable CPU" in shown and "GIL" in shown


def counting_snippet(tmp_path: Path) -> tuple[str, Path]:
    """A snippet that counts its own runs in a file, so a test can tell a run from a cache hit."""
    counter = tmp_path / "runs"
    path = snippet(tmp_path, f'open({str(counter)!r}, "a").write("x")\nprint("counted")\n')
    return path, counter


def test_cache_hit_does_not_run_again(tmp_path):
    path, counter = counting_snippet(tmp_path)
    first = runner.run(path)
    runner.begin_build()
    second = runner.run(path)
    assert counter.read_text() == "x"
    assert not first.cached and second.cached
    assert second.stdout == first.stdout and second.ran_at == first.ran_at
    assert "output cached from that run" in runner.render(second)


def test_editing_the_snippet_runs_it_again(tmp_path):
    path, counter = counting_snippet(tmp_path)
    runner.run(path)
    Path(path).write_text(Path(path).read_text() + 'print("edited")\n')
    result = runner.run(path)
    assert counter.read_text() == "xx"
    assert not result.cached and "edited" in result.stdout


def test_each_part_of_the_cache_key_changes_the_entry(tmp_path):
    """The source is covered above, the packages below; here the rest of what a run depends on."""
    path = Path(snippet(tmp_path, 'print("hello")\n'))
    python = sys.executable
    env = runner.environment(python)
    key = runner.cache.key(path, [], False, python, env)
    assert runner.cache.key(path, [], False, python, env) == key
    changed = {
        "interpreter": runner.cache.key(path, [], False, python_wrapper(tmp_path), env),
        "arguments": runner.cache.key(path, ["--fast"], False, python, env),
        "expect_failure": runner.cache.key(path, [], True, python, env),
        "environment": runner.cache.key(path, [], False, python, {**env, "cpus": 0}),
    }
    assert [part for part, other in changed.items() if other == key] == []


def test_a_library_installed_in_the_interpreter_runs_its_snippets_again(tmp_path):
    """The packages in the key are those of the interpreter that runs the snippet, which may not
    be the build's own (`SNIPPET_PYTHONS`): here a library goes into that interpreter only."""
    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    python = python_wrapper(tmp_path, pythonpath=site_packages)
    path, counter = counting_snippet(tmp_path)

    def next_build() -> runner.Result:
        runner.begin_build()
        runner.probe.installed_packages.cache_clear()  # a new build is a new process
        return runner.run(path, python=python)

    next_build()
    assert next_build().cached
    installed = site_packages / "fakelib-1.0.dist-info"
    installed.mkdir()
    (installed / "METADATA").write_text("Metadata-Version: 2.1\nName: fakelib\nVersion: 1.0\n")
    assert not next_build().cached
    assert counter.read_text() == "xx"


def test_a_failed_run_is_not_cached(tmp_path):
    counter = tmp_path / "runs"
    path = snippet(tmp_path, f'open({str(counter)!r}, "a").write("x")\nraise SystemExit(3)\n')
    for _ in range(2):
        runner.begin_build()
        with pytest.raises(runner.SnippetError, match="exited with status 3"):
            runner.run(path)
    assert counter.read_text() == "xx"
    assert cache_entries() == []


@pytest.mark.parametrize(
    "change",
    [
        {"returncode": 1},
        {"stderr": "UserWarning: careful\n"},
        {"timed_out": True},
        {"left_behind": ["pid 1: python -c pass"]},
        {"over_memory": 5 * 2**30},
        {"data": {"measurements": "none"}},
    ],
    ids=lambda change: next(iter(change)),
)
def test_a_cache_entry_is_checked_as_a_fresh_run_is(tmp_path, change):
    """An entry that a fresh run's checks would reject (an older runner wrote it, or someone
    edited it) is not shown: the snippet runs again."""
    path, counter = counting_snippet(tmp_path)
    runner.run(path)
    [entry] = cache_entries()
    entry.write_text(json.dumps({**json.loads(entry.read_text()), **change}))
    runner.begin_build()
    assert not runner.run(path).cached
    assert counter.read_text() == "xx"


def test_an_expected_failure_is_cached(tmp_path):
    """The cache checks an entry with the page's own `expect_failure`."""
    path = snippet(tmp_path, 'raise TypeError("cannot pickle")\n')
    runner.run(path, expect_failure=True)
    runner.begin_build()
    assert runner.run(path, expect_failure=True).cached


def test_corrupt_cache_entry_runs_again(tmp_path):
    path, counter = counting_snippet(tmp_path)
    runner.run(path)
    entries = cache_entries()
    assert len(entries) == 1
    for garbage in ('{"snippet": "half a', "[]", '{"unexpected": 1}'):
        entries[0].write_text(garbage)
        runner.begin_build()
        assert not runner.run(path).cached
    assert counter.read_text() == "xxxx"


def test_fresh_switch_ignores_the_cache(tmp_path, monkeypatch):
    path, counter = counting_snippet(tmp_path)
    runner.run(path)
    monkeypatch.setenv("SNIPPETS_FRESH", "1")
    runner.begin_build()
    assert not runner.run(path).cached
    assert counter.read_text() == "xx"


def test_two_pages_quoting_one_snippet_show_one_run_even_when_fresh(tmp_path, monkeypatch):
    path, counter = counting_snippet(tmp_path)
    monkeypatch.setenv("SNIPPETS_FRESH", "1")
    first, second = runner.run(path), runner.run(path)
    assert counter.read_text() == "x" and second is first


def test_snippets_never_run_at_the_same_time(tmp_path):
    log = tmp_path / "log"
    paths = [
        snippet(
            tmp_path,
            f"""
            import time
            open({str(log)!r}, "a").write(f"start {{time.time()}}\\n")
            time.sleep(0.5)
            open({str(log)!r}, "a").write(f"end {{time.time()}}\\n")
            """,
            f"s{i}.py",
        )
        for i in range(2)
    ]
    threads = [threading.Thread(target=runner.run, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = [line.split()[0] for line in log.read_text().splitlines()]
    assert events == ["start", "end", "start", "end"]


def test_interrupting_the_build_kills_the_running_snippet(tmp_path):
    pid_file = tmp_path / "snippet.pid"
    path = snippet(
        tmp_path,
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(600)\n",
    )
    # A terminal's Ctrl-C: SIGINT handled as Python does by default. A shell that starts this
    # suite in the background makes its children ignore SIGINT; undo that for the "build".
    build = subprocess.Popen(
        [sys.executable, "-c", f"import runner; runner.run({path!r})"],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the snippet never started"
        time.sleep(0.05)
    build.send_signal(signal.SIGINT)  # what Ctrl-C in `mkdocs serve` sends
    build.wait(timeout=30)
    assert ends(int(pid_file.read_text()))


SECTIONED = '''\
"""A snippet with an excerpt."""


def main():
    for n in range(2):
        # --8<-- [start:loop]
        if n:
            print("odd", n)
        # --8<-- [end:loop]


if __name__ == "__main__":
    main()
'''


def test_an_example_shows_its_excerpt_dedented_the_whole_script_folded_and_its_run(tmp_path):
    path = snippet(tmp_path, SECTIONED)
    shown = runner.example(path, "loop")
    excerpt, rest = shown.split(f'??? example "The whole script: `{path}`"')
    assert '```python\nif n:\n    print("odd", n)\n```' in excerpt  # dedented, no markers
    assert "--8<--" not in shown
    assert "data-search-exclude" in excerpt  # the fold is outside the search index
    assert f'    ```python title="{path}"\n    """A snippet with an excerpt."""' in rest
    assert '<div class="snippet-run' in rest and "odd 1" in rest


class CountingMarkdown:
    """The site's Markdown converter, counting its conversions."""

    def __init__(self, real):
        self.real, self.conversions = real, 0

    def reset(self):
        self.real.reset()
        return self

    def convert(self, text: str) -> str:
        self.conversions += 1
        return self.real.convert(text)


def test_with_the_hook_code_is_converted_once_and_put_in_the_page_early_or_late(
    tmp_path, monkeypatch
):
    """An excerpt goes in before the search index reads the page (early), the whole script after
    (late); each is converted once, and again only when its entry is cut short or the code
    changes."""
    monkeypatch.setattr(runner.pages, "_markdown", [])
    monkeypatch.setattr(runner.pages, "_early", {})
    monkeypatch.setattr(runner.pages, "_late", {})
    extensions = ["admonition", "md_in_html", "pymdownx.details", "pymdownx.superfences"]
    runner.use_markdown(extensions, {})
    counting = runner.pages._markdown[1] = CountingMarkdown(runner.pages._markdown[1])
    path = snippet(tmp_path, SECTIONED)

    def shown_code() -> tuple[str, str]:
        runner.begin_build()
        shown = runner.example(path, "loop")
        assert "```" not in shown and "??? example" not in shown  # converted, left to the hook
        content = runner.with_early_html(f"<p>before</p>\n{shown}\n<p>after</p>")
        assert "data-early=" not in content and "data-late=" in content
        [excerpt] = re.findall(r'<div class="highlight">.*?</div>', content, re.S)
        page = runner.with_late_html(content)
        assert "data-late=" not in page
        [fold] = re.findall(r"<details class=\"example\">.*?</details>", page, re.S)
        assert f"The whole script: <code>{path}</code>" in fold
        return excerpt, fold

    excerpt, fold = shown_code()
    assert '<span class="s2">"odd"</span>' in excerpt and '"odd"' in fold
    assert "A snippet with an excerpt" not in excerpt and counting.conversions == 2
    assert shown_code() == (excerpt, fold) and counting.conversions == 2, "converted again"
    entries = (Path(runner.cache.directory()) / "html").glob("*.html")
    [whole] = [entry for entry in entries if 'class="filename"' in entry.read_text()]
    whole.write_text(whole.read_text()[:100])  # cut short, as by a crash
    assert shown_code() == (excerpt, fold) and counting.conversions == 3
    Path(path).write_text(SECTIONED.replace('"odd"', '"uneven"'))
    assert all('"uneven"' in part for part in shown_code()) and counting.conversions == 5


def test_an_example_names_a_missing_section_and_wants_excerpts_of_a_long_script(tmp_path):
    path = snippet(tmp_path, SECTIONED)
    runner.begin_page("topic/page.md")
    with pytest.raises(runner.SnippetError, match=f"snippet {path} has no section 'lopp'"):
        runner.example(path, "lopp")
    long = snippet(tmp_path, "print(1)\n" * 50, name="long.py")
    with pytest.raises(runner.SnippetError, match="50 lines: show excerpts of it"):
        runner.example(long)
    assert len(runner.page_failures()) == 2


def test_a_long_output_shows_its_first_lines_and_folds_the_whole(tmp_path):
    path = snippet(tmp_path, "for i in range(30):\n    print(f'line {i}')\n")
    shown = runner.run_snippet(path)
    preview, folded = shown.split('<details class="snippet-more" data-search-exclude>')
    assert f"line {runner.output.PREVIEW_LINES - 1}\n" in preview
    assert f"line {runner.output.PREVIEW_LINES}\n" not in preview
    assert "<summary>Full output, 30 lines</summary>" in folded
    assert "\n".join(f"line {i}" for i in range(30)) in folded


def test_the_banner_says_once_where_the_pages_runs_ran(tmp_path):
    from runner.hooks import with_banner

    runner.begin_page("topic/page.md")
    shown = runner.run_snippet(snippet(tmp_path, 'print("hello")\n'))
    banner = runner.banner()
    env = runner.environment(sys.executable)
    assert f"{env['implementation']} {env['version']}" in banner and "usable CPU" in banner
    page = with_banner(f"<h1>Title</h1>\n<p>Text</p>\n{shown}", banner)
    assert page.startswith(f"<h1>Title</h1>\n{banner}\n<p>Text</p>")
    assert "snippet-env" not in page  # the run's own line says what the banner says
    runner.begin_page("topic/other.md")
    assert runner.banner() == ""  # a page that ran nothing has no banner


def test_a_summary_asks_and_answers_with_the_question_escaped():
    shown = runner.summary("Is <b> safe?", "Yes: <em>12 µs</em>.")
    assert 'class="admonition abstract page-summary"' in shown
    assert "<strong>Is &lt;b&gt; safe?</strong> Yes: <em>12 µs</em>." in shown


def test_the_banner_goes_under_the_pages_answer(tmp_path):
    from runner.hooks import with_banner

    summary = runner.summary("Why?", "Because.")
    page = with_banner(f"<h1>T</h1>\n{summary}<p>Text</p>", "<p>BANNER</p>\n")
    assert page == f"<h1>T</h1>\n{summary.rstrip()}\n<p>BANNER</p>\n\n<p>Text</p>"


def test_code_spans_the_theme_does_not_style_are_dropped():
    from runner.hooks import without_plain_spans

    code = '<span class="n">x</span><span class="w"> </span><span class="o">=</span>'
    code += '<span class="nf">f</span>'
    assert without_plain_spans(code) == 'x <span class="o">=</span><span class="nf">f</span>'


def test_the_theme_gives_names_the_codes_own_colour_and_spaces_no_style():
    """What makes dropping those spans safe: if a Material update styles them, this fails."""
    import material

    css = "".join(
        path.read_text(encoding="utf-8")
        for path in (Path(material.__file__).parent / "templates/assets/stylesheets").glob("*.css")
    )
    names = set(re.findall(r"--md-code-hl-name-color:([^;}]+)", css))
    assert names == {"var(--md-code-fg-color)"}
    assert not re.search(r"\.highlight \.w\b", css)


def test_a_long_run_says_it_is_still_running(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(runner.process, "ALIVE_EVERY", 0.2)
    path = tmp_path / "slow.py"
    path.write_text("import time\ntime.sleep(0.7)\nprint('done')\n")
    with caplog.at_level("INFO", logger="mkdocs.runner"):
        runner.run(str(path))
    lines = [r.getMessage() for r in caplog.records if "still running" in r.getMessage()]
    assert len(lines) >= 2, lines
    assert re.fullmatch(
        rf"Snippet \d+ of \d+: {re.escape(str(path))} \(CPython .*\): still "
        r"running after 0 s",
        lines[0],
    ), lines
