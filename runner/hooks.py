"""MkDocs hooks (listed under `hooks:` in mkdocs.yml): tell the runner when a build starts and
which page it renders, and stop the build at the first page whose snippet failed, with the runner's
message."""

from mkdocs.exceptions import PluginError

import runner


def on_pre_build(config, **kwargs):
    runner.begin_build()


def on_page_markdown(markdown, page, **kwargs):
    runner.begin_page(page.file.src_uri)
    return markdown


def on_page_content(html, page, **kwargs):
    if failures := runner.page_failures():
        raise PluginError("\n\n".join(failures))
    return html
