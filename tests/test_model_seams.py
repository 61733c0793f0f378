"""Seams later features plug into: tested now so they stay open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from csvf_build.model.compute import compute_customer
from tests.conftest import ContentBuilder, build_model, run_check


def test_one_customer_can_be_computed_from_a_subset_of_its_records(content: ContentBuilder) -> None:
    """The customer pack will compute without internal records, from one folder only."""
    content.customer("acme", revenue={2025: "1000"})
    content.record("acme", "2025-02-01-a.md", "type: service\ndate: 2025-02-01\ntitle: Course\nservice: training\nquantity: 10")
    content.record(
        "acme", "2025-03-01-b.md", "type: service\ndate: 2025-03-01\ntitle: Goodwill\nservice: training\nquantity: 5\ninternal: true"
    )
    model = build_model(content)
    assert model.customers[0].years[2025].benefits == Decimal(1350)  # (10 + 5) x 90
    checked, _ = run_check(content)
    folder = checked.customers[0]  # type: ignore[union-attr]
    public = tuple(r for r in folder.records if not r.record.internal)
    view = compute_customer(folder, public, checked.company, checked.catalog, date(2026, 6, 30))  # type: ignore[union-attr]
    assert view.years[2025].benefits == Decimal(900)  # 10 x 90
    assert view.years[2025].records == 1
