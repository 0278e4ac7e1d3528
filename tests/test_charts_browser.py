"""Charts read on a phone (issue 10): in Chromium at 390×844 and at desktop width, in the light and
the dark scheme, on every page of the built site, every text of every chart renders at 9 CSS px or
more, and no page scrolls sideways as a whole.

A chart's text size as rendered is its font size in SVG units times the scale the SVG is drawn at
(from its screen transformation matrix: the rendered width over the viewBox width, rotation and
all), so the check holds whatever the stylesheet does to the SVG's box. The pages are seen once
per view for all the layout checks (tests/views.py); on a phone, with every `<details>` open.
"""

import pytest
from conftest import serve, site_pages
from views import CHART_TEXT, SCHEMES, SIDEWAYS, VIEWPORTS, context, in_view, too_wide

SMALLEST = 9.0
"""The least size, in CSS px, at which a chart's text may render."""


def problems(found: dict) -> list[str]:
    """What is wrong with a page, from what tests/views.py found there."""
    small = [f"{text!r} at {size:.1f} px" for text, size in found["chart text"] if size < SMALLEST]
    sideways = found["sideways"]
    wide = f"the page is {sideways['scrollWidth']} px wide in a {sideways['clientWidth']} px window"
    return small + [wide] * too_wide(sideways)


def findings(page) -> tuple[int, list[str]]:
    """How many chart texts the open page has, and what is wrong with it."""
    found = {"chart text": page.evaluate(CHART_TEXT), "sideways": page.evaluate(SIDEWAYS)}
    return len(found["chart text"]), problems(found)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_chart_text_is_9_px_or_more_and_no_page_scrolls_sideways(seen, viewport, scheme):
    pages = in_view(seen, viewport, scheme)
    texts = sum(len(found["chart text"]) for found in pages.values())
    wrong = {path: problems(found) for path, found in pages.items() if problems(found)}
    assert texts, "no page has a chart with text: this check checks nothing"
    assert not wrong, f"at {viewport} width, {scheme} scheme:\n" + "\n".join(
        f"{path}: {'; '.join(found[:5])}" + (f" (and {len(found) - 5} more)" * (len(found) > 5))
        for path, found in wrong.items()
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
    opened = context(browser, "phone")
    page = opened.new_page()
    with serve(tmp_path) as url:
        page.goto(url)
        texts, wrong = findings(page)
    assert texts == 2
    assert wrong == ["'shrunk' at 4.4 px", "the page is 600 px wide in a 390 px window"]
    # A built page (whose theme hides the root's horizontal overflow) made too wide is caught.
    chart_page = next(p for p in site_pages(built_site / "site") if p.startswith("gil/"))
    page.goto(site_url + chart_page)
    assert not any("px wide" in problem for problem in findings(page)[1])
    page.evaluate(
        "document.querySelector('article').append(Object.assign("
        "document.createElement('div'), {style: 'width: 900px', textContent: 'wide'}))"
    )
    wrong = findings(page)[1]
    assert len(wrong) == 1 and wrong[0].endswith("px wide in a 390 px window"), wrong
    opened.close()
