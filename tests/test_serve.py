"""A first `mkdocs serve` (issue 16): the pages are served before their snippets have run; each page
says so until its runs are done, then shows them; a failure names the page and the snippet; Ctrl-C
ends serve at once, with its running snippet, and keeps what ran for the next serve."""

import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT, alive, build_env, ends

import runner.plan

RUNNING = "This page's scripts are running"

# Runs until the file named by its argument exists: the test says when it ends. It writes its pid
# first, so that the test can see it die.
WAITS = """\
import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    go = Path(sys.argv[1])
    Path(f"{go}.pid").write_text(str(os.getpid()))
    while not go.exists():
        time.sleep(0.05)
    print("the slow one ended")
"""


def two_page_site(tmp_path: Path, fast: str = 'print("the fast one ran")\n') -> Path:
    """Home runs a fast snippet; the second page runs one that waits for `tmp_path/go`."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "01_fast.py").write_text(fast)
    (tmp_path / "snippets" / "02_waits.py").write_text(WAITS)
    (tmp_path / "docs").mkdir()
    block = (
        '```python exec="on" html="1"\nfrom runner import run_snippet\n'
        "print(run_snippet({}))\n```\n"
    )
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\nProse before.\n\n" + block.format('"snippets/01_fast.py"')
    )
    go = str(tmp_path / "go")
    (tmp_path / "docs" / "slow.md").write_text(
        "# Slow\n\nThe prose is readable at once.\n\n"
        + block.format(f'"snippets/02_waits.py", args=[{go!r}], timeout=120')
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: scratch\nstrict: true\nnav: [index.md, slow.md]\n"
        f"hooks: [{ROOT / 'runner' / 'hooks.py'}]\n"
        "markdown_extensions: [admonition, pymdownx.superfences]\n"
        "plugins: [markdown-exec]\n"
    )
    return config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(config: Path, cache: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(config),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=config.parent,
        env=build_env(cache),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}/"


def fetched(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition, what: str, log: Path, within: float = 120.0):
    """Poll `condition` until it returns something true; fail with serve's log after `within`."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {within:.0f} s. serve's log:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_answers_before_the_snippets_run_and_shows_each_page_when_its_runs_are_done(
    tmp_path,
):
    config = two_page_site(tmp_path)
    log = tmp_path / "serve.log"
    process, url = start_serve(config, tmp_path / "cache", log)
    try:
        slow = wait_for(lambda: fetched(url + "slow/"), "the slow page served", log)
        # Served while its snippet cannot have ended (it waits for `go`): the prose and a note.
        assert not (tmp_path / "go").exists()
        assert RUNNING in slow and "The prose is readable at once." in slow
        assert "the slow one ended" not in slow
        # The fast page's run ends, serve rebuilds, and the home page shows its output while the
        # slow snippet still runs.
        wait_for(lambda: "the fast one ran" in (fetched(url) or ""), "the home page's output", log)
        home = fetched(url)
        assert RUNNING not in home
        wait_for(Path(f"{tmp_path / 'go'}.pid").exists, "the slow snippet started", log)
        assert RUNNING in fetched(url + "slow/")
        (tmp_path / "go").touch()
        wait_for(
            lambda: "the slow one ended" in (fetched(url + "slow/") or ""), "the slow output", log
        )
        assert RUNNING not in fetched(url + "slow/")
    finally:
        stop(process)
    text = log.read_text()
    assert "Snippets: 2 to run in the background (none ran here before)" in text
    assert "Snippet 1 of 2: snippets/01_fast.py" in text
    assert "Snippet 2 of 2: snippets/02_waits.py" in text
    assert text.index("Serving on") < text.index("Snippet 1 of 2")
    # A second serve takes both runs from the cache, and runs nothing.
    process, url = start_serve(config, tmp_path / "cache", log)
    try:
        wait_for(lambda: "the slow one ended" in (fetched(url + "slow/") or ""), "served", log)
    finally:
        stop(process)
    assert "Snippets: all 2 runs from the cache" in log.read_text()
    assert "Snippet 1" not in log.read_text()


def test_ctrl_c_ends_serve_at_once_with_its_snippet_and_the_next_serve_resumes(tmp_path):
    config = two_page_site(tmp_path)
    log = tmp_path / "serve.log"
    cache = tmp_path / "cache"
    pid_file = Path(f"{tmp_path / 'go'}.pid")
    process, url = start_serve(config, cache, log)
    try:
        wait_for(pid_file.exists, "the slow snippet started", log)
        snippet = int(pid_file.read_text())
        assert alive(snippet)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        assert time.monotonic() - started < 10, "serve took long to stop"
        assert ends(snippet), "the snippet outlived serve"
    finally:
        stop(process)
    # The fast run was cached; the next serve runs only the slow one.
    pid_file.unlink()
    log2 = tmp_path / "serve2.log"
    process, url = start_serve(config, cache, log2)
    try:
        wait_for(pid_file.exists, "the slow snippet started again", log2)
        assert "the fast one ran" in fetched(url)
    finally:
        stop(process)
    assert "Snippets: 1 to run in the background" in log2.read_text()


def test_a_snippet_that_fails_in_the_background_fails_the_rebuild_naming_it(tmp_path):
    config = two_page_site(tmp_path, fast='raise RuntimeError("broken on purpose")\n')
    log = tmp_path / "serve.log"
    process, url = start_serve(config, tmp_path / "cache", log)
    try:
        wait_for(
            lambda: (
                "page index.md: snippet snippets/01_fast.py exited with status 1" in log.read_text()
            ),
            "the failure in the log",
            log,
        )
        assert "RuntimeError: broken on purpose" in log.read_text()
        assert "broken on purpose" not in (fetched(url) or "")  # the page is not published so
    finally:
        (tmp_path / "go").touch()
        stop(process)


def test_a_page_waiting_for_its_runs_keeps_its_prose_and_quoted_examples():
    page = textwrap.dedent(
        """\
        # Title

        Prose.

        ```python exec="on"
        print("runs")
        ```

        ````markdown
        ```python exec="on"
        print("shown, not run")
        ```
        ````
        """
    )
    assert runner.plan.without_runs(page, "WAIT\n") == page.replace(
        '```python exec="on"\nprint("runs")\n```', "WAIT\n", 1
    )
