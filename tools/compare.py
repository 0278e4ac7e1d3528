"""Run it on your machine: the site's headline measurements, run under your interpreter and
printed beside a reference run (the published build's, or another machine's), with both
environments.

    python tools/compare.py [--python PYTHON] [--reference FOLDER_OR_URL] [--out FOLDER]
    make compare SNIPPET_PYTHON=python3.14

Each snippet runs as the build runs it (the runner: alone, with a timeout, its processes
reaped), and its runs are written as the build publishes them: one JSON file per run, an
`index.json` and the schema, in `--out` (by default `.cache/compare/<date>-<machine>-<python>`;
name the machine with `--machine`). A folder kept in `reference/` is a reference run.
Runs already in the snippet cache for this machine and interpreter are reused, as a build would;
set SNIPPETS_FRESH=1 to run every one again.

The reference is a folder written by this command (the repository ships some in `reference/`;
the newest is the default), a built site's `site/data/runs`, or the URL of a published site's
`data/runs/` (read only when given: nothing here needs the network).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner import Measured, Result, SnippetError, run  # noqa: E402
from runner.data import read, write  # noqa: E402
from runner.numbers import heading  # noqa: E402

REFERENCES = ROOT / "reference"
HEADLINES = [
    # (snippet, measurement, what a reader compares)
    ("snippets/cost/02_start_cost.py", "thread", "start + join a thread"),
    ("snippets/cost/02_start_cost.py", "process (fork)", "start + join a process (fork)"),
    (
        "snippets/cost/02_start_cost.py",
        "process (forkserver)",
        "start + join a process (forkserver)",
    ),
    ("snippets/cost/02_start_cost.py", "process (spawn)", "start + join a process (spawn)"),
    ("snippets/asyncio/06_many_tasks.py", "time/task", "an asyncio task, each"),
    ("snippets/asyncio/06_many_tasks.py", "memory/task", "an asyncio task's memory"),
    ("snippets/locks/06_cost.py", "uncontended", "acquire + release a Lock"),
    ("snippets/gil/02_cpu_bound.py", "speed-up/threads/2", "speed-up, 2 threads, pure Python"),
    ("snippets/gil/02_cpu_bound.py", "speed-up/processes/2", "speed-up, 2 processes, same work"),
    ("snippets/processes/03_data_cost.py", "process/1048576", "1 MiB to a process and back"),
    ("snippets/free-threading/03_single_thread.py", "arithmetic", "single thread: arithmetic"),
    ("snippets/choosing/01_every_model.py", "CPU-bound, long/serial/wall", "long job, serial"),
    (
        "snippets/choosing/01_every_model.py",
        "CPU-bound, long/ProcessPoolExecutor/wall",
        "long job, process pool",
    ),
    ("snippets/choosing/01_every_model.py", "I/O-bound/asyncio/wall", "32 waits, asyncio"),
]


def snippets() -> list[str]:
    return list(dict.fromkeys(snippet for snippet, _, _ in HEADLINES))


def newest_reference() -> Path | None:
    found = sorted(REFERENCES.glob("*/index.json"), key=lambda p: p.parent.name)
    return found[-1].parent if found else None


def reference_runs(where: str) -> tuple[str, list[Result]]:
    """The runs of a reference: a folder (a built site's `site/` also works) or a URL."""
    if where.startswith(("http://", "https://")):
        base = where.rstrip("/") + "/"
        with tempfile.TemporaryDirectory() as folder:
            index = json.load(urllib.request.urlopen(base + "index.json", timeout=30))
            (Path(folder) / "index.json").write_text(json.dumps(index))
            for entry in index["runs"]:
                target = Path(folder) / entry["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                with urllib.request.urlopen(base + entry["file"], timeout=30) as answer:
                    target.write_bytes(answer.read())
            return where, read(Path(folder))
    folder = Path(where)
    if not (folder / "index.json").is_file() and (folder / "data/runs/index.json").is_file():
        folder = folder / "data/runs"
    if not (folder / "index.json").is_file():
        sys.exit(f"{where}: no index.json of runs here (a folder written by this command?)")
    shown = folder.resolve()
    return str(shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown), read(folder)


def table(yours: dict[str, Measured], theirs: dict[str, Measured]) -> str:
    width = max(len(what) for _, _, what in HEADLINES)
    lines = [f"{'':{width}}  {'yours':>10}  {'reference':>10}  {'ratio':>6}"]
    for snippet, key, what in HEADLINES:
        mine, other = yours.get(snippet), theirs.get(snippet)
        a = mine[key] if mine and key in mine else None
        b = other[key] if other and key in other else None
        ratio = f"{a.median / b.median:.2f}" if a and b and b.median else "–"
        lines.append(
            f"{what:{width}}  {str(a) if a else '–':>10}  {str(b) if b else '–':>10}  {ratio:>6}"
        )
    return "\n".join(lines)


def describe(name: str, runs: dict[str, Measured]) -> str:
    if not runs:
        return f"{name}: no runs of these snippets"
    first = next(iter(runs.values())).result
    env, when = first.environment, first.ran_at[:16].replace("T", " ")
    return (
        f"{name}: {heading(env)}; {env['cpus']} usable CPUs, {env['start_method']}, "
        f"{env['system']}; ran {when} UTC"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=os.environ.get("SNIPPET_PYTHON") or sys.executable)
    parser.add_argument("--reference", help="a folder of runs, a built site, or a URL")
    parser.add_argument("--out", type=Path, help="where to write your runs")
    parser.add_argument("--machine", help="your machine, in the folder name (default: host name)")
    options = parser.parse_args()
    os.chdir(ROOT)  # the runner names snippets, and keeps its cache, from the repository's root
    where = options.reference or newest_reference()
    source, reference = reference_runs(str(where)) if where else ("none given", [])

    mine = []
    for number, snippet in enumerate(snippets(), 1):
        print(f"{number} of {len(snippets())}: {snippet} ...", file=sys.stderr, flush=True)
        try:
            mine.append(run(snippet, python=options.python, timeout=300))
        except SnippetError as error:
            sys.exit(f"compare: {error}")
    env = mine[0].environment
    today = datetime.date.today().isoformat()
    machine = options.machine or platform.node()
    name = f"{today}-{machine}-{env['implementation'].lower()}-{env['version']}"
    out = options.out or ROOT / ".cache" / "compare" / name
    write(out, mine)

    yours = {r.snippet: Measured(r) for r in mine if r.data}
    theirs = {r.snippet: Measured(r) for r in reference if r.data and r.snippet in snippets()}
    print(describe("yours", yours))
    print(describe("reference", theirs) + f"\n  (from {source})")
    print("Medians; the ratio is yours over the reference's. Timings vary run to run: read the")
    print("ratios as an order of magnitude, and the speed-ups against each machine's CPUs.")
    print(table(yours, theirs))
    print(f"Your runs, as the site publishes its own (data/runs/): {out}")


if __name__ == "__main__":
    main()
