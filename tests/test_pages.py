"""Every page of the built site has the shape a reader can count on: its answer first (a summary
before the first section), one environment banner where it ran something, outputs as a person
would write them, and at the end "What to remember" with a link to the next page."""

import html
import json
import posixpath
import re
from pathlib import Path

import pytest
from conftest import ROOT, page_html
from mkdocs.utils.yaml import yaml_load

TAG = re.compile(r"^(time|memory|machine): ", re.M)


def nav_pages() -> list[str]:
    """The pages in the order of mkdocs.yml's nav."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as config:
        nav = yaml_load(config)["nav"]

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from walk(value) if isinstance(value, list) else [value]

    return list(walk(nav))


PAGES = nav_pages()


def url(page: str) -> str:
    """A page's address relative to the site's root: `cost/thread/`, `gil/`, `` for home."""
    stem = page.removesuffix(".md").removesuffix("index")
    return stem if not stem or stem.endswith("/") else stem + "/"


def content(site: Path, page: str) -> str:
    shown = page_html(site, page)
    return shown[shown.index('<article class="md-content__inner') : shown.index("</article>")]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_answers_first_and_ends_with_what_to_remember_and_the_next_page(built_site, page):
    article = content(built_site / "site", page)
    first_section = article.find("<h2")
    summary = article.find('class="admonition abstract page-summary"')
    assert 0 <= summary < first_section, f"{page} has no summary before its first section"
    last = article[article.rindex("<h2") :]
    assert re.match(r'<h2 id="what-to-remember">What to remember', last), (
        f"{page} does not end with 'What to remember'"
    )
    following = PAGES[(PAGES.index(page) + 1) % len(PAGES)]
    # Links are relative to the page's own address, as MkDocs writes them.
    targets = {
        posixpath.normpath(posixpath.join(url(page), href.split("#")[0])).strip("./")
        for href in re.findall(r'<a href="([^"]+)"', last)
    }
    assert url(following).rstrip("/") in targets, (
        f"{page}'s 'What to remember' does not link to the next page, {following}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_page_has_at_most_one_environment_banner(built_site, page):
    article = content(built_site / "site", page)
    banners = article.count('class="environment-banner"')
    ran = 'class="snippet-run' in article
    assert banners == (1 if ran else banners) and banners <= 1, f"{page}: {banners} banners"


@pytest.mark.parametrize("page", PAGES)
def test_no_shown_output_line_carries_a_machine_tag(built_site, page):
    article = content(built_site / "site", page)
    for run in re.findall(r'<div class="snippet-run.*?</code></pre>', article, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", run))
        assert not TAG.search(text), f"{page} shows a tagged line: {TAG.search(text)[0]!r}"


SECTION = re.compile(r"^[ \t]*# --8<-- \[start:\w+\].*?# --8<-- \[end:\w+\]", re.M | re.S)


def test_outputs_and_whole_scripts_stay_out_of_the_search_index(built_site):
    """No run's transcript, and no line of a script that only its folded whole shows (a `def`
    outside its excerpts), is in the index: excerpts and prose are."""
    index = json.loads((built_site / "site" / "search" / "search_index.json").read_text())
    text = html.unescape("\n".join(doc["text"] for doc in index["docs"]))
    assert "$ python snippets/" not in text and "Full output, " not in text
    sources = [path.read_text(encoding="utf-8") for path in (ROOT / "snippets").glob("*/*.py")]
    shown = {  # lines that some page shows unfolded: excerpts, and short scripts shown whole
        line.strip()
        for source in sources
        for part in (SECTION.findall(source) if "# --8<-- [start:" in source else [source])
        for line in part.splitlines()
    }
    folded = {
        line.strip()
        for source in sources
        if "# --8<-- [start:" in source
        for line in SECTION.sub("", source).splitlines()
        if line.lstrip().startswith("def ")
    } - shown
    assert folded, "no script has excerpts: nothing to check"
    assert not [line for line in folded if line in text]
