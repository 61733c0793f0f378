"""value-model.md, "Data export": exports/value-files.json and .csv.

Money as strings with 2 decimals, every other number rounded half up to 4
decimals, null on a zero denominator, counts as integers. Build date 2026-06-30.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from csvf_build.render.export import export_csv, export_data, export_json
from tests.conftest import ContentBuilder, build_model

TODAY = "2026-06-30"

FIGURES = (
    "cost_avoided", "return", "benefits", "spend", "time_cost", "total_cost", "value_ratio",
    "service_value_rate", "cost_to_serve", "service_hours", "csat", "escalations", "appreciations", "touchpoints",
)  # fmt: skip
YEAR_ONLY = ("revenue_share", "cost_to_serve_share", "over_serviced")
MONEY = ("cost_avoided", "return", "benefits", "spend", "time_cost", "total_cost", "cost_to_serve")
COUNTS = ("escalations", "appreciations", "touchpoints")


def data(builder: ContentBuilder) -> dict[str, Any]:
    return export_data(build_model(builder, today=TODAY))


def one(builder: ContentBuilder, cid: str = "acme") -> dict[str, Any]:
    return next(c for c in data(builder)["customers"] if c["id"] == cid)


def value(builder: ContentBuilder, cid: str, value: str, day: str = "2024-05-01", service: str = "study", name: str = "s.md") -> None:
    builder.record(cid, name, f"type: service\ndate: {day}\ntitle: S\nservice: {service}\nvalue: {value}")


def rows(builder: ContentBuilder) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export_csv(build_model(builder, today=TODAY)))))


# ---------------------------------------------------------------- JSON: shape


def test_top_level_has_currency_build_date_and_one_object_per_customer(content: ContentBuilder) -> None:
    content.customer("zeta", name="Zeta Ltd.")
    content.customer("alpha", name="Alpha Inc.")
    d = data(content)
    assert d["currency"] == "USD"
    assert d["build_date"] == "2026-06-30"
    assert [c["id"] for c in d["customers"]] == ["alpha", "zeta"]


def test_customer_object_fields(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme Foods Inc.", segment="key", tier="premium")  # key, no presentation: due
    c = one(content)
    assert c["id"] == "acme"
    assert c["name"] == "Acme Foods Inc."
    assert c["segment"] == "key"
    assert c["tier"] == "premium"
    assert c["health"] == "amber"
    assert c["presentation_due"] is True
    assert c["break_even"] is None  # no benefits at all
    assert set(c["years"]) == {"2024"}
    assert isinstance(c["all_time"], dict)


def test_presentation_due_is_false_for_segments_that_need_none(content: ContentBuilder) -> None:
    content.customer("acme", segment="standard", since="2020-01-01", revenue={2024: "1000"})
    assert one(content)["presentation_due"] is False


def test_break_even_is_a_month_label(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "600"})
    value(content, "acme", "5000", day="2026-03-10")  # 5000 >= 600 from March on
    assert one(content)["break_even"] == "2026-03"


def test_years_are_keyed_by_fiscal_year_string_including_revenue_zero(content: ContentBuilder) -> None:
    content.customer("acme", since="2023-01-01", revenue={2023: "0", 2024: "1000"})
    value(content, "acme", "10", day="2026-02-01")
    assert list(one(content)["years"]) == ["2023", "2024", "2026"]


def test_every_required_name_in_every_year_and_all_time(content: ContentBuilder) -> None:
    content.customer("acme", since="2023-01-01", revenue={2023: "0", 2024: "1000"})
    value(content, "acme", "10")
    c = one(content)
    for year, figures in c["years"].items():
        for name in FIGURES + YEAR_ONLY:
            assert name in figures, (year, name)
    for name in FIGURES:
        assert name in c["all_time"], name


# ---------------------------------------------------------------- JSON: number formats


def test_money_is_a_string_with_2_decimals(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    content.record("acme", "t.md", "type: service\ndate: 2024-05-01\ntitle: T\nservice: training\nquantity: 2.5\nhours: 1.5")
    content.record("acme", "r.md", "type: service\ndate: 2024-05-02\ntitle: R\nservice: scrap-reduction\nvalue: 1234.5")
    y = one(content)["years"]["2024"]
    assert y["spend"] == "1000.00"
    assert y["cost_avoided"] == "225.00"  # 2.5 x 90
    assert y["return"] == "1234.50"
    assert y["benefits"] == "1459.50"  # 225 + 1234.50
    assert y["time_cost"] == "0.00"
    assert y["total_cost"] == "1000.00"
    assert y["cost_to_serve"] == "150.00"  # 1.5 h x 100
    for name in MONEY:
        assert isinstance(y[name], str), name


def test_money_rounds_half_up_to_2_decimals(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    # 0.005 x rate 1 = 0.005 of return: half up -> 0.01 (half-even would give 0.00)
    content.record("acme", "r.md", "type: service\ndate: 2024-05-02\ntitle: R\nservice: scrap-reduction\nquantity: 0.005")
    # 0.125 customer hours x 50 = 6.25 exactly
    content.record("acme", "m.md", "type: meeting\ndate: 2024-05-03\ntitle: M\nkind: call\nstage: after\ncustomer_hours: 0.125")
    y = one(content)["years"]["2024"]
    assert y["return"] == "0.01"
    assert y["time_cost"] == "6.25"


def test_ratio_one_eighth_is_exact(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    value(content, "acme", "125")
    y = one(content)["years"]["2024"]
    assert y["value_ratio"] == 0.125  # 125 / 1000
    assert y["service_value_rate"] == 12.5  # 125 / 1000 x 100


def test_ratio_two_thirds_rounds_to_4_decimals(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "300"})
    value(content, "acme", "200")
    y = one(content)["years"]["2024"]
    assert y["value_ratio"] == 0.6667  # 200 / 300 = 0.66666...
    assert y["service_value_rate"] == 66.6667  # 66.66666... %


def test_ratio_tie_rounds_half_up(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "20000"})
    value(content, "acme", "2469")
    y = one(content)["years"]["2024"]
    assert y["value_ratio"] == 0.1235  # 2469 / 20000 = 0.12345 exactly -> 0.1235 (half-even: 0.1234)
    assert y["service_value_rate"] == 12.345  # 12.345 %, already 4 decimals


def test_percentage_tie_rounds_half_up(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "2000000"})
    value(content, "acme", "1")
    y = one(content)["years"]["2024"]
    assert y["service_value_rate"] == 0.0001  # 1 / 2000000 x 100 = 0.00005 % -> 0.0001 (half-even: 0)
    assert y["value_ratio"] == 0  # 0.0000005 -> 0.0000


def test_csat_and_shares_are_numbers_rounded_to_4_decimals(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "100"})
    content.customer("bolt", revenue={2024: "200"})
    s = "type: survey\ndate: 2024-05-01\ntitle: S\n"
    content.record("acme", "a.md", s + "score: 2")  # 40
    content.record("acme", "b.md", s + "score: 7\nscale: 10")  # 70
    content.record("acme", "c.md", s + "score: 33\nscale: 100")  # 33
    y = one(content)["years"]["2024"]
    assert y["csat"] == 47.6667  # 143 / 3 = 47.666...
    assert y["revenue_share"] == 33.3333  # 100 / 300 = 33.333... %


def test_service_hours_is_a_number(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    content.record("acme", "t.md", "type: service\ndate: 2024-05-01\ntitle: T\nservice: training\nquantity: 1\nhours: 2.5")
    assert one(content)["years"]["2024"]["service_hours"] == 2.5


def test_null_on_zero_denominators(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "0"})
    content.customer("bolt", revenue={2024: "0"})
    value(content, "acme", "10")
    y = one(content)["years"]["2024"]
    assert y["value_ratio"] is None  # total cost 0
    assert y["service_value_rate"] is None  # spend 0
    assert y["csat"] is None  # no surveys
    assert y["revenue_share"] is None  # nobody has spend
    assert y["cost_to_serve_share"] is None  # nobody has cost to serve
    assert y["over_serviced"] is False


def test_counts_are_integers(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "1000"})
    d = "date: 2024-05-01\ntitle: T\n"
    content.record("acme", "e.md", f"type: escalation\n{d}level: team\nraised_to: Kim Ng\nresolved: 2024-05-02")
    content.record("acme", "a1.md", f"type: appreciation\n{d}from: Priya Raman")
    content.record("acme", "a2.md", f"type: appreciation\n{d}from: Priya Raman")
    content.record("acme", "m.md", f"type: meeting\n{d}kind: review\nstage: before")
    c = one(content)
    for figures in (c["years"]["2024"], c["all_time"]):
        assert (figures["escalations"], figures["appreciations"], figures["touchpoints"]) == (1, 2, 1)
        for name in COUNTS:
            assert type(figures[name]) is int, name


def test_over_serviced_is_a_boolean(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "100"})
    content.customer("bolt", revenue={2024: "900"})
    content.record("acme", "t.md", "type: service\ndate: 2024-05-01\ntitle: T\nservice: training\nquantity: 1\nhours: 1")
    c = one(content)
    assert c["years"]["2024"]["over_serviced"] is True  # cost share 100 % / revenue share 10 % = 10
    assert c["years"]["2024"]["cost_to_serve_share"] == 100


def test_all_time_sums_the_years(content: ContentBuilder) -> None:
    content.customer("acme", since="2023-01-01", revenue={2023: "1000.50", 2024: "2000"})
    value(content, "acme", "100", day="2023-03-01", name="a.md")
    value(content, "acme", "0.25", day="2024-03-01", name="b.md")
    a = one(content)["all_time"]
    assert a["spend"] == "3000.50"
    assert a["cost_avoided"] == "100.25"
    assert a["value_ratio"] == 0.0334  # 100.25 / 3000.50 = 0.033411...


def test_export_json_is_the_data_as_json_text(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "300"})
    value(content, "acme", "200")
    m = build_model(content, today=TODAY)
    text = export_json(m)
    assert json.loads(text) == export_data(m)
    assert '"spend": "300.00"' in text  # money is a JSON string
    assert '"value_ratio": 0.6667' in text  # ratios are JSON numbers


# ---------------------------------------------------------------- CSV


def test_csv_header_starts_with_id_fiscal_year_and_the_names_in_spec_order(content: ContentBuilder) -> None:
    content.customer("acme")
    header = rows(content)[0]
    assert header[: 2 + len(FIGURES) + len(YEAR_ONLY)] == ["id", "fiscal_year", *FIGURES, *YEAR_ONLY]
    assert export_csv(build_model(content, today=TODAY)).startswith(
        "id,fiscal_year,cost_avoided,return,benefits,spend,time_cost,total_cost,value_ratio,service_value_rate,"
        "cost_to_serve,service_hours,csat,escalations,appreciations,touchpoints,revenue_share,cost_to_serve_share,over_serviced"
    )


def test_csv_one_row_per_customer_and_year_sorted_by_id_then_year(content: ContentBuilder) -> None:
    content.customer("zeta", since="2023-01-01", revenue={2026: "10", 2023: "20"})
    content.customer("alpha", since="2023-01-01", revenue={2025: "30"})
    value(content, "alpha", "5", day="2024-02-01")
    table = rows(content)
    assert [(r[0], r[1]) for r in table[1:]] == [("alpha", "2024"), ("alpha", "2025"), ("zeta", "2023"), ("zeta", "2026")]
    # no all-time rows


def test_csv_cells_match_the_json_figures(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "300"})
    value(content, "acme", "200")
    header, row = rows(content)
    cells = dict(zip(header, row, strict=True))
    assert cells["spend"] == "300.00"
    assert cells["benefits"] == "200.00"
    assert cells["value_ratio"] == "0.6667"
    assert cells["service_value_rate"] == "66.6667"
    assert cells["escalations"] == "0"
    assert cells["revenue_share"] == "100"


def test_csv_null_is_an_empty_cell_and_booleans_are_true_false(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: "0"})
    content.customer("bolt", revenue={2024: "0"})
    content.record("acme", "t.md", "type: service\ndate: 2024-05-01\ntitle: T\nservice: training\nquantity: 1\nhours: 1")
    header, acme, bolt = rows(content)
    a = dict(zip(header, acme, strict=True))
    b = dict(zip(header, bolt, strict=True))
    assert a["value_ratio"] == ""  # total cost 0
    assert a["service_value_rate"] == ""  # spend 0
    assert a["csat"] == ""  # no surveys
    assert a["revenue_share"] == ""  # nobody has spend
    assert a["over_serviced"] == "true"  # cost to serve > 0 and no spend
    assert b["over_serviced"] == "false"
