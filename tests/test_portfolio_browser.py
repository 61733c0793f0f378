"""The Portfolio section in a real Chromium: charts load, tables sort, axe finds nothing serious, phones fit.

The example site is built with `csvf build` as `make site` does, then opened
from a local server and straight from disk (`file://`), where sorting must
work just as well: tablesort is vendored, nothing is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_browser import browser, serve  # noqa: F401 (the fixture)
from tests.test_pages_in_browser import PHONE, axe_findings, open_page
from tests.test_site import AS_OF, csvf, make_project

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = make_project(tmp_path_factory.mktemp("portfolio"))
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    server, url = serve(project / "site")
    yield url, project / "site"
    server.shutdown()


def portfolio_pages(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "portfolio").glob("*.html"))


def address(site: tuple[str, Path], path: str, where: str) -> str:
    url, site_dir = site
    return f"{url}/{path}" if where == "server" else (site_dir / path).resolve().as_uri()


def test_every_portfolio_page_loads_with_its_charts(browser, site) -> None:  # noqa: F811
    pages = portfolio_pages(site[1])
    assert {"portfolio/index.html", "portfolio/fy2026.html", "portfolio/all-time.html", "portfolio/health.html"} <= set(pages)
    trouble: dict[str, list[str]] = {}
    for path in pages:
        for where in ("server", "disk"):
            context, tab, problems = open_page(browser, address(site, path, where), DESKTOP)
            broken = tab.evaluate(
                """() => [...document.querySelectorAll('.csvf-chart img')]
                     .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.getAttribute('src'))"""
            )
            charts = tab.locator(".csvf-chart img").count()
            expected = 0 if path.endswith("health.html") else 1
            if problems or broken or charts < expected:
                trouble[f"{where} {path}"] = [*problems, *(f"chart not loaded: {src}" for src in broken), f"{charts} charts"]
            context.close()
    assert trouble == {}, json.dumps(trouble, indent=1)


def test_portfolio_pages_pass_axe_and_fit_a_phone(browser, site) -> None:  # noqa: F811
    url, site_dir = site
    findings: dict[str, object] = {}
    for path in portfolio_pages(site_dir):
        context, tab, _ = open_page(browser, f"{url}/{path}", DESKTOP)
        found = axe_findings(tab)
        if found:
            findings[path] = found
        context.close()
        context, tab, _ = open_page(browser, f"{url}/{path}", PHONE)
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            findings[f"{path} at 390 px"] = width
        context.close()
    assert findings == {}, json.dumps(findings, indent=1)


def column(tab, key: str) -> list[str]:
    """The sort keys of one column of the rankings, top to bottom."""
    return tab.evaluate(
        """key => {
             const table = document.querySelector('table.csvf-sortable');
             const index = [...table.tHead.rows[0].cells].findIndex(th => th.dataset.key === key);
             return [...table.tBodies[0].rows].map(row => row.cells[index].getAttribute('data-sort'));
           }""",
        key,
    )


@pytest.mark.parametrize("where", ["server", "disk"])
def test_rankings_sort_by_a_column(browser, site, where: str) -> None:  # noqa: F811
    context, tab, problems = open_page(browser, address(site, "portfolio/index.html", where), DESKTOP)
    rankings = tab.locator("table.csvf-sortable").first
    header = rankings.locator('th[data-key="cost_to_serve"]')
    assert header.get_attribute("role") == "columnheader"  # tablesort took the table
    served = [float(v) for v in column(tab, "spend")]
    assert served == sorted(served, reverse=True)  # as the page comes: largest spend first
    header.click()
    up = [float(v) for v in column(tab, "cost_to_serve")]
    assert up == sorted(up) and up[0] < up[-1]
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    down = [float(v) for v in column(tab, "cost_to_serve")]
    assert down == sorted(down, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    # the keyboard too: a heading is focusable and Enter sorts by it; "—" (none) sorts below every figure
    csat = rankings.locator('th[data-key="csat"]')
    csat.focus()
    tab.keyboard.press("Enter")
    scores = [float(v) for v in column(tab, "csat")]
    assert scores == sorted(scores) and (scores[0] == -1 or min(scores) >= 0)
    health = rankings.locator('th[data-key="health"]')
    health.click()
    assert tab.locator("table.csvf-sortable").first.locator("tbody tr td .csvf-health").first.inner_text().lower() == "red"
    assert problems == []
    context.close()


def test_the_period_selector_moves_between_periods(browser, site) -> None:  # noqa: F811
    context, tab, _ = open_page(browser, address(site, "portfolio/index.html", "disk"), DESKTOP)
    current = tab.locator('.csvf-periods a[aria-current="page"]')
    assert current.inner_text() == "FY2027 (to date)"
    tab.locator(".csvf-periods a", has_text="All time").click()
    tab.wait_for_load_state("load")
    assert tab.locator("h1").first.inner_text().startswith("Portfolio: all time")
    assert tab.locator('.csvf-periods a[aria-current="page"]').inner_text() == "All time"
    context.close()
