"""Golden checks of generated pages: the exact Markdown is the contract here.

The fixture is small but touches every part of a value file, including a
record whose title and body try to inject HTML and Markdown. Regenerate the
golden files with `CSVF_UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from csvf_build.render.pages import render_site
from tests.conftest import ContentBuilder, build_model, run_check

GOLDEN = Path(__file__).parent / "golden"
TODAY = "2026-11-23"


@pytest.fixture
def rendered(tmp_path: Path) -> dict[str, bytes]:
    b = ContentBuilder(tmp_path / "content", fiscal_year_start=4)
    b.customer(
        "acme",
        segment="key",
        tier="premium",
        since="2024-04-01",
        revenue={2025: "120000", 2026: "150000.50", 2027: "60000"},
        extra="""\
          - name: Tom Becker
            role: Purchasing manager
            from: 2025-07-01
            note: "Took over from Priya; prefers <b>short</b> reviews & numbers first."
          - name: Kim Ng
            role: Applications engineer
            side: us
            from: 2024-04-01
        team:
          day-to-day: Kim Ng
        expectations:
          - id: scrap
            metric: Scrap rate on line 3
            expected: 2.5
            unit: "%"
            better: lower
        """,
    )
    b.write("customers/acme/notes.md", "Acme buys our **dosing pumps**. See the [site plan](files/plan.txt).\n")
    b.write("customers/acme/files/plan.txt", "line 1 .. line 4\n")
    b.record(
        "acme",
        "2024-05-10-training.md",
        "type: service\ndate: 2024-05-10\ntitle: Operator course\nservice: training\nquantity: 12\nhours: 8\ncontact: Priya Raman\ncustomer_hours: 12",
    )
    b.record(
        "acme",
        "2025-08-01-scrap.md",
        "type: service\ndate: 2025-08-01\ntitle: Scrap study\nservice: scrap-reduction\nvalue: 41000\nour_cost: 2500",
    )
    b.record("acme", "2025-09-01-measure.md", "type: measurement\ndate: 2025-09-01\ntitle: Scrap measured\nexpectation: scrap\nactual: 3.1")
    b.record(
        "acme", "2026-06-01-measure.md", "type: measurement\ndate: 2026-06-01\ntitle: Scrap measured again\nexpectation: scrap\nactual: 2.2"
    )
    b.record(
        "acme",
        "2026-09-01-leak.md",
        "type: escalation\ndate: 2026-09-01\ntitle: Leaking seals on line 2\nlevel: director\nraised_to: Dana Whitfield",
    )
    b.record("acme", "2026-05-20-survey.md", "type: survey\ndate: 2026-05-20\ntitle: Spring survey\nscore: 4.5")
    b.record(
        "acme",
        "2025-10-02-present.md",
        "type: presentation\ndate: 2025-10-02\ntitle: Yearly value presentation\nattendees: [Tom Becker, Dana Whitfield]\noutcome: Agreed to extend.",
    )
    b.record(
        "acme",
        "2026-11-02-hostile.md",
        'type: meeting\ndate: 2026-11-02\ntitle: "<script>alert(1)</script> *bold* [x](javascript:alert(1)) {: onclick=x}"\nkind: call\nstage: after\ninternal: true',
        "<img src=x onerror=alert(1)> **Findings**\n\n# Heading in a body\n",
    )
    model = build_model(b, TODAY)
    checked, _ = run_check(b, TODAY)
    return render_site(model, checked, {"customers/acme/files/plan.txt": b"line 1 .. line 4\n"}, {})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "page",
    ["index.md", "customers/index.md", "customers/acme/index.md", "catalog.md", "exports/value-files.json", "exports/value-files.csv"],
)
def test_page_matches_golden(rendered: dict[str, bytes], page: str) -> None:
    golden = GOLDEN / page.replace("/", "__")
    if os.environ.get("CSVF_UPDATE_GOLDEN") == "1":
        golden.write_bytes(rendered[page])
    assert rendered[page].decode() == golden.read_text(encoding="utf-8")


def test_user_text_is_inert(rendered: dict[str, bytes]) -> None:
    page = rendered["customers/acme/index.md"].decode()
    assert "<script" not in page
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", page), "no tag may carry an event handler"
    # the title is HTML-escaped in the page and in its front matter; the body's raw HTML shows as typed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<h4>Heading in a body</h4>" in page


def test_health_reasons_link_to_their_record(rendered: dict[str, bytes]) -> None:
    page = rendered["customers/acme/index.md"].decode()
    assert "unresolved director escalation since 2026-09-01" in page
    assert '(<a href="#r-2026-09-01-leak">see the record</a>)' in page
    assert 'id="r-2026-09-01-leak"' in page
    assert '<a class="csvf-record__link" href="#r-2026-09-01-leak">2026-09-01 &middot; Leaking seals on line 2</a>' in page
    home = rendered["index.md"].decode()
    assert 'href="customers/acme/index.html#r-2026-09-01-leak"' in home


def test_attachments_and_their_links(rendered: dict[str, bytes]) -> None:
    assert rendered["customers/acme/files/plan.txt"] == b"line 1 .. line 4\n"
    assert 'href="files/plan.txt"' in rendered["customers/acme/index.md"].decode()
