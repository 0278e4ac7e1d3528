"""The built site in a real browser (Debian's Chromium, driven by Playwright), page by page: it
loads cleanly, asks no host but its own, and its search, tabs, copy buttons and colour schemes work.

Every page found in the build is checked, so a page added later is held to the same.
"""

import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from conftest import FIGURES, LOOPBACK, ROOT, PageLoad, serve, site_pages, watch
from mkdocs.utils.meta import get_data
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

expect.set_options(timeout=30_000)  # a shared 2-core machine can be slow; waiting is not sleeping


def test_every_page_loads_with_no_console_error_and_no_failed_request(first_loads):
    loads = first_loads.watched.items()
    assert len(loads) >= 2
    problems = {path or "/": load.problems for path, load in loads if load.problems}
    assert not problems, json.dumps(problems, indent=2)


def test_the_sub_path_server_fails_an_absolute_path(browser, tmp_path):
    """The check above bites: under the sub-path the site is served at (as on GitHub Pages), a
    hand-written absolute path fails to load and a path relative to the page loads."""
    (tmp_path / "javascripts").mkdir()
    (tmp_path / "javascripts" / "x.js").write_text("")
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>t</title><script src="javascripts/x.js"></script>'
        '<script src="/javascripts/x.js"></script>'
    )
    with serve(tmp_path) as url:
        root = urlsplit(url)._replace(path="/").geturl()
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(root)
        assert error.value.code == 404
        context = browser.new_context()
        page = context.new_page()
        watch(page, load := PageLoad())
        page.goto(url, wait_until="networkidle")
        context.close()
    assert any(f"{root}javascripts/x.js" in problem for problem in load.problems), load.problems
    assert not any(url in problem for problem in load.problems), load.problems  # relative: loaded


NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def test_a_missing_page_gets_the_sites_404_page_styled(browser, site_url):
    """The 404 page is the one page whose links MkDocs makes absolute, from SITE_URL's path: it
    loads everything it asks for under the sub-path, from the site itself."""
    context = browser.new_context()
    page = context.new_page()
    watch(page, load := PageLoad())
    missing = site_url + "no-such-page/"
    response = page.goto(missing, wait_until="networkidle")
    assert response.status == 404
    expect(page.locator("header.md-header")).to_have_css("position", "sticky")  # styled
    context.close()
    # The page's own 404 (Chromium also logs it to the console, without the URL) is the only one.
    others = [problem for problem in load.problems if problem != f"HTTP 404: {missing}"]
    assert others == [f"console: {NOT_FOUND}"], load.problems
    assert load.hosts == {LOOPBACK}


def test_reading_asks_no_third_party_host(first_loads):
    """Privacy: fonts, icons and scripts all come from the site itself (theme `font: false`)."""
    loads = first_loads.watched.items()
    others = {path or "/": sorted(load.hosts - {LOOPBACK}) for path, load in loads}
    others = {path: hosts for path, hosts in others.items() if hosts}
    FIGURES["third-party hosts asked"] = str(sum(len(h) for h in others.values()))
    assert not others, f"pages that ask another host: {others}"


@pytest.fixture
def new_page(browser, request):
    """A page in a fresh light-scheme context that must ask no other host; with `offline`, every
    non-loopback request is aborted, as on a machine with no network."""
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    if getattr(request, "param", None) == "offline":
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    # Privacy holds while a reader searches, switches tabs and schemes, too.
    elsewhere = []
    context.on(
        "request",
        lambda r: urlsplit(r.url).hostname not in (LOOPBACK, None) and elsewhere.append(r.url),
    )
    yield context.new_page()
    context.close()
    assert not elsewhere, f"requests to another host: {elsewhere}"


def unique_words(built_site) -> dict[str, str]:
    """For each page, a word of its text found on no other page (from the built search index)."""
    index = json.loads((built_site / "site" / "search" / "search_index.json").read_text())
    words: dict[str, list[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]).lower()
        words.setdefault(page, []).extend(re.findall(r"\b[a-z]{6,}\b", text))
    chosen = {}
    for page, mine in words.items():
        elsewhere = {w for other, theirs in words.items() if other != page for w in theirs}
        chosen[page] = next((w for w in mine if w not in elsewhere), None)
    return chosen


def unsearched_pages() -> set[str]:
    """The pages whose front matter leaves them out of search (`search: exclude: true`), as URL
    paths like site_pages gives."""
    left_out = set()
    for source in (ROOT / "docs").rglob("*.md"):
        meta = get_data(source.read_text(encoding="utf-8"))[1]
        if (meta.get("search") or {}).get("exclude"):
            stem = source.relative_to(ROOT / "docs").with_suffix("").as_posix()
            left_out.add(stem.removesuffix("index").rstrip("/") + "/" if stem != "index" else "")
    return left_out


def search(page, word: str):
    """Type `word` into the search box, emptied first; the result links, which fill in as the
    search answers."""
    box = page.locator("input.md-search__input")  # in the header at desktop width
    box.click()
    box.fill("")
    results = page.locator("a.md-search-result__link")
    expect(results).to_have_count(0)  # no result left from the last word
    box.press_sequentially(word)  # typed key by key, as the theme listens for keys
    return results


# Whether a search result links to the page at the URL given.
FOUND = """url => [...document.querySelectorAll("a.md-search-result__link")]
  .some(a => a.href.startsWith(url))"""


@pytest.mark.parametrize("new_page", ["online", "offline"], indirect=True)
def test_search_finds_each_page_by_a_word_from_its_body(new_page, built_site, site_url):
    """Offline too: the search index and its worker come from the site, so it works unplugged.
    One page is opened and each word searched for in turn, as a reader would."""
    words = unique_words(built_site)
    searched = set(site_pages(built_site / "site")) - unsearched_pages()
    assert set(words) >= searched, "a page is missing from search"
    assert not set(words) & unsearched_pages(), "a page left out of search is in its index"
    new_page.goto(site_url)
    for path, word in words.items():
        assert word, f"page /{path} has no word of its own for the search test to look for"
        results = search(new_page, word)
        expect(results.first).to_be_visible()
        try:
            new_page.wait_for_function(FOUND, arg=site_url + path, timeout=30_000)
        except PlaywrightTimeout:
            hrefs = results.evaluate_all("links => links.map(a => a.href)")
            pytest.fail(f"searching {word!r} does not find /{path}: {hrefs}")


def test_the_search_index_waits_for_a_search(new_page, built_site, site_url):
    """A first visit does not download the search index (runner/lazy_search_index.js); opening
    search does, and finds."""
    asked = []
    new_page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    new_page.goto(site_url, wait_until="networkidle")
    index = urlsplit(site_url).path + "search/search_index.json"
    assert index not in asked
    results = search(new_page, next(iter(unique_words(built_site).values())))
    expect(results.first).to_be_visible()
    assert index in asked


def pages_with(built_site, markup: str) -> list[str]:
    """The pages whose built HTML holds `markup` (the others need not be opened)."""
    site = built_site / "site"
    return [path for path in site_pages(site) if markup in (site / path / "index.html").read_text()]


def test_content_tabs_switch(new_page, built_site, site_url):
    switched = 0
    for path in pages_with(built_site, 'class="tabbed-set'):
        new_page.goto(site_url + path)
        for tabs in new_page.locator(".tabbed-set").all():
            labels, blocks = tabs.locator(".tabbed-labels > label"), tabs.locator(".tabbed-block")
            expect(blocks.nth(0)).to_be_visible()
            labels.nth(1).click()
            expect(blocks.nth(1)).to_be_visible()
            expect(blocks.nth(0)).to_be_hidden()
            switched += 1
    assert switched, "no page has content tabs: the site's tabs are untested"


def test_copy_button_copies_the_code(new_page, built_site, site_url):
    copied = 0
    for path in pages_with(built_site, "<pre"):
        new_page.goto(site_url + path)
        copy = new_page.get_by_title("Copy to clipboard")
        if not copy.count():
            continue
        block = new_page.locator("pre").filter(has=copy).first
        block.hover()  # the button shows on hover, as for a reader
        block.get_by_title("Copy to clipboard").click()
        code = block.locator("code").inner_text()
        new_page.wait_for_function(
            "code => navigator.clipboard.readText().then(t => t.trim() === code.trim())", arg=code
        )
        copied += 1
    assert copied, "no page has a copy button"


# Contrast of every text in a chart (`<figure class="chart">` with an inline `<svg>`) against the
# background it is drawn on, by the WCAG formula; [] when the page has no chart.
CHART_CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => (v /= 255) <= 0.03928 ? v / 12.92
    : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll("figure.chart svg text")].map(t => {
    const [a, b] = [lum(rgb(getComputedStyle(t).fill)), lum(background(t.closest("figure")))];
    return [t.textContent, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_light_and_dark_schemes(new_page, built_site, site_url, tmp_path_factory):
    """The palette toggle switches every page between light and dark; chart text keeps a 4.5:1
    contrast in both; each page is photographed in both schemes for a person to review."""
    shots = tmp_path_factory.mktemp("screenshots")
    FIGURES["screenshots (light and dark, every page)"] = str(shots)
    illegible = []
    for path in site_pages(built_site / "site"):
        new_page.goto(site_url + path)
        body = new_page.locator("body")
        name = path.strip("/").replace("/", "-") or "home"
        expect(body).to_have_attribute("data-md-color-scheme", "default")  # light, as asked
        for scheme in ("default", "slate"):
            if scheme == "slate":
                new_page.get_by_title("Switch to dark mode").click()
                expect(body).to_have_attribute("data-md-color-scheme", "slate")
            # JPEG: for a person to look at, and written in half the time of a PNG this long.
            shot = shots / f"{name}-{scheme}.jpg"
            new_page.screenshot(path=shot, full_page=True, type="jpeg", quality=85)
            for text, ratio in new_page.evaluate(CHART_CONTRAST):
                if ratio < 4.5:
                    illegible.append(f"/{path} ({scheme}): {text!r} at {ratio:.1f}:1")
        new_page.get_by_title("Switch to light mode").click()
        expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert not illegible, "chart text below 4.5:1 contrast:\n" + "\n".join(illegible)


def test_each_page_opened_from_disk_shows_its_content_styled(new_page, built_site):
    """file:// reading goes no further than this (links and search need a server: README.md)."""
    for path in site_pages(built_site / "site"):
        new_page.goto((built_site / "site" / path / "index.html").as_uri())
        expect(new_page.locator("article h1")).to_be_visible()
        # The theme's stylesheet applied: the header is laid out as a bar, not as plain text.
        expect(new_page.locator("header.md-header")).to_have_css("position", "sticky")
