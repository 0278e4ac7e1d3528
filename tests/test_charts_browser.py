"""Charts read on a phone (issue 10): in Chromium at 390×844 and at desktop width, in the light and
the dark scheme, on every page of the built site, every text of every chart renders at 9 CSS px or
more, and no page scrolls sideways as a whole.

A chart's text size as rendered is its font size in SVG units times the scale the SVG is drawn at
(from its screen transformation matrix: the rendered width over the viewBox width, rotation and
all), so the check holds whatever the stylesheet does to the SVG's box.
"""

import pytest
from conftest import serve, site_pages
from playwright.sync_api import expect

expect.set_options(timeout=30_000)  # a shared 2-core machine can be slow; waiting is not sleeping

SMALLEST = 9.0
"""The least size, in CSS px, at which a chart's text may render."""
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCHEMES = {"light": "default", "dark": "slate"}  # the reader's preference: Material's scheme

# [text, rendered size in CSS px] of every text drawn in a chart (`<figure class="chart">`); a
# text that is not rendered (in a closed <details>, say) has no matrix and is left out.
CHART_TEXT = """() => [...document.querySelectorAll("figure.chart svg text")].flatMap(t => {
  const m = t.getScreenCTM();
  if (!m || !t.getBoundingClientRect().width) return [];
  const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  return [[t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale]];
})"""
# [how wide the document is, how wide the window shows it]: wider means it scrolls sideways.
SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def findings(page) -> tuple[int, list[str]]:
    """How many chart texts the open page has, and what is wrong with it."""
    texts = page.evaluate(CHART_TEXT)
    small = [f"{text!r} at {size:.1f} px" for text, size in texts if size < SMALLEST]
    wide, shown = page.evaluate(SIDEWAYS)
    sideways = [f"the page is {wide} px wide in a {shown} px window"] if wide > shown + 1 else []
    return len(texts), small + sideways


@pytest.fixture(scope="module", params=[(v, s) for v in VIEWPORTS for s in SCHEMES])
def reader(browser, request):
    """A page in a fresh context at each viewport, preferring each scheme."""
    viewport, scheme = request.param
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    yield viewport, scheme, context.new_page()
    context.close()


def test_chart_text_is_9_px_or_more_and_no_page_scrolls_sideways(reader, built_site, site_url):
    viewport, scheme, page = reader
    texts, problems = 0, {}
    for path in site_pages(built_site / "site"):
        page.goto(site_url + path)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        found, wrong = findings(page)
        texts += found
        if wrong:
            problems[f"/{path}"] = wrong
    assert texts, "no page has a chart with text: this check checks nothing"
    assert not problems, f"at {viewport} width, {scheme} scheme:\n" + "\n".join(
        f"{path}: {'; '.join(wrong[:5])}" + (f" (and {len(wrong) - 5} more)" * (len(wrong) > 5))
        for path, wrong in problems.items()
    )


def test_the_checks_bite(browser, built_site, site_url, tmp_path):
    """A chart shrunk to the column (11-unit text in a 1000-unit-wide SVG shown 400 px wide) and a
    page wider than the phone both fail the checks above; so does a real page made too wide."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><meta name="viewport" content="width=device-width"><title>t</title>'
        '<body style="margin: 0">'
        '<figure class="chart"><svg viewBox="0 0 1000 100" style="width: 400px">'
        '<text x="10" y="50" style="font-size: 11px">shrunk</text>'
        '<text x="10" y="90" style="font-size: 40px">big enough</text></svg></figure>'
        '<div style="width: 600px">wide</div>'
    )
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    with serve(tmp_path) as url:
        page.goto(url)
        texts, problems = findings(page)
    assert texts == 2
    assert problems == ["'shrunk' at 4.4 px", "the page is 600 px wide in a 390 px window"]
    # A built page (whose theme hides the root's horizontal overflow) made too wide is caught.
    chart_page = next(p for p in site_pages(built_site / "site") if p.startswith("gil/"))
    page.goto(site_url + chart_page)
    assert not any("px wide" in problem for problem in findings(page)[1])
    page.evaluate(
        "document.querySelector('article').append(Object.assign("
        "document.createElement('div'), {style: 'width: 900px', textContent: 'wide'}))"
    )
    problems = findings(page)[1]
    assert len(problems) == 1 and problems[0].endswith("px wide in a 390 px window"), problems
    context.close()
