"""Content and helpers shared by the customer-pack tests (tests/test_present*.py).

`pack_content` writes one customer with everything that must never reach its
pack (an internal record, notes.md, contact notes, our hours) beside a second
customer whose name must appear nowhere in it. Figures are chosen so each
total can be checked by hand; the arithmetic is in the comments.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from csvf_build.check import check
from csvf_build.content.load import Content, CustomerFolder
from csvf_build.content.tree import FolderTree
from tests.conftest import ContentBuilder

TODAY = date(2026, 6, 30)  # calendar fiscal years: the last complete one is FY2025
RIVAL = "Zebulon Rival Works"
INTERNAL_TITLE = "Margin review for Acme"
INTERNAL_BODY = "Our margin on this account is razor thin"
NOTES_TEXT = "The plant manager distrusts our pricing"
CONTACT_NOTE = "Left after the reorganisation; never call her mobile"
OUR_HOURS = "7777"  # service hours x 100 internal hour cost = 777,700 cost to serve

ACME_EXTRA = """\
  - name: Kim Lowe
    role: Quality engineer
    from: 2023-01-01
    to: 2025-03-31
    note: Left after the reorganisation; never call her mobile
  - name: Sam Ortiz
    role: Field engineer
    side: us
    from: 2023-01-01
    email: sam@example.com
team:
  day-to-day: Sam Ortiz
expectations:
  - id: scrap
    metric: Scrap rate on line 3
    expected: 2
    unit: percent
    better: lower
"""


def pack_content(root: Path) -> ContentBuilder:
    """Acme (the pack's customer) and a rival customer, both valid at TODAY."""
    b = ContentBuilder(root)
    b.customer("acme", segment="key", revenue={2024: "10000", 2025: "20000", 2026: "5000"}, extra=ACME_EXTRA)
    b.customer("rival", name=RIVAL, revenue={2025: "99000"})
    b.write("customers/acme/notes.md", f"{NOTES_TEXT}, so lead with the figures.\n")
    # FY2025 cost avoided: training 10 x 90 = 900, line service 20 x 150 = 3,000 -> 3,900; return: 5,000 -> benefits 8,900.
    b.record(
        "acme",
        "2025-02-10-training.md",
        f"type: service\ndate: 2025-02-10\ntitle: Night shift training\nservice: training\nquantity: 10\nhours: {OUR_HOURS}\n"
        "customer_hours: 2\ncontact: Priya Raman",
        "Trained the night shift on seal changes.\n\nA second paragraph that stays on the site.\n",
    )
    b.record(
        "acme",
        "2025-05-06-line.md",
        "type: service\ndate: 2025-05-06\ntitle: Line 3 audit\nservice: line-service\nquantity: 20\nhours: 3",
        "We reset the dwell time on line 3.\n",
    )
    b.record(
        "acme",
        "2025-09-01-scrap.md",
        "type: service\ndate: 2025-09-01\ntitle: Scrap saved on line 3\nservice: scrap-reduction\nvalue: 5000",
        "Scrap fell from 4% to 1.5% of output.\n",
    )
    b.record(
        "acme",
        "2025-10-01-internal.md",
        f"type: service\ndate: 2025-10-01\ntitle: {INTERNAL_TITLE}\nservice: study\nvalue: 123456\nhours: 40\ninternal: true",
        f"{INTERNAL_BODY}; keep it to ourselves.\n",
    )
    b.record("acme", "2025-11-03-survey.md", "type: survey\ndate: 2025-11-03\ntitle: Yearly survey\nscore: 4")  # 4 / 5 x 100 = 80
    b.record("acme", "2025-11-20-thanks.md", "type: appreciation\ndate: 2025-11-20\ntitle: Thanks for the audit\nfrom: Priya Raman")
    b.record("acme", "2025-06-01-scrap-1.md", "type: measurement\ndate: 2025-06-01\ntitle: Scrap, June\nexpectation: scrap\nactual: 3")
    b.record(
        "acme", "2025-12-01-scrap-2.md", "type: measurement\ndate: 2025-12-01\ntitle: Scrap, December\nexpectation: scrap\nactual: 1.5"
    )
    # After FY2025: in no FY2025 figure, and not in the pack's all-time column either (the pack is taken at 2025-12-31).
    b.record("acme", "2026-02-01-later.md", "type: service\ndate: 2026-02-01\ntitle: Later training\nservice: training\nquantity: 1")
    b.record("rival", "2025-03-01-rival.md", "type: service\ndate: 2025-03-01\ntitle: Rival audit\nservice: line-service\nquantity: 4")
    return b


def load(builder: ContentBuilder, today: date = TODAY) -> Content:
    content, problems = check(FolderTree(builder.root), today)
    assert content is not None, "\n".join(p.as_text() for p in problems)
    return content


def folder_of(content: Content, customer_id: str) -> CustomerFolder:
    return next(f for f in content.customers if f.id == customer_id)


def pdf_text(data: bytes) -> str:
    """Every page's text, whitespace collapsed (a figure may wrap between its number and its currency)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
