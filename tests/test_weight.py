"""What a reader downloads (issue 10): the search index, and the median page's first load in a real
browser, within their limits. Measured by the code `make bench` runs (tools/bench.py)."""

import pytest
from conftest import FIGURES, bench


# A known gap, kept visible: strict, so the test fails (and this mark must go) once the index is
# within the limit. The last full build's index: 163 KB (from 345 KB: outputs, whole scripts,
# tables of numbers and claims' titles and figures are out of it; what is left is prose and
# excerpts). It no longer weighs on a first visit, which loads it only for a search.
@pytest.mark.xfail(strict=True, reason="the search index is about 163 KB, over 150 KB (issue 10)")
def test_the_search_index_is_small(built_site):
    site = built_site / "site"
    FIGURES["search index, bytes"] = str(bench.index_bytes(site))
    assert bench.index_bytes(site) <= bench.SEARCH_INDEX_LIMIT, "\n".join(
        ["largest entries:", *bench.index_heaviest(site, 10)]
    )


def test_the_median_first_load_is_light(browser, built_site, site_url):
    site = built_site / "site"
    loads = bench.measure(browser, site, site_url)
    median = bench.median_load(loads)
    FIGURES["first load, median bytes (uncompressed)"] = f"{median:.0f}"
    assert median <= bench.FIRST_LOAD_LIMIT, "\n".join(
        [*map(str, bench.figures(site, loads).items()), *bench.heaviest(site, loads)]
    )
