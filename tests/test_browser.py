"""What a person sees, in a real Chromium (Debian's package, driven by Playwright).

Locally these skip when Chromium is missing; in CI (CI=true) they must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_site import AS_OF, csvf, make_project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def _need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI: apt-get install chromium")
        pytest.skip("Chromium not installed (apt-get install chromium); browser tests skipped")


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = make_project(tmp_path_factory.mktemp("browser"))
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    server, url = serve(project / "site")
    yield url, project
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(("http://127.0.0.1", "file://")) else None
    )
    tab = context.new_page()
    tab.outside_requests = outside
    yield tab
    context.close()


def test_home_shows_the_portfolio_at_a_glance(page, example_site) -> None:
    url, _ = example_site
    page.goto(url + "/")
    heading = page.locator("h1").first.inner_text()
    assert "customer service value files" in heading
    body = page.locator("article.md-content__inner").inner_text()
    for words in ("at a glance", "Customers by health", "Presentations due", "Value ratio"):
        assert words in body
    assert page.outside_requests == []


def test_from_the_index_to_a_value_file(page, example_site) -> None:
    url, project = example_site
    page.goto(url + "/customers/")
    rows = page.locator("article.md-content__inner table tbody tr")
    count = len(list((project / "content" / "customers").iterdir()))
    assert rows.count() == count
    first_link = rows.first.locator("a").first
    name = first_link.inner_text()
    first_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().rstrip("¶").strip() == name
    article = page.locator("article.md-content__inner")
    assert article.locator(".admonition").first.inner_text().startswith("Health:")
    assert article.locator(".csvf-record").count() > 0
    assert page.outside_requests == []


def test_search_finds_a_customer(page, example_site) -> None:
    url, _ = example_site
    page.goto(url + "/")
    page.keyboard.press("/")  # Material's search shortcut
    page.keyboard.type("presentation", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 0
    assert page.outside_requests == []


def test_dark_mode_toggle(page, example_site) -> None:
    url, _ = example_site
    page.goto(url + "/")
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    after = page.locator("body").get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}


def test_the_site_works_opened_from_disk(page, example_site) -> None:
    """A copy of site/ on a laptop, opened from the file system: links and search work."""
    _, project = example_site
    page.goto((project / "site" / "index.html").resolve().as_uri())
    page.locator("a.md-tabs__link", has_text="Customers").click()
    page.wait_for_load_state()
    assert page.url.endswith("/customers/index.html")
    page.locator("article table tbody tr a").first.click()
    page.wait_for_load_state()
    assert page.locator(".csvf-record").count() > 0
    page.keyboard.press("/")
    page.keyboard.type("escalation", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert page.outside_requests == []


HOSTILE_TITLE = "<script>window.__pwned = 1</script> & [click](javascript:window.__pwned=2)"
HOSTILE_BODY = """\
Hello <img src=x onerror="window.__pwned=3"> and <b onclick="window.__pwned=4">bold</b>.

[a link](https://example.com/) {: onclick="window.__pwned=6" }

<iframe src="javascript:window.__pwned=7"></iframe>
"""


def test_hostile_records_never_run_script(browser, tmp_path: Path) -> None:
    project = make_project(tmp_path / "hostile")
    customers = project / "content" / "customers"
    for extra in list(customers.iterdir())[1:]:
        shutil.rmtree(extra)
    target = next(customers.iterdir())
    record = target / "records" / "2026-11-01-hostile.md"
    record.write_text(f'---\ntype: meeting\ndate: 2026-11-01\ntitle: "{HOSTILE_TITLE}"\nkind: call\nstage: after\n---\n{HOSTILE_BODY}')
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    server, url = serve(project / "site")
    try:
        context = browser.new_context()
        tab = context.new_page()
        for path in ("/", "/customers/", f"/customers/{target.name}/"):
            tab.goto(url + path)
            assert tab.evaluate("window.__pwned") is None, path
        tab.goto(url + f"/customers/{target.name}/")
        text = tab.locator("article.md-content__inner").inner_text()
        assert "<script>window.__pwned = 1</script>" in text  # shown as typed, never run
        for link in tab.locator("article.md-content__inner a").all():
            assert not (link.get_attribute("href") or "").startswith("javascript:")
        assert tab.locator("article.md-content__inner iframe").count() == 0
        assert tab.locator("[onclick], [onerror]").count() == 0
        context.close()
    finally:
        server.shutdown()
