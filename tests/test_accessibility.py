"""Accessibility and valid HTML on every page of the built site: axe-core in Chromium (both colour
schemes, every `<details>` opened; tests/views.py runs it) and the Nu HTML checker (vnu.jar). Both
come pinned from package.json, installed by `make test` (`npm ci`).

What the theme itself causes is allowed below, each with its reason, and listed in README.md; a
finding in anything else, our pages' own content included, fails.
"""

import collections
import json
import re
import shutil
import subprocess

import pytest
from conftest import FIGURES, ROOT

NODE_MODULES = ROOT / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
FAILING_IMPACTS = {"serious", "critical"}

# axe rules whose serious/critical findings come from mkdocs-material's own markup, never from a
# page's content: {rule id: (CSS selector prefix of the theme's elements, why it is the theme's)}.
# Colours that fell short are fixed in docs/stylesheets/contrast.css instead. Add an entry only with
# its reason, and list it in README.md.
THEME_AXE = {
    "aria-dialog-name": (
        ".md-search",
        "the theme's search overlay has role=dialog but no name; its input is labelled 'Search', "
        "and naming the dialog needs an override of the theme's header template",
    ),
}

# Nu HTML checker errors in mkdocs-material's templates: (message pattern, extract pattern, reason).
THEME_VNU = [
    (
        r"Attribute “autocomplete” is only allowed when the input type is",
        r'class="md-toggle"',
        "base.html puts autocomplete=off on its hidden checkbox toggles (drawer, search), to stop "
        "Firefox restoring their state on back; harmless, but not in the HTML spec",
    ),
    (
        r"Bad value “” for attribute “tabindex” on element “label”",
        r'class="md-nav__link"',
        'nav-item.html writes tabindex="" on section labels when navigation.sections is on; '
        "browsers treat it as no tabindex",
    ),
]


def need(path, what: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} missing at {path}: run `make test`, which installs it with `npm ci`")


@pytest.fixture(scope="module")
def axe_results(seen) -> dict[tuple[str, str], list[dict]]:
    """axe's violations for every page at desktop width, in the light and the dark scheme, as
    tests/views.py found them (axe runs once the theme has finished the page)."""
    results = {
        (path, scheme): found["axe"]
        for (viewport, scheme, path), found in seen.items()
        if viewport == "desktop"
    }
    impacts = collections.Counter(
        v["impact"] for violations in results.values() for v in violations for _ in v["nodes"]
    )
    FIGURES["pages checked by axe (x2 schemes)"] = str(len(results) // 2)
    FIGURES["axe violations by impact (elements)"] = json.dumps(dict(impacts)) or "{}"
    return results


def theme_caused(rule: str, node: dict) -> bool:
    prefix = THEME_AXE.get(rule, (None,))[0]
    return prefix is not None and all(t.startswith(prefix) for t in node["target"])


def test_axe_finds_no_serious_or_critical_violation(axe_results):
    failing = [
        (f"{path} ({scheme}) {v['id']} [{v['impact']}]: {v['help']} at {node['target']}", v, node)
        for (path, scheme), violations in axe_results.items()
        for v in violations
        if v["impact"] in FAILING_IMPACTS
        for node in v["nodes"]
    ]
    failures = [line for line, v, node in failing if not theme_caused(v["id"], node)]
    allowed = len(failing) - len(failures)
    FIGURES["axe serious/critical (theme-caused, allowed / ours)"] = f"{allowed} / {len(failures)}"
    assert not failures, "\n".join(failures)


def test_nu_html_checker_finds_no_error_of_ours(built_site):
    need(VNU, "vnu-jar")
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is not installed: `apt-get install default-jre-headless` (README.md)")
    files = sorted(str(p) for p in (built_site / "site").rglob("*.html"))
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(done.stderr)["messages"]  # vnu reports on stderr
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not report (exit {done.returncode}):\n{done.stderr[-2000:]}")
    ours = [
        f"{m.get('url', '?').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not any(
            re.search(message, m["message"]) and re.search(extract, m.get("extract", ""))
            for message, extract, _ in THEME_VNU
        )
    ]
    FIGURES["HTML files checked by vnu"] = str(len(files))
    FIGURES["vnu errors (theme-caused, allowed / ours)"] = (
        f"{len(messages) - len(ours)} / {len(ours)}"
    )
    assert not ours, "\n".join(ours)
