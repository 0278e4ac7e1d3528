"""MkDocs hooks (listed under `hooks:` in mkdocs.yml): tell the runner when a build starts and
which page it renders, warn (which fails the strict build) where a page retypes a snippet's input,
stop the build at the first page whose snippet failed, with the runner's message, put each page's
environment banner under its answer, drop code spans the theme does not style, load Mermaid on
the pages that draw a diagram, copy the vendored scripts into the site, and publish the data of
every run the pages showed. Under `mkdocs serve`, serve at once and run what the cache lacks in
the background (runner.serving)."""

import logging
import re
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

import runner
from runner import serving
from runner.inputs import retyped
from runner.probe import ROOT

log = logging.getLogger("mkdocs.hooks.runner")  # a warning fails the strict build

# Scripts the pages load from the site itself (a third-party host would see every reader), copied
# from the npm packages that `make` installs: {where in the site: where in node_modules}.
MERMAID = "javascripts/mermaid.min.js"
VENDORED = {MERMAID: ROOT / "node_modules/mermaid/dist/mermaid.min.js"}

# How the site measures: every banner links to it.
METHODOLOGY = "methodology/"

# Holds the search index back until the reader opens search (see the script).
LAZY_SEARCH_INDEX = f"<script>\n{(ROOT / 'runner' / 'lazy_search_index.js').read_text()}</script>\n"


def on_startup(command, **kwargs):
    if command == "serve":
        serving.start()


def on_serve(server, **kwargs):
    server.watch(str(serving.trigger()))  # the background's runs ask for rebuilds there
    return server


def on_config(config, **kwargs):
    runner.use_markdown(config.markdown_extensions, config.mdx_configs)


def on_pre_build(config, **kwargs):
    runner.begin_build()
    try:
        runner.check_interpreters()
    except runner.SnippetError as error:
        raise PluginError(str(error)) from None
    if serving.active():
        serving.before_build(Path(config.docs_dir), config.nav)
    else:
        runner.announce(Path(config.docs_dir))


def on_page_markdown(markdown, page, **kwargs):
    runner.begin_page(page.file.src_uri, page.url)
    for problem in retyped(markdown, ROOT):
        log.warning(f"{page.file.src_uri}: {problem}")
    if serving.active():
        try:
            progress = serving.pending(page.file.src_uri)
        except runner.SnippetError as error:
            raise PluginError(str(error)) from None
        if progress:
            return serving.pending_page(markdown, *progress)
    return markdown


def on_page_content(html, page, **kwargs):
    if failures := runner.page_failures():
        raise PluginError("\n\n".join(failures))
    methodology = get_relative_url(METHODOLOGY, page.url) if page.url != METHODOLOGY else ""
    html = runner.with_early_html(html)  # the excerpts, before the search index reads the page
    return without_plain_spans(with_banner(html, runner.banner(methodology)))


# Pygments wraps every name (`n`) and every run of spaces (`w`) in a span. The theme gives a name
# the code's own colour (--md-code-hl-name-color is var(--md-code-fg-color)) and spaces no style,
# so those spans change nothing a reader sees: they were a sixth of a page's bytes, mostly in the
# folded whole scripts.
PLAIN_SPAN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def without_plain_spans(html: str) -> str:
    """The page without the highlighter's spans that the theme does not style."""
    return PLAIN_SPAN.sub(r"\1", html)


def with_banner(html: str, banner: str) -> str:
    """The page with its environment banner under its answer (or its title), and without the
    environment lines of runs that the banner already describes."""
    if not banner:
        return html
    html = re.sub(r'<p class="snippet-env" data-same-as-banner[^>]*>.*?</p>\n?', "", html)
    # After the page's answer (its summary) if it has one, else under its title.
    summary = html.find('<div class="admonition abstract page-summary">')
    end, tag = (summary, "</div>") if summary != -1 else (0, "</h1>")
    found = html.find(tag, end)
    at = found + len(tag) if found != -1 else 0
    return html[:at] + "\n" + banner + html[at:]


def on_post_page(output, page, **kwargs):
    """The page's late HTML (whole scripts, charts' drawings) takes the place of its placeholders,
    after the search index has read the page (runner.late). The search index waits for a search
    (LAZY_SEARCH_INDEX).

    Mermaid is 3.5 MB: only a page with a diagram (`pre.mermaid`) loads it, not every page, as
    `extra_javascript` would. The path is relative to the page, so the site works under a sub-path
    (GitHub Pages serves it under /<repository>/). `defer` runs it before DOMContentLoaded, when
    the theme draws the diagrams: it finds `mermaid` defined and fetches no copy from unpkg.com."""
    output = without_plain_spans(runner.with_late_html(output))
    head = output.index("</head>")
    output = output[:head] + LAZY_SEARCH_INDEX + output[head:]
    if '<pre class="mermaid">' in page.content:
        end = output.rindex("</body>")
        script = f'<script src="{get_relative_url(MERMAID, page.url)}" defer></script>\n'
        output = output[:end] + script + output[end:]
    return output


def on_build_error(error, **kwargs):
    serving.after_build()


def on_post_build(config, **kwargs):
    runner.publish_data(Path(config.site_dir))
    for target, source in VENDORED.items():
        if not source.is_file():
            raise PluginError(f"{source} is missing: run `make build` (it installs it with npm)")
        destination = Path(config.site_dir) / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    serving.after_build()
