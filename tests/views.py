"""Every page of the built site seen once in each of four views (a phone, 390 x 844 CSS px, and a
desktop, 1280 x 800; each in the light and the dark scheme), and measured there by every check
that looks at a page as it is laid out: charts (test_charts_browser.py), the phone checks
(test_phone.py) and axe (test_accessibility.py). One visit per page and view, not one per check:
loading a page is most of what a check costs.

The probes are JavaScript, run in the page; each says what it returns.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
"""A phone (an iPhone 12 to 14) and a desktop window, in CSS px."""
SCHEMES = {"light": "default", "dark": "slate"}
"""The reader's preference (prefers-color-scheme): Material's palette name for it."""

# Material turns the page's markup into what a reader sees after the page loads: a copy button in
# every code block (unless the block is in .no-copy), a scrolling box around every table with no
# class, diagrams drawn from `pre.mermaid`. The load event can come before that is done, on a busy
# machine: wait for it, or a check would measure the page half made.
SETTLED = """() => document.readyState === "complete"
  && [...document.querySelectorAll("article pre > code")].every(
       code => code.closest(".no-copy") || code.parentElement.querySelector(":scope > nav"))
  && !document.querySelector("article table:not([class]):not(.md-typeset__scrollwrap table)")
  && !document.querySelector("article pre.mermaid")"""

OPEN_DETAILS = """() => document.querySelectorAll("article details")
  .forEach(d => { d.open = true; })"""

# [text, rendered size in CSS px] of every text drawn in a chart (`<figure class="chart">`); a
# text that is not rendered (in a closed <details>, say) has no matrix and is left out. The size
# is the font size in SVG units times the scale the SVG is drawn at (from its screen matrix), so
# it holds whatever the stylesheet does to the SVG's box.
CHART_TEXT = """() => [...document.querySelectorAll("figure.chart svg text")].flatMap(t => {
  const m = t.getScreenCTM();
  if (!m || !t.getBoundingClientRect().width) return [];
  const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  return [[t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale]];
})"""

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

COPY_BUTTONS = "article .md-code__button[data-md-type=copy]"

# axe-core's violations on the open page (it is added to the page first).
AXE_RUN = "axe.run(document, {resultTypes: ['violations']}).then(found => found.violations)"


def too_wide(sideways: dict) -> bool:
    return sideways["scrollWidth"] > sideways["clientWidth"] + 1


def need_axe() -> None:
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `make test`, which installs it with `npm ci`")


def context(browser, viewport: str, scheme: str = "light"):
    """A fresh browser context: the viewport's size (a phone is also a touch device), preferring
    the scheme."""
    phone = viewport == "phone"
    return browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, is_mobile=phone, has_touch=phone
    )


def settle(page, url: str, scheme: str) -> None:
    """Open `url` and wait until Material has finished the page, in `scheme`. Not "networkidle",
    which waits half a second after the last request (the search worker's) on every page: the
    checks here read the layout, which SETTLED says is done."""
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=30_000)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


def measure(page, viewport: str) -> dict:
    """What the checks need from the open page, with every `<details>` opened first: folded
    scripts, outputs and chart tables are read, laid out and audited too. axe runs at desktop
    width only."""
    page.evaluate(OPEN_DETAILS)
    found = {
        "chart text": page.evaluate(CHART_TEXT),
        "sideways": page.evaluate(SIDEWAYS),
        "cut runs": page.evaluate(CUT_RUNS),
        "covered": page.evaluate(COVERED),
        "buttons": page.locator(COPY_BUTTONS).count(),
    }
    if viewport == "desktop":
        page.add_script_tag(path=AXE)
        found["axe"] = page.evaluate(AXE_RUN)
    return found


def see_every_page(browser, site_url: str, pages: list[str]) -> dict[tuple, dict]:
    """{(viewport, scheme, page): what `measure` found}, every page visited once per view."""
    need_axe()
    seen = {}
    for viewport in VIEWPORTS:
        for scheme in SCHEMES:
            opened = context(browser, viewport, scheme)
            page = opened.new_page()
            for path in pages:
                settle(page, site_url + path, scheme)
                seen[viewport, scheme, "/" + path] = measure(page, viewport)
            opened.close()
    return seen


def in_view(seen: dict[tuple, dict], viewport: str, scheme: str) -> dict[str, dict]:
    """{page: what was found there} in one view."""
    return {path: found for (v, s, path), found in seen.items() if (v, s) == (viewport, scheme)}
