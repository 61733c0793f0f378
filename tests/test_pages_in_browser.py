"""Every page of the example site as a person meets it, in a real Chromium.

axe-core (vendored in tests/vendor, no network) checks the content area of
every page: zero serious or critical findings. A 390 px phone needs no
sideways scroll. No console error, no failed or outside request. Also from
`file://`, where the site must work just as well.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_browser import browser, serve  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(example_build: Path) -> Iterator[tuple[str, Path]]:
    server, url = serve(example_build / "site")
    yield url, example_build / "site"
    server.shutdown()


def all_pages(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if p.name != "404.html")


def open_page(browser, url: str, viewport: dict[str, int]):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    problems: list[str] = []
    tab = context.new_page()
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    tab.on(
        "request",
        lambda r: (
            problems.append(f"outside request: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "file://", "data:", "blob:"))
            else None
        ),
    )
    tab.goto(url)
    tab.wait_for_load_state("load")
    return context, tab, problems


def axe_findings(tab) -> list[str]:
    tab.add_script_tag(content=AXE)
    result = tab.evaluate("async () => await axe.run(document.querySelector('.md-content'), {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} @ {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_loads_clean_and_passes_axe(browser, site) -> None:  # noqa: F811
    url, site_dir = site
    pages = all_pages(site_dir)
    assert len(pages) > 20
    findings: dict[str, list[str]] = {}
    for path in pages:
        context, tab, problems = open_page(browser, f"{url}/{path}", {"width": 1280, "height": 900})
        found = problems + axe_findings(tab)
        if found:
            findings[path] = found
        context.close()
    assert findings == {}, json.dumps(findings, indent=1)


def test_no_page_is_wider_than_a_phone(browser, site) -> None:  # noqa: F811
    url, site_dir = site
    wide = {}
    for path in all_pages(site_dir):
        context, tab, _ = open_page(browser, f"{url}/{path}", PHONE)
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprit = tab.evaluate(
                """() => [...document.querySelectorAll('.md-content *')]
                     .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.csvf-table, pre, .highlight'))
                     .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            wide[path] = (width, culprit)
        context.close()
    assert wide == {}


def test_pages_opened_from_disk_load_clean(browser, site) -> None:  # noqa: F811
    _, site_dir = site
    for path in ("index.html", "customers/index.html", "customers/corvane-auto/index.html", "catalog.html", "training/index.html"):
        context, tab, problems = open_page(browser, (site_dir / path).resolve().as_uri(), {"width": 1280, "height": 900})
        assert problems == [], (path, problems)
        assert tab.locator("h1").count() >= 1
        context.close()


def test_every_value_file_shows_its_charts_with_their_text(browser, site) -> None:  # noqa: F811
    url, site_dir = site
    customers = sorted(p.parent.name for p in (site_dir / "customers").glob("*/index.html"))
    assert len(customers) >= 14
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    seen_sentence = False
    for customer in customers:
        tab.goto(f"{url}/customers/{customer}/index.html")
        tab.wait_for_load_state("load")
        charts = tab.evaluate(
            """() => [...document.querySelectorAll('.csvf-chart img')].map(img =>
                 ({src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0}))"""
        )
        sentences = tab.locator(".csvf-nochart").count()
        assert charts or sentences, customer
        for chart in charts:
            assert chart["loaded"], (customer, chart["src"])
            assert len(chart["alt"]) > 40, (customer, chart)  # the main figure in words, not a file name
        seen_sentence = seen_sentence or sentences > 0
    assert seen_sentence  # the example has an account with too little data for some charts
    context.close()


def test_a_value_file_prints_without_the_site_around_it(browser, site) -> None:  # noqa: F811
    url, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{url}/customers/corvane-auto/index.html")
    tab.wait_for_load_state("load")
    tab.emulate_media(media="print")
    tab.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    hidden = tab.evaluate(
        "() => ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-footer', '.csvf-filter'].map(s => "
        "{ const e = document.querySelector(s); return !e || getComputedStyle(e).display === 'none'; })"
    )
    assert all(hidden), hidden
    assert tab.evaluate("() => [...document.querySelectorAll('details')].every(d => d.open)")
    mark = tab.locator(".csvf-print-mark")
    assert mark.is_visible() and mark.inner_text().startswith("Internal")
    for paper in ("A4", "Letter"):
        assert tab.pdf(format=paper)[:4] == b"%PDF"
    context.close()


NAV = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"]


def test_every_page_shows_its_images_and_prints_without_navigation(browser, site) -> None:  # noqa: F811
    """One tab walks every page: each image (charts, logo, attachments) decoded; in print the site's navigation is gone."""
    url, site_dir = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    trouble: dict[str, object] = {}
    images = 0
    pages = all_pages(site_dir)
    for path in pages:
        tab.emulate_media(media="screen")
        tab.goto(f"{url}/{path}")
        tab.wait_for_load_state("load")
        found = tab.evaluate(
            """() => { const all = [...document.images].filter(img => img.getAttribute('src'));
                 return {count: all.length, broken: all.filter(img => !img.complete || img.naturalWidth === 0)
                                                     .map(img => img.getAttribute('src'))}; }"""
        )
        images += found["count"]
        tab.emulate_media(media="print")
        shown = tab.evaluate(
            "sels => sels.filter(s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'))", NAV
        )
        if found["broken"] or shown:
            trouble[path] = {"broken images": found["broken"], "navigation in print": shown}
    context.close()
    assert len(pages) > 30 and images > 50
    assert trouble == {}, json.dumps(trouble, indent=1)


def test_search_finds_a_customer_by_name_and_a_record_by_a_word_of_its_title(browser, site) -> None:  # noqa: F811
    url, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    for query, expected in (("Altona", "Altona Sugar Refining Cooperative"), ("endurance", "2,000-hour endurance test in G48 glycol")):
        tab.goto(f"{url}/index.html")
        tab.keyboard.press("/")
        tab.keyboard.type(query, delay=20)
        tab.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        text = tab.locator(".md-search-result").inner_text()
        assert expected.lower() in text.lower(), (query, text[:400])
    context.close()
