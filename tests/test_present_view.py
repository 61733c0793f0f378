"""The customer-facing view (present/view.py): internal data is gone before any figure is computed."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from csvf_build.content.load import CustomerFolder
from csvf_build.model.compute import CustomerModel
from csvf_build.model.figures import Figures
from csvf_build.present.document import pack_document
from csvf_build.present.view import CustomerView, customer_view, default_year, public_model, taken_at
from tests.conftest import ContentBuilder
from tests.present_support import CONTACT_NOTE, INTERNAL_TITLE, TODAY, folder_of, load, pack_content

INTERNAL_NAMES = {"cost_to_serve", "service_hours", "revenue_per_service_hour", "over_serviced", "health", "notes", "note", "internal"}


def acme_view(tmp_path: Path, **changes: object) -> CustomerView:
    content = load(pack_content(tmp_path / "content"))
    folder = folder_of(content, "acme")
    if changes:
        folder = dataclasses.replace(folder, **changes)  # type: ignore[arg-type]
    return customer_view(folder, content.company, content.catalog, 2025, TODAY)


def test_the_default_year_is_the_last_complete_one() -> None:
    # FY start 4: 2026-11-23 lies in FY2027 (2026-04-01 to 2027-03-31), so the last complete year is FY2026.
    assert default_year(date(2026, 11, 23), 4) == 2026
    assert default_year(date(2026, 6, 30), 1) == 2025


def test_a_complete_year_is_taken_at_its_last_day_and_a_running_one_at_the_build_date() -> None:
    assert taken_at(2025, 1, TODAY) == date(2025, 12, 31)
    assert taken_at(2026, 1, TODAY) == TODAY


def test_internal_records_are_removed_before_computing(tmp_path: Path) -> None:
    view = acme_view(tmp_path)
    # The internal study (value 123,456) counts nowhere: benefits 900 + 3,000 + 5,000 = 8,900.
    assert view.year.cost_avoided == Decimal(3900)
    assert view.year.return_ == Decimal(5000)
    assert view.year.benefits == Decimal(8900)
    # Time cost: 2 customer hours x 50 = 100; total cost 20,000 + 100 = 20,100.
    assert view.year.total_cost == Decimal(20100)
    assert view.year.value_ratio == Fraction(8900, 20100)
    assert view.year.service_value_rate == Fraction(8900 * 100, 20000)
    assert view.year.csat == Fraction(80)
    assert INTERNAL_TITLE not in {s.title for s in view.stories}


def test_the_pack_is_taken_at_the_end_of_its_year(tmp_path: Path) -> None:
    view = acme_view(tmp_path)
    # All time runs to 2025-12-31: spend 10,000 + 20,000 (FY2026's 5,000 and its 90 of training are after it).
    assert view.all_time.spend == Decimal(30000)
    assert view.all_time.benefits == Decimal(8900)
    assert view.break_even.last_month == "2025-12"
    assert view.complete


def test_the_view_holds_no_internal_field_and_no_model(tmp_path: Path) -> None:
    view = acme_view(tmp_path)
    seen: list[object] = []

    def walk(value: object) -> None:
        assert not isinstance(value, CustomerModel | CustomerFolder | Figures), type(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = {f.name for f in dataclasses.fields(value)}
            assert not names & INTERNAL_NAMES, (type(value).__name__, names & INTERNAL_NAMES)
            seen.append(value)
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(view)
    assert len(seen) > 10  # the walk went through the people, figures, stories and expectations


def test_people_are_current_and_without_notes(tmp_path: Path) -> None:
    view = acme_view(tmp_path)
    assert [p.name for p in view.contacts] == ["Priya Raman"]  # Kim Lowe left on 2025-03-31
    assert [(p.name, p.role) for p in view.team] == [
        ("Dana Whitfield", "Account manager"),
        ("Sam Ortiz", "Day-to-day queries, Field engineer"),
    ]
    assert CONTACT_NOTE not in repr(view)


def test_notable_services_are_the_largest_with_their_first_paragraph(tmp_path: Path) -> None:
    view = acme_view(tmp_path)
    assert [(s.title, s.value) for s in view.stories] == [
        ("Scrap saved on line 3", Decimal(5000)),
        ("Line 3 audit", Decimal(3000)),
        ("Night shift training", Decimal(900)),
    ]
    assert view.stories[2].text == "Trained the night shift on seal changes."


def test_value_by_group_follows_the_catalog(tmp_path: Path) -> None:
    view = acme_view(tmp_path)
    assert [(g.name, g.cost_avoided, g.return_) for g in view.groups] == [
        ("Training", Decimal(900), Decimal(0)),
        ("Engineering", Decimal(3000), Decimal(0)),
        ("Measured outcomes", Decimal(0), Decimal(5000)),
    ]


def test_baseline_and_customer_confirmation_show_when_the_format_has_them(tmp_path: Path) -> None:
    """Another change adds `baseline` to expectations and `confirmed_by` to measurements: read them when present."""
    content = load(pack_content(tmp_path / "content"))
    folder = folder_of(content, "acme")
    expectation = folder.customer.expectations[0].model_copy(update={"baseline": Decimal(4)})
    customer = folder.customer.model_copy(update={"expectations": [expectation]})
    records = tuple(
        dataclasses.replace(r, record=r.record.model_copy(update={"confirmed_by": "Priya Raman"})) if r.path.endswith("scrap-2.md") else r
        for r in folder.records
    )
    view = customer_view(dataclasses.replace(folder, customer=customer, records=records), content.company, content.catalog, 2025, TODAY)
    (e,) = view.expectations
    assert e.baseline == Decimal(4)
    assert [(r.actual, r.confirmed_by) for r in e.readings] == [(Decimal(3), None), (Decimal("1.5"), "Priya Raman")]
    assert e.met is True  # 1.5 <= 2, lower is better
    facts = {f["label"]: f["value"] for f in pack_document(view)["expectations"]["entries"][0]["facts"]}
    assert facts["Baseline (before)"] == "4 percent"
    assert facts["Confirmed"] == "confirmed by Priya Raman"


def test_without_the_new_fields_nothing_is_marked_confirmed(tmp_path: Path) -> None:
    (e,) = acme_view(tmp_path).expectations
    assert e.baseline is None
    assert [r.confirmed_by for r in e.readings] == [None, None]


def test_public_model_is_computed_without_internal_records(content: ContentBuilder) -> None:
    content.customer("solo", revenue={2025: "1000"})
    content.record("solo", "2025-03-01-a.md", "type: service\ndate: 2025-03-01\ntitle: A\nservice: training\nquantity: 1")
    content.record("solo", "2025-03-02-b.md", "type: service\ndate: 2025-03-02\ntitle: B\nservice: training\nquantity: 1\ninternal: true")
    loaded = load(content)
    model = public_model(folder_of(loaded, "solo"), loaded.company, loaded.catalog, 2025, TODAY)
    assert [r.record.title for r in model.folder.records] == ["A"]
    assert model.years[2025].benefits == Decimal(90)  # one training hour at 90, not two
