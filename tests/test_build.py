"""The strict build: it passes, each page shows what its snippets printed in that very build, and a
snippet that raises, hangs or prints markup is handled as the runner promises."""

import dataclasses
import html
import re
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    Call,
    build_command,
    build_env,
    ends,
    mkdocs_build,
    page_html,
    snippet_calls,
)

import runner


@pytest.mark.parametrize("call", snippet_calls(), ids=lambda call: f"{call.page}-{call.snippet}")
def test_page_shows_the_output_of_this_build(built_site, call, monkeypatch):
    assert_page_shows_its_run(built_site, call, monkeypatch)


def assert_page_shows_its_run(build: Path, call: Call, monkeypatch, banner: bool = True):
    """The page in build/site shows the output of each snippet it shows, as that build ran it
    (build/cache), and the environment of every run it quotes: in the page's banner, or beside a
    run whose environment differs from the banner's (a compared interpreter; and every run where
    no hook puts up a banner, as under Zensical). Where no hook runs (`banner=False`), a page that
    only quotes numbers from a run another page shows cannot say where it ran: not checked."""
    monkeypatch.setenv("SNIPPETS_CACHE_DIR", str(build / "cache"))
    shown = page_html(build / "site", call.page)
    banners = re.findall(r'<p class="environment-banner"[^>]*>(.*?)</p>', shown, re.S)
    assert len(banners) <= 1, f"{call.page} has {len(banners)} environment banners"
    pythons = runner.interpreters()[0] if call.function == "compare" else [runner.snippet_python()]
    for python in pythons:
        result = runner.run(call.snippet, python=python, **call.options)
        assert result.cached, f"the build did not run {call.snippet} with {python}"
        if call.shown:
            output = (result.stdout + result.stderr).rstrip("\n")
            assert html.escape(output) in shown, f"{call.page} does not show all of the output"
        # The environment and time of that run; "output cached from that run" may follow it.
        ran = runner.describe(dataclasses.replace(result, cached=False)).removesuffix(".")
        in_banner = banners and html.escape(runner.output.machine(result.environment)) in banners[0]
        if banner or call.shown:
            assert in_banner or html.escape(ran) in shown


def scratch_site(tmp_path: Path, snippet_code: str, call: str = "", then: str = "") -> Path:
    """A one-page site with the project's hook whose page runs one snippet, then the code `then`
    in the same block."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "01_scratch.py").write_text(textwrap.dedent(snippet_code))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Scratch\n\n"
        '```python exec="on" html="1"\n'
        "from runner import run_snippet\n"
        f'print(run_snippet("snippets/01_scratch.py"{call}))\n'
        f"{then}"
        "```\n"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: scratch\n"
        f"hooks: [{ROOT / 'runner' / 'hooks.py'}]\n"
        "markdown_extensions: [pymdownx.superfences]\n"
        "plugins: [markdown-exec]\n"
    )
    return config


def test_a_snippet_that_raises_fails_the_build(tmp_path):
    config = scratch_site(tmp_path, 'print("half way")\nraise RuntimeError("broken on purpose")\n')
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert "page index.md: snippet snippets/01_scratch.py exited with status 1" in done.stderr
    assert "RuntimeError: broken on purpose" in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_snippet_that_hangs_fails_the_build_in_time(tmp_path):
    hang = 600  # seconds the snippet would sleep if nothing stopped it
    config = scratch_site(tmp_path, f"import time\ntime.sleep({hang})\n", call=", timeout=3")
    start = time.monotonic()
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    elapsed = time.monotonic() - start
    assert done.returncode != 0
    assert "page index.md: snippet snippets/01_scratch.py timed out after 3 s" in done.stderr
    # Stopped at its 3 s timeout, not when the sleep ended: this one-page build takes a few
    # seconds, so a fifth of the sleep (120 s) is a margin no busy machine should reach.
    assert elapsed < hang / 5


def test_page_code_that_raises_fails_the_build(tmp_path):
    """Not the runner's error: the page's own code raises. markdown-exec only warns, and the
    strict build must turn that warning into a failure."""
    config = scratch_site(tmp_path, 'print("fine")\n', then="print(1 / 0)\n")
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert "ZeroDivisionError: division by zero" in done.stderr
    assert "Aborted with 1 warnings in strict mode" in done.stdout + done.stderr


def test_markup_in_output_is_shown_as_text(tmp_path):
    config = scratch_site(tmp_path, 'print("<script>alert(1)</script> *not emphasis*")\n')
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    shown = (tmp_path / "site" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *not emphasis*" in shown
    assert "<script>alert(1)" not in shown


def test_a_claim_that_does_not_hold_fails_the_build(tmp_path):
    config = scratch_site(
        tmp_path,
        'print("measured")\n',
        then='from runner import claim\nprint(claim("Two is at least three", 2, at_least=3))\n',
    )
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert (
        "page index.md: claim does not hold in this build: 'Two is at least three': "
        "measured 2; needs at least 3"
    ) in done.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# What a snippet leaves behind: a process in a session of its own, files in the temporary folder,
# memory past the limit. Each case through the real strict build, with a temporary folder of its
# own (TMPDIR), so that the test can see what the build left in it.


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def build_in(tmp_path: Path, config: Path, **env: str):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache", TMPDIR=str(temporary), **env)
    return done, temporary


def test_a_daemon_the_snippet_starts_is_killed_and_fails_the_build(tmp_path):
    """A daemon forks twice and moves to a session of its own: out of the snippet's process
    group, and its parent gone. The runner still finds it, kills it and names it."""
    pid_file = tmp_path / "daemon.pid"
    config = scratch_site(
        tmp_path,
        f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                open({str(pid_file)!r} + ".partial", "w").write(str(os.getpid()))
                os.replace({str(pid_file)!r} + ".partial", {str(pid_file)!r})
                time.sleep(600)
            os._exit(0)
        os.wait()
        while not os.path.exists({str(pid_file)!r}):
            time.sleep(0.01)
        print("the daemon runs")
        """,
    )
    done, temporary = build_in(tmp_path, config)
    daemon = int(pid_file.read_text())
    assert done.returncode != 0
    assert (
        "page index.md: snippet snippets/01_scratch.py left 1 process(es) running after it "
        f"exited (they were killed): pid {daemon}: "
    ) in done.stderr
    assert ends(daemon)
    assert left_in(temporary) == []
    assert not list((tmp_path / "cache").glob("*.json"))


def test_what_a_snippet_writes_to_its_temporary_folder_is_removed(tmp_path):
    """The scaling page's dask left `dask-scratch-space` in the system's temporary folder: each
    run now has a folder of its own, removed after it."""
    config = scratch_site(
        tmp_path,
        """
        import pathlib, tempfile
        scratch = pathlib.Path(tempfile.gettempdir()) / "dask-scratch-space"
        scratch.mkdir()
        (scratch / "worker-1").write_text("spilled")
        print("left", scratch.name, "in the temporary folder")
        """,
    )
    done, temporary = build_in(tmp_path, config)
    assert done.returncode == 0, done.stderr
    shown = (tmp_path / "site" / "index.html").read_text()
    assert "left dask-scratch-space in the temporary folder" in shown
    assert left_in(temporary) == []


def test_a_snippet_past_the_memory_limit_is_killed_and_fails_the_build(tmp_path):
    """With a 100 MiB limit, a snippet that would take 2 GiB, 50 MiB at a time, is killed on the
    way (were it not, it would end, print and pass)."""
    config = scratch_site(
        tmp_path,
        """
        import time
        blocks = []
        for _ in range(40):
            blocks.append(b"x" * (50 * 2**20))  # written, so resident
            time.sleep(0.1)
        print("took 2 GiB")
        """,
    )
    start = time.monotonic()
    done, temporary = build_in(tmp_path, config, SNIPPET_MEMORY_LIMIT_MIB="100")
    assert done.returncode != 0
    assert re.search(
        r"page index\.md: snippet snippets/01_scratch\.py held [\d,]+ MiB of resident memory, "
        r"past the runner's limit \(SNIPPET_MEMORY_LIMIT_MIB, 100 MiB\): its processes were killed",
        done.stderr,
    ), done.stderr
    assert "took 2 GiB" not in done.stderr
    assert time.monotonic() - start < 120  # killed on the way, not at the 120 s timeout
    assert left_in(temporary) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_a_build_stopped_by_a_signal_takes_its_running_snippet_with_it(tmp_path, signum):
    """A cancelled CI job (SIGTERM), a closed terminal (SIGHUP) or SIGKILL stops the build while
    a snippet and its child run: neither outlives it, nothing is cached or left in the temporary
    folder, and the next build runs the snippet again."""
    started = tmp_path / "started"  # a line per start: "<pid> <child's pid>"
    config = scratch_site(
        tmp_path,
        f"""
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        with open({str(started)!r}, "a") as log:
            log.write(f"{{os.getpid()}} {{child.pid}}\\n")
        if os.environ.get("HANG"):
            time.sleep(600)
        child.kill()
        child.wait()
        print("ran to the end")
        """,
    )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = build_env(tmp_path / "cache", TMPDIR=str(temporary), HANG="1")
    command = build_command(config, tmp_path / "site")
    build = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the snippet never started"
        build.send_signal(signum)
        assert build.wait(timeout=60) == -signum  # the usual status: killed by that signal
    finally:
        build.kill()
        build.wait()
    snippet, child = map(int, started.read_text().split())
    assert ends(snippet, within=10) and ends(child, within=10)
    # SIGKILL leaves the guard to remove the run's folder: give it a moment.
    deadline = time.monotonic() + 10
    while left_in(temporary) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left_in(temporary) == []
    assert not list((tmp_path / "cache").glob("*.json"))
    del env["HANG"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert len(started.read_text().splitlines()) == 2  # it ran again, not from a cache


def test_a_build_says_what_it_runs_and_quiet_silences_it(tmp_path):
    """A first `mkdocs build` runs every snippet before it writes a page: it says how many it
    must run, each one as it ends ("n of N", under which interpreter, how long), and what the
    runs took last time; `-q` leaves only warnings. (`mkdocs serve`: tests/test_serve.py.)"""
    config = scratch_site(
        tmp_path, 'print("one")\n', then='print(run_snippet("snippets/02_two.py"))\n'
    )
    (tmp_path / "snippets" / "02_two.py").write_text('print("two")\n')
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    log = done.stderr
    assert "Snippets: 2 to run (none ran here before), 0 from the cache" in log
    for n, snippet in enumerate(["01_scratch.py", "02_two.py"], start=1):
        assert re.search(
            rf"Snippet {n} of 2: snippets/{snippet} \(CPython [\d.]+t?\): [\d.]+ s", log
        )
    (tmp_path / "snippets" / "02_two.py").write_text('print("two, edited")\n')
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert "Snippets: 1 to run (it took 0 s last time), 1 from the cache" in done.stderr
    assert re.search(
        r"Snippet 1 of 1: snippets/02_two.py \(CPython [\d.]+t?\): [\d.]+ s", done.stderr
    )
    (tmp_path / "snippets" / "02_two.py").write_text('print("two, edited again")\n')
    quiet = mkdocs_build(config, tmp_path / "site", tmp_path / "cache", quiet=True)
    assert quiet.returncode == 0, quiet.stderr
    assert "Snippet" not in quiet.stdout + quiet.stderr


def test_page_code_that_does_not_parse_fails_the_build_on_its_page(tmp_path):
    """The build counts the pages' runs in advance by parsing their code: a block that does not
    parse must still fail on its page, with Python's message, not in that count."""
    config = scratch_site(tmp_path, 'print("fine")\n', then="print(\n")
    done = mkdocs_build(config, tmp_path / "site", tmp_path / "cache")
    assert done.returncode != 0
    assert "SyntaxError" in done.stderr and "plan.py" not in done.stderr
    assert "Snippets: not counted in advance" in done.stderr
