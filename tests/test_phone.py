"""The built site on a phone: 390 x 844 CSS px, in the light and the dark scheme, page by page.

- No page scrolls sideways as a whole: wide code, outputs, tables and diagrams scroll inside their
  own box, or wrap.
- A run's output wraps: none of it is hidden past the right edge of its box.
- No copy button covers any text of the code block it copies.

Every page found in the build is checked, with every `<details>` opened (folded scripts and outputs
included), so a page added later is held to the same. The CSS these check is in
docs/stylesheets/runner.css.
"""

import json

import pytest
from conftest import site_pages
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}  # an iPhone 12 to 14, in CSS px
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme: Material's palette name

# Material turns the page's markup into what a reader sees after the page loads: a copy button in
# every code block (unless the block is in .no-copy), a scrolling box around every table with no
# class, diagrams drawn from `pre.mermaid`. "networkidle" can come before that is done, on a busy
# machine: wait for it, or a check would measure the page half made.
SETTLED = """() => document.readyState === "complete"
  && [...document.querySelectorAll("article pre > code")].every(
       code => code.closest(".no-copy") || code.parentElement.querySelector(":scope > nav"))
  && !document.querySelector("article table:not([class]):not(.md-typeset__scrollwrap table)")
  && !document.querySelector("article pre.mermaid")"""

OPEN_DETAILS = """() => document.querySelectorAll("article details")
  .forEach(d => { d.open = true; })"""

# Whether the document is wider than the screen, and if so, what sticks out: each outermost element
# whose right edge passes the screen's and which no scrolling box of its own holds (a hint only:
# what sticks out from inside a shadow root, such as a Mermaid diagram's, is not named).
SIDEWAYS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const out = e => e.getBoundingClientRect().right > width + 1;
  const held = e => {  // in a box that scrolls or clips sideways and fits, or fixed to the screen
    for (let a = e; a && a !== root; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.position === "fixed") return true;
      if (a !== e && style.overflowX !== "visible" && !out(a)) return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter(e => out(e) && !held(e) && !(e.parentElement && out(e.parentElement)))
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} (right edge at `
      + `${Math.round(e.getBoundingClientRect().right)} px)`);
  return {scrollWidth: root.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 5)};
}"""

# The runs whose output does not fit their box's width (so part of it is hidden until scrolled).
CUT_RUNS = """() => [...document.querySelectorAll(".snippet-run pre > code")]
  .filter(code => code.offsetParent && code.scrollWidth > code.clientWidth + 1)
  .map(code => `${code.closest(".snippet-run").dataset.snippet}: ${code.scrollWidth} px of text `
    + `in ${code.clientWidth} px`)"""

# Every visible copy button whose box meets the box of a piece of text (a run of non-space
# characters) of the code block it belongs to: [block id, the text, its line's top from the
# button's top, in px].
COVERED = """() => {
  const meet = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const found = [];
  for (const button of document.querySelectorAll("article .md-code__button[data-md-type=copy]")) {
    const box = button.getBoundingClientRect();
    if (!box.width || !box.height
        || !button.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const pre = button.closest("pre"), code = pre.querySelector(":scope > code");
    const texts = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node; (node = texts.nextNode()); ) {
      for (const piece of node.textContent.matchAll(/\\S+/g)) {
        range.setStart(node, piece.index);
        range.setEnd(node, piece.index + piece[0].length);
        const rect = [...range.getClientRects()].find(r => r.width && meet(r, box));
        if (rect) found.push([pre.id, piece[0].slice(0, 40), Math.round(rect.top - box.top)]);
      }
    }
  }
  return found;
}"""


def phone_context(browser, scheme: str = "light"):
    return browser.new_context(viewport=PHONE, color_scheme=scheme, is_mobile=True, has_touch=True)


@pytest.fixture(scope="module", params=list(SCHEMES))
def phone_pages(request, browser, built_site, site_url) -> tuple[str, dict[str, dict]]:
    """Every page opened on a phone in one scheme, settled, its `<details>` opened, measured."""
    scheme = request.param
    context = phone_context(browser, scheme)
    page = context.new_page()
    measured = {}
    for path in site_pages(built_site / "site"):
        page.goto(site_url + path, wait_until="networkidle")
        page.wait_for_function(SETTLED, timeout=30_000)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        page.evaluate(OPEN_DETAILS)
        measured[path or "/"] = {
            "sideways": page.evaluate(SIDEWAYS),
            "cut runs": page.evaluate(CUT_RUNS),
            "covered": page.evaluate(COVERED),
            "buttons": page.locator("article .md-code__button[data-md-type=copy]").count(),
        }
    context.close()
    return scheme, measured


def too_wide(sideways: dict) -> bool:
    return sideways["scrollWidth"] > sideways["clientWidth"] + 1


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
    context = phone_context(browser)
    page = context.new_page()
    site = built_site / "site"
    path = next(p for p in site_pages(site) if 'class="snippet-run' in built_html(site, p))
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_function(SETTLED, timeout=30_000)
    yield page
    context.close()


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
