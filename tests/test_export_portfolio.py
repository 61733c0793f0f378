"""The portfolio parts of the data export (value-model.md, "Data export"; docs/value-model.md names them).

exports/value-files.json gains a top-level `portfolio` (by fiscal year and all
time) and each customer period its selling cycle; exports/segments.csv,
tiers.csv and usage.csv hold the segment and tier figures and the usage
matrix. Money as strings with 2 decimals, every other number rounded to 4.
Build date 2026-06-30; internal_hour_cost 100 (conftest).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from csvf_build.render.export import CSV_COLUMNS, CYCLE_NAMES, FIGURE_NAMES, GROUP_COLUMNS, SHARE_NAMES, USAGE_COLUMNS
from tests.conftest import ContentBuilder, generate_docs

TODAY = "2026-06-30"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "value-model.md"


@pytest.fixture
def files(content: ContentBuilder) -> dict[str, bytes]:
    content.customer("alpha", segment="key", tier="premium", since="2025-01-01", revenue={2025: "1000", 2026: "500"})
    content.customer("bravo", segment="key", tier="basic", since="2025-01-01", revenue={2025: "3000"})
    content.customer("charlie", segment="growth", tier="basic", since="2025-01-01", revenue={2025: "0"})
    content.record(
        "alpha", "t.md", "type: service\ndate: 2025-03-01\ntitle: T\nservice: training\nquantity: 20\nhours: 4"
    )  # 1,800; cost 400
    content.record("bravo", "t.md", "type: service\ndate: 2025-03-01\ntitle: T\nservice: training\nquantity: 10\nhours: 1")  # 900; cost 100
    content.record("charlie", "s.md", "type: service\ndate: 2025-05-01\ntitle: S\nservice: study\nvalue: 10.5\nour_cost: 33.33")
    for day in ("2025-02-01", "2025-03-03", "2025-03-13"):
        content.record("alpha", f"{day}-m.md", f"type: meeting\ndate: {day}\ntitle: M\nkind: review\nstage: before")
    return generate_docs(content, TODAY).files


def data_of(files: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(files["exports/value-files.json"])


def test_existing_keys_stay_and_portfolio_is_added(files: dict[str, bytes]) -> None:
    data = data_of(files)
    assert list(data) == ["build_date", "currency", "customers", "portfolio"]
    assert list(data["portfolio"]) == ["years", "all_time"]
    assert list(data["portfolio"]["years"]) == ["2025", "2026"]
    record = data["customers"][0]["years"]["2025"]
    assert list(record)[: len(FIGURE_NAMES)] == list(FIGURE_NAMES)
    assert set(SHARE_NAMES) | set(CYCLE_NAMES) <= set(record)
    assert data["customers"][0]["next_presentation"] == "2026-01-01"  # key, never presented: since + 365 days


def test_segment_figures_from_the_sums(files: dict[str, bytes]) -> None:
    fy2025 = data_of(files)["portfolio"]["years"]["2025"]
    key = fy2025["segments"][0]
    # alpha: revenue share 1,000 / 4,000 = 25%, cost share 400 / 533.33 = 75%: 3 times, over-serviced; bravo is not
    assert (key["name"], key["customers"], key["over_serviced_customers"]) == ("key", 2, 1)
    # spend 4,000; benefits 2,700; value ratio 2,700 / 4,000 = 0.675 (no time cost); cost to serve 500 over 2 = 250
    assert (key["spend"], key["benefits"], key["value_ratio"], key["service_value_rate"]) == ("4000.00", "2700.00", 0.675, 67.5)
    assert (key["cost_to_serve"], key["cost_to_serve_per_customer"], key["spend_per_customer"]) == ("500.00", "250.00", "2000.00")
    assert key["csat"] is None  # no survey: none
    growth = fy2025["segments"][2]
    # charlie: cost to serve 33.33 and no spend: over-serviced; revenue per service hour none (no hours)
    assert (growth["name"], growth["over_serviced_customers"], growth["revenue_per_service_hour"]) == ("growth", 1, None)
    empty = fy2025["segments"][1]
    assert (empty["name"], empty["customers"], empty["cost_to_serve_per_customer"], empty["spend"]) == ("strategic", 0, None, "0.00")
    assert [t["name"] for t in fy2025["tiers"]] == ["basic", "standard", "premium"]
    basic = fy2025["tiers"][0]
    # bravo and charlie: cost 100 + 33.33 = 133.33 over 2 = 66.665 -> "66.67"
    assert (basic["customers"], basic["cost_to_serve"], basic["cost_to_serve_per_customer"]) == (2, "133.33", "66.67")


def test_usage_per_group_and_for_the_portfolio(files: dict[str, bytes]) -> None:
    fy2025 = data_of(files)["portfolio"]["years"]["2025"]
    usage = {u["service"]: u for u in fy2025["usage"]}
    assert list(usage) == ["training", "line-service", "study", "scrap-reduction"]  # every catalog service, in order
    assert usage["training"] == {"service": "training", "records": 2, "value": "2700.00"}
    assert usage["line-service"] == {"service": "line-service", "records": 0, "value": "0.00"}
    assert {u["service"]: u["records"] for u in fy2025["segments"][2]["usage"]}["study"] == 1


def test_pareto_and_over_serviced_by_period(files: dict[str, bytes]) -> None:
    data = data_of(files)
    fy2025 = data["portfolio"]["years"]["2025"]
    # bravo 3,000 and alpha 1,000 paying (charlie 0 is left out): top ceil(2 / 5) = 1, 3,000 / 4,000 = 75%
    assert fy2025["pareto"] == {
        "paying_customers": 2,
        "top_count": 1,
        "top_fraction": 20,
        "top_share": 75,
        "customers_for_80_percent": 2,
        "rows": [{"id": "bravo", "cumulative_share": 75}, {"id": "alpha", "cumulative_share": 100}],
    }
    assert fy2025["over_serviced"] == ["alpha", "charlie"]  # alpha 75% / 25% = 3; charlie: cost, no spend
    assert (fy2025["first_day"], fy2025["last_day"], fy2025["customers"]) == ("2025-01-01", "2025-12-31", 3)
    fy2026 = data["portfolio"]["years"]["2026"]
    assert (fy2026["first_day"], fy2026["last_day"], fy2026["customers"]) == ("2026-01-01", TODAY, 1)  # the year to date
    assert data["portfolio"]["all_time"]["first_day"] is None


def test_selling_cycle_in_the_period_records(files: dict[str, bytes]) -> None:
    data = data_of(files)
    alpha = data["customers"][0]["years"]["2025"]
    # meetings 2025-02-01, 03-03, 03-13: gaps 30 and 10, median (10 + 30) / 2 = 20
    assert (alpha["last_touchpoint"], alpha["median_days_between_touchpoints"], alpha["touchpoints_before"]) == ("2025-03-13", 20, 3)
    bravo = data["customers"][1]["years"]["2025"]
    assert (bravo["last_touchpoint"], bravo["median_days_between_touchpoints"]) == (None, None)
    cycle = data["portfolio"]["years"]["2025"]["selling_cycle"]
    assert cycle == {
        "touchpoints": 3,
        "touchpoints_before": 3,
        "touchpoints_during": 0,
        "touchpoints_after": 0,
        "gaps": 2,
        "median_days_between_touchpoints": 20,
        "left_alone": ["bravo", "charlie"],
    }


def rows_of(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"exports/{name}"].decode())))


def test_segments_and_tiers_csv(files: dict[str, bytes]) -> None:
    header = files["exports/segments.csv"].decode().splitlines()[0].split(",")
    assert header == ["period", "segment", *GROUP_COLUMNS]
    rows = rows_of(files, "segments.csv")
    assert [(r["period"], r["segment"]) for r in rows][:5] == [
        ("2025", "key"),
        ("2025", "strategic"),
        ("2025", "growth"),
        ("2025", "standard"),
        ("2026", "key"),
    ]
    assert rows[-1]["period"] == "all"
    key = rows[0]
    assert (key["customers"], key["spend"], key["value_ratio"], key["csat"], key["cost_to_serve_per_customer"]) == (
        "2",
        "4000.00",
        "0.675",
        "",
        "250.00",
    )
    tiers = rows_of(files, "tiers.csv")
    assert files["exports/tiers.csv"].decode().splitlines()[0].startswith("period,tier,customers,over_serviced_customers,")
    assert (tiers[0]["tier"], tiers[0]["cost_to_serve_per_customer"]) == ("basic", "66.67")


def test_usage_csv(files: dict[str, bytes]) -> None:
    assert files["exports/usage.csv"].decode().splitlines()[0] == ",".join(USAGE_COLUMNS)
    rows = rows_of(files, "usage.csv")
    services = 4
    assert len(rows) == 3 * (1 + 4 + 3) * services  # periods x (portfolio, 4 segments, 3 tiers) x services
    first = rows[0]
    assert first == {"period": "2025", "dimension": "portfolio", "group": "all", "service": "training", "records": "2", "value": "2700.00"}
    study = next(r for r in rows if r["period"] == "2025" and r["group"] == "growth" and r["service"] == "study")
    assert (study["dimension"], study["records"], study["value"]) == ("segment", "1", "10.50")


def test_value_files_csv_keeps_its_columns_first(files: dict[str, bytes]) -> None:
    header = files["exports/value-files.csv"].decode().splitlines()[0].split(",")
    required = ["id", "fiscal_year", *FIGURE_NAMES, *SHARE_NAMES]
    assert header[: len(required)] == required
    assert header[-len(CYCLE_NAMES) :] == list(CYCLE_NAMES) and header == list(CSV_COLUMNS)
    alpha = rows_of(files, "value-files.csv")[0]
    assert (alpha["last_touchpoint"], alpha["median_days_between_touchpoints"]) == ("2025-03-13", "20")


def test_the_handbook_names_every_new_export() -> None:
    text = DOCS.read_text(encoding="utf-8")
    names = [
        "exports/segments.csv", "exports/tiers.csv", "exports/usage.csv", "exports/alerts.json", "`portfolio`",
        *GROUP_COLUMNS[:4], *USAGE_COLUMNS, *CYCLE_NAMES, "next_presentation", "customers_for_80_percent", "left_alone", "over_serviced",
        "first_day", "last_day", "paying_customers", "top_count", "top_share", "cumulative_share", "selling_cycle", "since", "kind",
    ]  # fmt: skip
    missing = [name for name in names if f"`{name.strip('`')}`" not in text]
    assert missing == []
