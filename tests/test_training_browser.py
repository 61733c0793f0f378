"""Training pages and glossary labels as a person meets them, in a real Chromium.

Self-check answers open with a click, a tap or the keyboard; a figure label
on a value file is a link a keyboard reaches and that leads to its glossary
entry; axe-core finds nothing serious on the training pages and the glossary.
"""

from __future__ import annotations

import pytest

from tests.test_browser import browser  # noqa: F401 (the fixture)
from tests.test_pages_in_browser import axe_findings, open_page, site  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def test_training_pages_and_the_glossary_pass_axe(browser, site) -> None:  # noqa: F811
    url, site_dir = site
    pages = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "training").glob("*.html"))
    assert "training/glossary.html" in pages and len(pages) > 10
    findings = {}
    for path in pages:
        context, tab, problems = open_page(browser, f"{url}/{path}", DESKTOP)
        found = problems + axe_findings(tab)
        if found:
            findings[path] = found
        context.close()
    assert findings == {}


def test_a_self_check_answer_opens_with_the_keyboard_and_with_a_tap(browser, site) -> None:  # noqa: F811
    url, _ = site
    context, tab, _ = open_page(browser, f"{url}/training/customer-value.html", DESKTOP)
    first, second = tab.locator("details.csvf-check").nth(0), tab.locator("details.csvf-check").nth(1)
    assert not first.evaluate("d => d.open")
    first.locator("summary").focus()
    tab.keyboard.press("Enter")
    assert first.evaluate("d => d.open")
    assert first.locator("p").first.is_visible()
    second.locator("summary").click()
    assert second.evaluate("d => d.open")
    context.close()


def test_a_figure_label_leads_to_its_glossary_entry(browser, site) -> None:  # noqa: F811
    url, site_dir = site
    value_file = sorted((site_dir / "customers").glob("*/index.html"))[0].relative_to(site_dir).as_posix()
    context, tab, _ = open_page(browser, f"{url}/{value_file}", DESKTOP)
    label = tab.locator("a.csvf-term", has_text="Value ratio").first
    assert label.get_attribute("title")
    label.focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.endswith("training/glossary.html#value-ratio")
    assert tab.locator("#value-ratio").is_visible()
    context.close()
