"""What a reader downloads (issue 10): the search index, and the median page's first load in a real
browser, within their limits. Measured by the code `make bench` runs (tools/bench.py)."""

from conftest import FIGURES, bench


# The index holds the teaching pages' headings, prose and excerpts; outputs, whole scripts, tables
# and the contributors' pages (search: exclude) stay out of it. It loads only when a reader opens
# the search.
def test_the_search_index_is_small(built_site):
    site = built_site / "site"
    FIGURES["search index, bytes"] = str(bench.index_bytes(site))
    FIGURES["search index, gzipped bytes"] = str(bench.index_gzipped(site))
    assert bench.index_gzipped(site) <= bench.SEARCH_INDEX_LIMIT, "\n".join(
        ["largest entries:", *bench.index_heaviest(site, 10)]
    )


def test_the_median_first_load_is_light(first_loads, built_site):
    site = built_site / "site"
    loads = first_loads.weighed
    median = bench.median_load(loads)
    FIGURES["first load, median bytes (uncompressed)"] = f"{median:.0f}"
    assert median <= bench.FIRST_LOAD_LIMIT, "\n".join(
        [*map(str, bench.figures(site, loads).items()), *bench.heaviest(site, loads)]
    )
