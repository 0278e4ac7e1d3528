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
    if banners and page != "methodology/index.md":  # it links to how the site measures
        banner = re.search(r'<p class="environment-banner".*?</p>', article, re.S)[0]
        href = re.search(r'<a href="([^"]+)">How the site measures</a>', banner)[1]
        target = posixpath.normpath(posixpath.join(url(page) or ".", href))
        assert target == "methodology", f"{page}'s banner links to {href}"


@pytest.mark.parametrize("page", PAGES)
def test_every_whole_script_and_chart_is_in_its_place(built_site, page):
    """The hook puts them in (runner.pages: excerpts early, whole scripts and charts late): no
    placeholder is left, and every example has its whole script."""
    article = content(built_site / "site", page)
    assert "data-late=" not in article and "data-early=" not in article
    for path in re.findall(r"<summary>The whole script: <code>(.*?)</code></summary>", article):
        code = f'<div class="highlight"><span class="filename">{path}</span><pre>'
        assert f"<summary>The whole script: <code>{path}</code></summary>\n{code}" in article


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


QUOTES = [
    line.strip()
    for line in (ROOT / "tests" / "post_quotes.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
QUOTATION = re.compile(r'"([^"]+)"|“([^”]+)”')
BLOCK = re.compile(r"<(p|li|td|th|blockquote)\b[^>]*>(.*?)</\1>", re.S)
MENTIONS_POST = re.compile(r"\bpost\b|\bpost's\b", re.I)


def plain(fragment: str) -> str:
    """Text as a reader sees it, its spaces and apostrophes made uniform for comparing."""
    text = html.unescape(re.sub(r"<[^>]+>", "", fragment))
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def attributed_quotations(article: str) -> list[str]:
    """What a page quotes from the post: a blockquote's text (the site quotes only the post in
    blockquotes), and each quotation in a paragraph, list item or table that names the post."""
    article = re.sub(r"<(pre|script|style|details)\b.*?</\1>", "", article, flags=re.S)
    found = [  # a blockquote, line by line (the post's lines are its sentences)
        plain(line)
        for quote in re.findall(r"<blockquote>(.*?)</blockquote>", article, re.S)
        for line in re.split(r"</p>|<br\s*/?>|\n", quote)
        if plain(line)
    ]
    tables = re.findall(r"<table\b.*?</table>", article, re.S)
    blocks = [t for t in tables if MENTIONS_POST.search(plain(t.split("</thead>")[0]))]
    blocks += [body for tag, body in BLOCK.findall(article) if MENTIONS_POST.search(plain(body))]
    for block in blocks:
        found += [a or b for a, b in QUOTATION.findall(plain(block))]
    # A quotation cut short with an ellipsis is checked part by part.
    return [
        part.strip(" .") for q in found for part in re.split(r"…|\.\.\.", q) if part.strip(" .")
    ]


def test_the_file_of_quotations_is_read():
    assert len(QUOTES) >= 10 and all(len(q) > 10 for q in QUOTES)


@pytest.mark.parametrize("page", PAGES)
def test_every_quotation_of_the_post_is_word_for_word(built_site, page):
    """A quotation attributed to the post must be (part of) a line of tests/post_quotes.txt, the
    post's words checked once by hand against its text."""
    quotes = [plain(q) for q in QUOTES]
    misquoted = [
        quotation
        for quotation in attributed_quotations(content(built_site / "site", page))
        if not any(quotation in quote for quote in quotes)
    ]
    assert not misquoted, f"{page} attributes to the post words not in tests/post_quotes.txt"
