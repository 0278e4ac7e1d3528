"""The built site on a phone: 390 x 844 CSS px, in the light and the dark scheme, page by page.

- No page scrolls sideways as a whole: wide code, outputs, tables and diagrams scroll inside their
  own box, or wrap.
- A run's output wraps: none of it is hidden past the right edge of its box.
- No copy button covers any text of the code block it copies.

Every page found in the build is checked, with every `<details>` opened (folded scripts and outputs
included), so a page added later is held to the same. The pages are seen once per view for all the
layout checks (tests/views.py, where the probes are). The CSS these check is in
docs/stylesheets/runner.css.
"""

import json

import pytest
from conftest import site_pages
from views import CUT_RUNS, SCHEMES, SIDEWAYS, context, in_view, settle, too_wide


@pytest.fixture(params=list(SCHEMES))
def phone_pages(request, seen) -> tuple[str, dict[str, dict]]:
    """Every page as a phone in one scheme showed it, its `<details>` opened (tests/views.py)."""
    return request.param, in_view(seen, "phone", request.param)


def test_no_page_scrolls_sideways_on_a_phone(phone_pages):
    scheme, measured = phone_pages
    wide = {path: m["sideways"] for path, m in measured.items() if too_wide(m["sideways"])}
    assert not wide, f"pages wider than a phone ({scheme}):\n" + json.dumps(wide, indent=1)


def test_run_outputs_wrap_on_a_phone(phone_pages):
    scheme, measured = phone_pages
    cut = {path: m["cut runs"] for path, m in measured.items() if m["cut runs"]}
    assert not cut, f"run outputs cut at the edge ({scheme}):\n" + json.dumps(cut, indent=1)


def test_no_copy_button_covers_its_code_on_a_phone(phone_pages):
    scheme, measured = phone_pages
    assert sum(m["buttons"] for m in measured.values()), "no copy button anywhere: nothing checked"
    covered = [
        f"/{path.lstrip('/')} #{block}: {text!r}, {top} px below the button's top"
        for path, m in measured.items()
        for block, text, top in m["covered"]
    ]
    assert not covered, f"copy buttons over code text ({scheme}):\n" + "\n".join(covered[:30])


@pytest.fixture
def phone(browser, built_site, site_url):
    """A phone in the light scheme, on a page of the site that shows a run."""
    opened = context(browser, "phone")
    page = opened.new_page()
    site = built_site / "site"
    path = next(p for p in site_pages(site) if 'class="snippet-run' in built_html(site, p))
    settle(page, site_url + path, "light")
    yield page
    opened.close()


def built_html(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# Markup the pages do not all show in every build, added to a real page to see that it stays in
# its box: the runner's runs side by side (`compare()` under several interpreters, as the hosted
# build does), an output line with no space to break at, and a table with a class of its own,
# which Material does not put in its scrolling box.
WIDE_MARKUP = {
    "runs side by side": """run => `<div class="compared"><div class="compared-run">${run}</div>
        <div class="compared-run">${run}</div></div>`""",
    "an unbroken output line": """run =>
        run.replace("</code>", "\\n" + "x".repeat(200) + "</code>")""",
    "a table with a class": """() => `<table class="numbers"><tr>${
        "<td>a_measurement_with_a_long_name</td>".repeat(12)}</tr></table>`""",
}
# Adds the markup that `make` (JavaScript: a function of a run's HTML) writes to the article.
ADD = """() => {{
  const article = document.querySelector("article"), make = {make};
  article.insertAdjacentHTML("beforeend", make(article.querySelector(".snippet-run").outerHTML));
}}"""


@pytest.mark.parametrize("what", list(WIDE_MARKUP))
def test_wide_markup_stays_in_its_box_on_a_phone(phone, what):
    phone.evaluate(ADD.format(make=WIDE_MARKUP[what]))
    sideways = phone.evaluate(SIDEWAYS)
    assert not too_wide(sideways), f"{what} makes the page scroll sideways: {sideways}"
    assert not phone.evaluate(CUT_RUNS), f"{what}: a run's output is cut"


def test_the_sideways_check_bites(phone):
    """Something wider than the phone's screen, and held in no scrolling box, is found and named
    (even though Material's `html { overflow-x: hidden }` hides the scroll bar on a desktop)."""
    assert not too_wide(phone.evaluate(SIDEWAYS))
    phone.evaluate(
        """() => document.querySelector("article").insertAdjacentHTML("beforeend",
           '<p class="too-wide" style="width: 30rem">wide</p>')"""
    )
    sideways = phone.evaluate(SIDEWAYS)
    assert too_wide(sideways), sideways
    assert any(c.startswith("p.too-wide ") for c in sideways["culprits"]), sideways
