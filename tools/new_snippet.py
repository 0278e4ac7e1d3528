"""Create a snippet, its expected output and the page that shows it, all passing the tests as made.

    python tools/new_snippet.py TOPIC SLUG      (or: make new-snippet TOPIC=... SLUG=...)

makes `snippets/<topic>/<nn>_<slug>.py` (the next free number), the line it prints in
`tests/expected/<topic>/<nn>_<slug>.txt`, and a section that includes and runs it at the end of
`docs/<topic>/index.md`; a new page also goes into the nav in mkdocs.yml, before Contributing.
Then edit all three (CONTRIBUTING.md).
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"[a-z][a-z0-9_]*")

SNIPPET = '''\
"""{caption}

Replace the line above with the caption the page shows, and this paragraph
with a short intro, or nothing.
"""


def main() -> None:
    print("{slug}: ready")


if __name__ == "__main__":
    main()
'''

SECTION = """
## {caption}

```python exec="on"
from runner import example
print(example("{path}"))
```
"""


def title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def next_number(folder: Path) -> int:
    numbers = [int(p.name[:2]) for p in folder.glob("[0-9][0-9]_*.py")]
    return max(numbers, default=0) + 1


def add_to_nav(config: Path, topic: str) -> None:
    """Insert `- <Topic>: <topic>/index.md` before the Contributing section of the nav.

    Text, not YAML: mkdocs.yml uses `!ENV` tags that a YAML round trip would not keep."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  - Contributing:"))
    lines.insert(at, f"  - {title(topic)}: {topic}/index.md\n")
    config.write_text("".join(lines), encoding="utf-8")


def create(root: Path, topic: str, slug: str) -> list[Path]:
    folder = root / "snippets" / topic
    folder.mkdir(parents=True, exist_ok=True)
    if taken := sorted(folder.glob(f"[0-9][0-9]_{slug}.py")):
        raise SystemExit(f"{taken[0].relative_to(root)} exists already: choose another slug")
    stem = f"{next_number(folder):02d}_{slug}"
    snippet = folder / f"{stem}.py"
    path = snippet.relative_to(root).as_posix()
    snippet.write_text(SNIPPET.format(caption=title(slug), slug=slug), encoding="utf-8")

    expected = root / "tests" / "expected" / topic / f"{stem}.txt"
    expected.parent.mkdir(parents=True, exist_ok=True)
    expected.write_text(f"{slug}: ready\n", encoding="utf-8")

    page = root / "docs" / topic / "index.md"
    if not page.exists():
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"# {title(topic)}\n\nWhat this page teaches, and what to look for in the output.\n",
            encoding="utf-8",
        )
        add_to_nav(root / "mkdocs.yml", topic)
    with page.open("a", encoding="utf-8") as out:
        out.write(SECTION.format(caption=title(slug), path=path))
    return [snippet, expected, page]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topic", help="the page folder under docs/, e.g. cost")
    parser.add_argument("slug", help="what the snippet shows, e.g. pool_startup")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this)")
    args = parser.parse_args(argv)
    for name in (args.topic, args.slug):
        if not NAME.fullmatch(name):
            parser.error(f"{name!r}: use lower-case letters, digits and underscores")
    for made in create(args.root, args.topic, args.slug):
        print(f"wrote {made.relative_to(args.root)}")


if __name__ == "__main__":
    sys.exit(main())
