"""Search as it is indexed for thousands of customers: compact, and still finding what a person types.

A value file is indexed as one entry (the customer's name and the words of
its record titles, `render/search.py`) instead of every section of its body;
these tests build the example site and search it in Chromium from file://,
where the offline plugin's index is what the browser loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_browser import browser, example_site, page  # noqa: F401 (pytest fixtures)

pytestmark = pytest.mark.browser


def search_from_disk(tab, project: Path, words: str) -> list[str]:
    """The links of the results for `words`, searching the site opened from the file system."""
    tab.goto((project / "site" / "index.html").resolve().as_uri())
    tab.keyboard.press("/")
    tab.keyboard.type(words, delay=20)
    results = tab.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    return [str(tab.locator(".md-search-result__item a").nth(n).get_attribute("href")) for n in range(results.count())]


def test_a_customer_is_found_by_name(page, example_site) -> None:  # noqa: F811
    _, project = example_site
    links = search_from_disk(page, project, "Harbor Ridge")
    assert any("customers/harbor-foods/index.html" in link for link in links[:3])
    assert page.outside_requests == []


def test_a_record_is_found_by_a_word_of_its_title(page, example_site) -> None:  # noqa: F811
    _, project = example_site
    links = search_from_disk(page, project, "Retort")  # "Retort 2 circulation pump seals failing every three weeks"
    assert any("customers/harbor-foods/index.html" in link for link in links)


def test_a_value_file_is_one_small_search_entry(example_site) -> None:  # noqa: F811
    _, project = example_site
    index = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [e for e in index["docs"] if e["location"].startswith("customers/harbor-foods/")]
    assert len(entries) == 1
    assert entries[0]["title"] == "Harbor Ridge Foods Inc."
    page_html = (project / "site" / "customers" / "harbor-foods" / "index.html").stat().st_size
    assert len(json.dumps(entries[0])) < page_html / 20
